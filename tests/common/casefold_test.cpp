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

namespace dirsync::common {
namespace {

TEST(CaseFold, OnePersonOneName) {
    // What a person would call the same name folds to the same key (NFKC_Casefold).
    EXPECT_EQ(fold_case("jos\u00E9"), fold_case("jose\u0301"));                               // NFC, NFD
    EXPECT_EQ(fold_case("\u039F\u0394\u039F\u03A3"), fold_case("\u03BF\u03B4\u03BF\u03C2"));  // ΟΔΟΣ, οδος
    EXPECT_EQ(fold_case("\u01C4"), fold_case("\u01C6"));                                      // Ǆ, ǆ
    EXPECT_EQ(fold_case("\uFF21\uFF22\uFF23"), "abc");                                        // ＡＢＣ
    EXPECT_EQ(fold_case("\uFF41\uFF42\uFF43"), "abc");                                        // ａｂｃ
    EXPECT_EQ(fold_case("Stra\u00DFe"), fold_case("STRASSE"));                                // ß, SS
    EXPECT_EQ(fold_case("an\u00ADna"), "anna");  // a soft hyphen is ignorable
    EXPECT_TRUE(equal_folded("JOS\u00C9", "jose\u0301"));
    EXPECT_NE(fold_case("jos\u00E9"), fold_case("jose"));  // accents still count
}

}  // namespace
}  // namespace dirsync::common
