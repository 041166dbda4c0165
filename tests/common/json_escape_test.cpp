#include "common/json_escape.hpp"

#include <gtest/gtest.h>

namespace dirsync::common {
namespace {

TEST(JsonEscape, Table) {
    struct row {
        std::string_view in;
        std::string_view out;
    };
    const row rows[] = {
        {"plain", "plain"},
        {"a\"b", "a\\\"b"},
        {"back\\slash", "back\\\\slash"},
        {"line\nbreak\ttab\r", "line\\nbreak\\ttab\\r"},
        {std::string_view("nul\0x", 5), "nul\\u0000x"},
        {"\x01\x1f\x7f", "\\u0001\\u001f\\u007f"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},                                      // valid UTF-8 kept
        {"\xe2\x82\xac \xf0\x9f\x98\x80", "\xe2\x82\xac \xf0\x9f\x98\x80"},  // 3- and 4-byte sequences
        {"bad\xff", "bad\xef\xbf\xbd"},                                      // invalid byte
        {"\xc3", "\xef\xbf\xbd"},                                            // truncated sequence
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},                            // overlong
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},            // surrogate
        {"</script>", "</script>"},
    };
    for (const auto& r : rows) EXPECT_EQ(json_escape(r.in), r.out) << "input: " << r.in;
}

}  // namespace
}  // namespace dirsync::common
