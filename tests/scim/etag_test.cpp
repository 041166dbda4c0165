#include "scim/etag.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

struct etag_case {
    std::string name;
    std::string header;
    bool any;
    std::vector<std::int64_t> versions;
};

std::ostream& operator<<(std::ostream& os, const etag_case& c) { return os << c.name; }

const std::vector<etag_case> accepted_cases = {
    {"weak", R"(W/"3")", false, {3}},
    {"strong", R"("3")", false, {3}},
    {"list", R"("3", W/"4")", false, {3, 4}},
    {"list_without_spaces", R"(W/"3",W/"4",W/"5")", false, {3, 4, 5}},
    {"list_with_extra_whitespace_and_commas", " \tW/\"3\" ,, \"4\"\t,", false, {3, 4}},
    {"any", "*", true, {}},
    {"any_after_whitespace", "  *", true, {}},
    {"zero", R"(W/"0")", false, {0}},
    {"large_version", R"(W/"9223372036854775807")", false, {9'223'372'036'854'775'807}},
    {"foreign_etag_skipped", R"("33a64df551425fcc55e4d42a148795d9f25f89d4")", false, {}},
    {"foreign_weak_etag_skipped", R"(W/"abc")", false, {}},
    {"foreign_among_ours", R"("xyzzy", W/"7", "r2d2")", false, {7}},
    {"number_with_suffix_is_foreign", R"("3x")", false, {}},
    {"empty_tag_is_foreign", R"("")", false, {}},
    {"out_of_range_is_foreign", R"(W/"99999999999999999999")", false, {}},
    {"duplicates_kept", R"("3", "3")", false, {3, 3}},
};

class EtagParse : public ::testing::TestWithParam<etag_case> {};

TEST_P(EtagParse, GivesTheCondition) {
    const auto& c = GetParam();
    const auto result = parse_etag_condition(c.header);
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->any, c.any);
    EXPECT_EQ(result->versions, c.versions);
}

INSTANTIATE_TEST_SUITE_P(Cases, EtagParse, ::testing::ValuesIn(accepted_cases),
                         [](const auto& info) { return info.param.name; });

struct rejected_case {
    std::string name;
    std::string header;
};

std::ostream& operator<<(std::ostream& os, const rejected_case& c) { return os << c.name; }

const std::vector<rejected_case> rejected_cases = {
    {"unquoted", "3"},
    {"weak_unquoted", "W/3"},
    {"weak_prefix_only", "W/"},
    {"unterminated", R"("3)"},
    {"unterminated_second", R"("3", W/"4)"},
    {"word", "abc"},
    {"trailing_garbage", R"(W/"3" garbage)"},
    {"any_in_a_list", R"(*, W/"3")"},
    {"any_twice", "**"},
    {"single_quotes", "'3'"},
};

class EtagParseRejects : public ::testing::TestWithParam<rejected_case> {};

TEST_P(EtagParseRejects, AsInvalidValue) {
    const auto result = parse_etag_condition(GetParam().header);
    ASSERT_FALSE(result) << GetParam().header;
    EXPECT_EQ(result.error().status, 400u);
    EXPECT_EQ(result.error().scim_type, "invalidValue");
    EXPECT_FALSE(result.error().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(Cases, EtagParseRejects, ::testing::ValuesIn(rejected_cases),
                         [](const auto& info) { return info.param.name; });

struct match_case {
    std::string header;
    std::int64_t version;
    bool matches;
};

TEST(EtagConditionMatches, Versions) {
    const std::vector<match_case> cases = {
        {R"(W/"3")", 3, true},      {R"(W/"3")", 4, false},      {R"("3")", 3, true},
        {R"("3", W/"4")", 4, true}, {R"("3", W/"4")", 5, false}, {"*", 0, true},
        {"*", 12345, true},         {R"(W/"abc")", 0, false},    {R"("")", 0, false},
    };
    for (const auto& c : cases) {
        const auto condition = parse_etag_condition(c.header);
        ASSERT_TRUE(condition) << c.header;
        EXPECT_EQ(condition->matches(c.version), c.matches) << c.header << " vs " << c.version;
    }
}

TEST(EtagConditionMatches, EmptyConditionMatchesNothing) {
    const etag_condition none;
    EXPECT_FALSE(none.matches(0));
    EXPECT_FALSE(none.matches(1));
}

}  // namespace
}  // namespace dirsync::scim
