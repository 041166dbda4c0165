#include "common/casefold.hpp"

#include <gtest/gtest.h>

namespace dirsync::common {

TEST(CaseFold, FoldsAsciiAndCommonScripts) {
    struct {
        const char* in;
        const char* out;
    } cases[] = {
        {"BJensen@Example.COM", "bjensen@example.com"},
        {"MÜLLER", "müller"},
        {"ÀÉÎÕÜ", "àéîõü"},
        {"ŁUKASZ", "łukasz"},
        {"ŽOFIE", "žofie"},
        {"ΑΘΗΝΑ", "αθηνα"},
        {"ИВАН", "иван"},
        {"ЁЖ", "ёж"},
        {"already lower", "already lower"},
        {"日本語", "日本語"},
        {"\xff\xfe bad", "\xff\xfe bad"},
        {"×", "×"},
    };
    for (auto& c : cases) EXPECT_EQ(fold_case(c.in), c.out) << c.in;
}

TEST(CaseFold, OverlongEncodingsAreNotFolded) {
    // "\xC1\x81" is an overlong 'A': invalid UTF-8, so its bytes are copied unchanged and it does not match.
    EXPECT_EQ(fold_case("\xC1\x81"), "\xC1\x81");
    EXPECT_NE(fold_case("\xC1\x81"), "a");
    EXPECT_EQ(fold_case("X\xC1\x81Y"), "x\xC1\x81y");
    EXPECT_EQ(fold_case("\xE0\x83\x80"), "\xE0\x83\x80");  // an overlong U+00C0 stays as it is
    EXPECT_FALSE(equal_folded("\xC1\x81", "a"));
    EXPECT_FALSE(equal_folded("\xC1\x81", "A"));
    EXPECT_TRUE(equal_folded("\xC1\x81", "\xC1\x81"));
}

TEST(CaseFold, InvalidBytesAreCopiedUnchanged) {
    for (const char* bad : {"\xED\xA0\x80",      // a surrogate
                            "\xF4\x90\x80\x80",  // above U+10FFFF
                            "\xC3",              // truncated
                            "\x80\xBF",          // stray continuation bytes
                            "\xF8\x88\x80\x80\x80"}) {
        EXPECT_EQ(fold_case(bad), bad);
    }
    EXPECT_EQ(fold_case("\xC3"
                        "A\xC3\x89"),
              "\xC3"
              "a\xC3\xA9");
}

TEST(CaseFold, EqualFolded) {
    EXPECT_TRUE(equal_folded("ABC", "abc"));
    EXPECT_TRUE(equal_folded("Müller", "MÜLLER"));
    EXPECT_FALSE(equal_folded("abc", "abd"));
    EXPECT_FALSE(equal_folded("abc", "abcd"));
}

}  // namespace dirsync::common
