#include "common/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

TEST(Utf8, SequenceLengthOfEachForm) {
    const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
    EXPECT_EQ(utf8_sequence_length(text, 0), 1u);
    EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
    EXPECT_EQ(utf8_sequence_length(text, 3), 3u);
    EXPECT_EQ(utf8_sequence_length(text, 6), 4u);
    EXPECT_EQ(utf8_sequence_length(text, 2), 0u);  // a continuation byte
    EXPECT_EQ(utf8_sequence_length(text, 7), 0u);
    EXPECT_EQ(utf8_sequence_length(text, text.size()), 0u);  // past the end
    EXPECT_EQ(utf8_sequence_length(std::string_view("\0", 1), 0), 1u);
}

TEST(Utf8, SequenceLengthRefusesWhatRfc3629Forbids) {
    for (const char* bad : {"\xC0\xAF", "\xC1\x81",              // overlong, two bytes
                            "\xE0\x80\xAF",                      // overlong, three bytes
                            "\xF0\x80\x80\xAF",                  // overlong, four bytes
                            "\xED\xA0\x80", "\xED\xBF\xBF",      // surrogates
                            "\xF4\x90\x80\x80",                  // above U+10FFFF
                            "\xF5\x80\x80\x80",                  // lead byte past U+10FFFF
                            "\x80", "\xBF",                      // stray continuation bytes
                            "\xC3", "\xE2\x82", "\xF0\x9F\x98",  // truncated
                            "\xFF"}) {
        EXPECT_EQ(utf8_sequence_length(bad, 0), 0u) << bad;
    }
    EXPECT_EQ(utf8_sequence_length("\xC3?", 0), 0u);             // the continuation byte is missing
    EXPECT_EQ(utf8_sequence_length("\xED\x9F\xBF", 0), 3u);      // U+D7FF, just below the surrogates
    EXPECT_EQ(utf8_sequence_length("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
    EXPECT_EQ(utf8_sequence_length("\xC2\x80", 0), 2u);          // U+0080, the smallest two-byte form
}

TEST(Utf8, AppendEncodesEachLength) {
    std::string out;
    append_utf8(U'a', out);
    EXPECT_EQ(out, "a");
    append_utf8(U'\0', out);
    EXPECT_EQ(out, std::string("a\0", 2));
    out.clear();
    append_utf8(U'\x7F', out);
    append_utf8(U'\x80', out);
    append_utf8(U'\u00E9', out);
    append_utf8(U'\u07FF', out);
    append_utf8(U'\u0800', out);
    append_utf8(U'\u20AC', out);
    append_utf8(U'\uFFFF', out);
    append_utf8(U'\U00010000', out);
    append_utf8(U'\U0001F600', out);
    append_utf8(U'\U0010FFFF', out);
    EXPECT_EQ(out,
              "\x7F"
              "\xC2\x80"
              "\xC3\xA9"
              "\xDF\xBF"
              "\xE0\xA0\x80"
              "\xE2\x82\xAC"
              "\xEF\xBF\xBF"
              "\xF0\x90\x80\x80"
              "\xF0\x9F\x98\x80"
              "\xF4\x8F\xBF\xBF");
}

TEST(Utf8, AppendRoundTripsThroughNextCodePoint) {
    for (char32_t c : {U'\0', U'A', U'\x7F', U'\x80', U'\u07FF', U'\u0800', U'\uD7FF', U'\uE000', U'\uFFFD',
                       U'\U00010000', U'\U0010FFFF'}) {
        std::string out;
        append_utf8(c, out);
        EXPECT_TRUE(is_valid_utf8(out));
        EXPECT_EQ(utf8_sequence_length(out, 0), out.size());
        std::size_t pos = 0;
        EXPECT_EQ(next_code_point(out, pos), c);
        EXPECT_EQ(pos, out.size());
    }
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
