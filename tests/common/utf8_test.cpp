#include "common/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

TEST(Utf8, DecodesEachLength) {
    const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
    std::size_t pos = 0;
    EXPECT_EQ(next_code_point(text, pos), U'a');
    EXPECT_EQ(next_code_point(text, pos), U'\u00E9');
    EXPECT_EQ(next_code_point(text, pos), U'\u20AC');
    EXPECT_EQ(next_code_point(text, pos), U'\U0001F600');
    EXPECT_EQ(pos, text.size());
}

TEST(Utf8, RefusesWhatRfc3629Forbids) {
    for (const char* bad : {"\xC0\xAF",              // overlong '/'
                            "\xE0\x80\xAF",          // overlong, three bytes
                            "\xED\xA0\x80",          // a surrogate
                            "\xF4\x90\x80\x80",      // above U+10FFFF
                            "\x80", "\xBF",          // stray continuation bytes
                            "\xC3", "\xE2\x82",      // truncated
                            "\xF8\x88\x80\x80\x80",  // five-byte form
                            "\xFF"}) {
        EXPECT_FALSE(is_valid_utf8(bad)) << bad;
    }
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain \xC3\xA9t\xC3\xA9 \xF4\x8F\xBF\xBF"));
}

TEST(Utf8, AnInvalidByteAdvancesByOne) {
    const std::string text =
        "\xC3"
        "A";
    std::size_t pos = 0;
    EXPECT_FALSE(next_code_point(text, pos));
    EXPECT_EQ(pos, 1u);
    EXPECT_EQ(next_code_point(text, pos), U'A');
}

TEST(Utf8, PrefixNeverCutsASequence) {
    const std::string text = "ab\xE2\x82\xAC";  // "ab€"
    EXPECT_EQ(utf8_prefix(text, 10), text);
    EXPECT_EQ(utf8_prefix(text, 5), text);
    EXPECT_EQ(utf8_prefix(text, 4), "ab");
    EXPECT_EQ(utf8_prefix(text, 3), "ab");
    EXPECT_EQ(utf8_prefix(text, 2), "ab");
    EXPECT_EQ(utf8_prefix(text, 0), "");
}

TEST(Utf8, ControlsAndSpaces) {
    for (char32_t c : {U'\0', U'\t', U'\n', U'\x1F', U'\x7F', U'\x85', U'\x9F'}) EXPECT_TRUE(is_control(c));
    for (char32_t c : {U' ', U'a', U'\xA0', U'\u00E9'}) EXPECT_FALSE(is_control(c));
    for (char32_t c : {U' ', U'\t', U'\xA0', U'\u2003', U'\u3000', U'\u2028'})
        EXPECT_TRUE(is_unicode_space(c));
    for (char32_t c : {U'a', U'_', U'\u200B', U'\u00E9'}) EXPECT_FALSE(is_unicode_space(c));
}

}  // namespace
}  // namespace dirsync::common
