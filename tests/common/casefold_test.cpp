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

TEST(CaseFold, EqualFolded) {
    EXPECT_TRUE(equal_folded("ABC", "abc"));
    EXPECT_TRUE(equal_folded("Müller", "MÜLLER"));
    EXPECT_FALSE(equal_folded("abc", "abd"));
    EXPECT_FALSE(equal_folded("abc", "abcd"));
}

}  // namespace dirsync::common
