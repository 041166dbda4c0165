#include "common/ascii.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace dirsync::common {
namespace {

TEST(Ascii, LowerFoldsOnlyAToZ) {
    EXPECT_EQ(ascii_lower('A'), 'a');
    EXPECT_EQ(ascii_lower('Z'), 'z');
    EXPECT_EQ(ascii_lower('a'), 'a');
    for (char c : {'@', '[', '`', '{', '0', '-', '\0', '\x7F'}) EXPECT_EQ(ascii_lower(c), c);
    for (char c : {'\xC3', '\x89', '\xC1', '\xFF'}) EXPECT_EQ(ascii_lower(c), c);
    static_assert(ascii_lower('Q') == 'q');
}

TEST(Ascii, IequalsFoldsAsciiOnly) {
    EXPECT_TRUE(iequals_ascii("userName", "USERNAME"));
    EXPECT_TRUE(iequals_ascii("Content-Length", "content-length"));
    EXPECT_TRUE(iequals_ascii("", ""));
    EXPECT_FALSE(iequals_ascii("userName", "userNam"));
    EXPECT_FALSE(iequals_ascii("", "a"));
    EXPECT_FALSE(iequals_ascii("a[", "A{"));  // '[' and '{' differ by 0x20 but are not letters
    EXPECT_FALSE(iequals_ascii("@", "`"));
    EXPECT_FALSE(iequals_ascii("\xC3\x89", "\xC3\xA9"));  // É and é: not ASCII, not folded
    EXPECT_TRUE(iequals_ascii("\xC3\x89", "\xC3\x89"));
    EXPECT_TRUE(iequals_ascii(std::string_view("a\0B", 3), std::string_view("A\0b", 3)));
    EXPECT_FALSE(iequals_ascii(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
    static_assert(iequals_ascii("Bearer", "bEARER"));
}

TEST(Ascii, ToLowerLeavesOtherBytesAlone) {
    EXPECT_EQ(to_lower_ascii("MixedCase-123_[]@"), "mixedcase-123_[]@");
    EXPECT_EQ(to_lower_ascii(""), "");
    EXPECT_EQ(to_lower_ascii("M\xC3\x9C"
                             "LLER"),
              "m\xC3\x9C"
              "ller");  // the Ü stays as its two bytes
    EXPECT_EQ(to_lower_ascii("\xC1\x81\xFF"), "\xC1\x81\xFF");
    EXPECT_EQ(to_lower_ascii(std::string_view("A\0B", 3)), std::string("a\0b", 3));
}

TEST(Ascii, IstartsWithFoldsBothSides) {
    EXPECT_TRUE(istarts_with_ascii("LDAPS://host", "ldaps://"));
    EXPECT_TRUE(istarts_with_ascii("ldaps://host", "LDAPS://"));
    EXPECT_TRUE(istarts_with_ascii("Range=0-*", "range="));
    EXPECT_TRUE(istarts_with_ascii("range=", "RANGE="));
    EXPECT_TRUE(istarts_with_ascii("anything", ""));
    EXPECT_TRUE(istarts_with_ascii("", ""));
    EXPECT_FALSE(istarts_with_ascii("", "a"));
    EXPECT_FALSE(istarts_with_ascii("ldap://host", "ldaps://"));
    EXPECT_FALSE(istarts_with_ascii("rang", "range="));
    EXPECT_FALSE(istarts_with_ascii("[x", "{x"));
    EXPECT_TRUE(istarts_with_ascii("\xC3\x89t\xC3\xA9", "\xC3\x89T"));
    EXPECT_FALSE(istarts_with_ascii("\xC3\x89t\xC3\xA9", "\xC3\xA9t"));  // É and é: not ASCII, not folded
    static_assert(istarts_with_ascii("URN:ietf", "urn:"));
}

TEST(Ascii, LowercaseNamesAreShortLowercaseTokens) {
    const std::string longest(max_lowercase_name_length, 'a');
    for (std::string_view ok : {"a", "0", "acme", "acme-eu_2", "9lives", "z-"})
        EXPECT_TRUE(is_lowercase_name(ok)) << ok;
    EXPECT_EQ(max_lowercase_name_length, 63u);
    EXPECT_TRUE(is_lowercase_name(longest));
    EXPECT_FALSE(is_lowercase_name(longest + "a"));
    for (std::string_view bad : {"", "-a", "_a", "Acme", "ac me", "a.b", "a/b", "\xC3\xA9t\xC3\xA9", "a\n"})
        EXPECT_FALSE(is_lowercase_name(bad)) << bad;
    static_assert(is_lowercase_name("admin") && !is_lowercase_name("Admin"));
}

}  // namespace
}  // namespace dirsync::common
