#include "directory/name_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::directory {
namespace {

TEST(NameText, PrintableNamesPass) {
    for (std::string_view ok :
         {"bjensen", "Barbara Jensen", " padded ", "caf\xC3\xA9", "\xE5\xBC\xA0\xE4\xB8\x89",
          "a\xC2\xA0"
          "b",
          "x"}) {
        EXPECT_TRUE(check_name_text(ok, "userName")) << ok;
    }
}

TEST(NameText, ControlCharactersAreRefusedByName) {
    using namespace std::string_view_literals;
    for (std::string_view bad : {"a\0b"sv, "\0"sv, "tab\there"sv, "line\n"sv, "\x1b[31mred"sv, "del\x7f"sv,
                                 "c1\xC2\x85"sv, "c1\xC2\x9F"sv}) {
        auto r = check_name_text(bad, "userName");
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, error_code::invalid_value);
        EXPECT_NE(r.error().message.find("userName must not contain control characters"), std::string::npos)
            << r.error().message;
    }
    auto nul = check_name_text(std::string_view("a\0", 2), "displayName");
    ASSERT_FALSE(nul);
    EXPECT_NE(nul.error().message.find("U+0000"), std::string::npos) << nul.error().message;
}

TEST(NameText, OnlyWhiteSpaceIsRefused) {
    for (std::string_view bad : {" ", "   ", "\xC2\xA0", "\xE3\x80\x80", " \xE2\x80\x83 "}) {
        auto r = check_name_text(bad, "displayName");
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().message, "displayName must not be only white space");
    }
}

}  // namespace
}  // namespace dirsync::directory
