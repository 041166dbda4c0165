#include "ldap/filter_escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::ldap {
namespace {

struct escape_case {
    std::string input;
    std::string expected;
};

class EscapeFilterValue : public ::testing::TestWithParam<escape_case> {};

TEST_P(EscapeFilterValue, Escapes) { EXPECT_EQ(escape_filter_value(GetParam().input), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Rfc4515, EscapeFilterValue,
    ::testing::Values(escape_case{"", ""}, escape_case{"bjensen", "bjensen"},
                      // The RFC 4515 §4 examples.
                      escape_case{"Parens R Us (for all your parenthetical needs)",
                                  "Parens R Us \\28for all your parenthetical needs\\29"},
                      escape_case{"*", "\\2a"}, escape_case{"C:\\MyFile", "C:\\5cMyFile"},
                      escape_case{std::string("\x00\x00\x00\x04", 4), "\\00\\00\\00\\04"},
                      escape_case{"Lu\xc4\x8d\x69\xc4\x87", "Lu\xc4\x8d\x69\xc4\x87"},  // UTF-8 passes
                      // Injection attempts stay values.
                      escape_case{"*)(uid=*", "\\2a\\29\\28uid=\\2a"},
                      escape_case{"admin)(|(objectClass=*)", "admin\\29\\28|\\28objectClass=\\2a\\29"},
                      escape_case{"a\\2a", "a\\5c2a"},
                      // Control characters are escaped too.
                      escape_case{"a\tb\nc\x7f", "a\\09b\\0ac\\7f"},
                      // Other ASCII, including '=' '&' '|' '!' '~' '<' '>', is literal in a value.
                      escape_case{"a=b&c|d!e~f<g>h", "a=b&c|d!e~f<g>h"},
                      escape_case{"Gr\xc3\xbc\xc3\x9f"
                                  "e \xe2\x82\xac \xf0\x9f\x98\x80",
                                  "Gr\xc3\xbc\xc3\x9f"
                                  "e \xe2\x82\xac \xf0\x9f\x98\x80"},
                      // Bytes that are not well-formed UTF-8 are escaped.
                      escape_case{"\xff", "\\ff"}, escape_case{"a\xc3", "a\\c3"},
                      escape_case{"\xc0\xaf", "\\c0\\af"},                  // overlong '/'
                      escape_case{"\xed\xa0\x80", "\\ed\\a0\\80"},          // a surrogate
                      escape_case{"\xf4\x90\x80\x80", "\\f4\\90\\80\\80"},  // above U+10FFFF
                      escape_case{"\x80x", "\\80x"}));

TEST(EscapeFilterBytes, EscapesEveryByte) {
    EXPECT_EQ(escape_filter_bytes(""), "");
    EXPECT_EQ(escape_filter_bytes("a*"), "\\61\\2a");
    EXPECT_EQ(escape_filter_bytes(std::string("\x00\xff\x10", 3)), "\\00\\ff\\10");
}

}  // namespace
}  // namespace dirsync::ldap
