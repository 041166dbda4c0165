#include "scim/list_request.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

struct list_case {
    std::string name;
    std::string query;
    std::optional<std::string> filter;
    std::int64_t start_index;
    std::int64_t count;
    std::size_t default_count = 100;
    std::size_t max_count = 1000;
};

std::ostream& operator<<(std::ostream& os, const list_case& c) { return os << c.name; }

const std::vector<list_case> accepted_cases = {
    // --- defaults
    // -------------------------------------------------------------------------------------------
    {"defaults", "", std::nullopt, 1, 100},
    {"other_default", "", std::nullopt, 1, 20, 20},
    {"default_above_cap_is_capped", "", std::nullopt, 1, 1000, 5000, 1000},
    {"filter", "filter=userName+eq+%22bjensen%22", R"(userName eq "bjensen")", 1, 100},
    {"empty_filter_is_present", "filter=", "", 1, 100},
    {"names_case_insensitive", "FILTER=a+pr&startindex=3&Count=7", "a pr", 3, 7},
    {"last_value_wins", "count=5&count=6", std::nullopt, 1, 6},

    // --- count
    // ----------------------------------------------------------------------------------------------
    {"count", "count=10", std::nullopt, 1, 10},
    {"count_zero_asks_for_total_only", "count=0", std::nullopt, 1, 0},
    {"count_negative_is_zero", "count=-5", std::nullopt, 1, 0},
    {"count_at_cap", "count=1000", std::nullopt, 1, 1000},
    {"count_above_cap", "count=1001", std::nullopt, 1, 1000},
    {"count_far_above_cap", "count=5000", std::nullopt, 1, 1000},
    {"count_with_leading_zeros", "count=007", std::nullopt, 1, 7},
    {"count_with_spaces", "count=+10+", std::nullopt, 1, 10},
    {"count_overflow_is_capped", "count=99999999999999999999", std::nullopt, 1, 1000},
    {"count_negative_overflow_is_zero", "count=-99999999999999999999", std::nullopt, 1, 0},
    {"count_int64_max", "count=9223372036854775807", std::nullopt, 1, 1000},

    // --- startIndex
    // -----------------------------------------------------------------------------------------
    {"start_index", "startIndex=21", std::nullopt, 21, 100},
    {"start_index_one", "startIndex=1", std::nullopt, 1, 100},
    {"start_index_zero_is_one", "startIndex=0", std::nullopt, 1, 100},
    {"start_index_negative_is_one", "startIndex=-3", std::nullopt, 1, 100},
    {"start_index_overflow", "startIndex=99999999999999999999", std::nullopt, int64_max, 100},
    {"start_index_negative_overflow_is_one", "startIndex=-99999999999999999999", std::nullopt, 1, 100},
    {"start_index_int64_max", "startIndex=9223372036854775807", std::nullopt, int64_max, 100},
    {"both", "startIndex=51&count=50", std::nullopt, 51, 50},
};

class ListRequestParse : public ::testing::TestWithParam<list_case> {};

TEST_P(ListRequestParse, ReadsPagingAndFilter) {
    const auto& c = GetParam();
    const auto params = http::query_params::parse(c.query);
    ASSERT_TRUE(params);
    const auto result = parse_list_request(*params, c.default_count, c.max_count);
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->filter, c.filter);
    EXPECT_EQ(result->start_index, c.start_index);
    EXPECT_EQ(result->count, c.count);
}

INSTANTIATE_TEST_SUITE_P(Cases, ListRequestParse, ::testing::ValuesIn(accepted_cases),
                         [](const auto& info) { return info.param.name; });

struct rejected_case {
    std::string name;
    std::string query;
    std::string parameter;  ///< named in the error detail
};

std::ostream& operator<<(std::ostream& os, const rejected_case& c) { return os << c.name; }

const std::vector<rejected_case> rejected_cases = {
    {"count_word", "count=ten", "count"},
    {"count_empty", "count=", "count"},
    {"count_fraction", "count=1.5", "count"},
    {"count_plus_sign", "count=%2B5", "count"},
    {"count_hex", "count=0x10", "count"},
    {"count_trailing_garbage", "count=10abc", "count"},
    {"count_only_spaces", "count=+++", "count"},
    {"count_tab", "count=%0910", "count"},
    {"count_minus_only", "count=-", "count"},
    {"start_index_word", "startIndex=first", "startIndex"},
    {"start_index_fraction", "startIndex=2.0", "startIndex"},
    {"start_index_empty", "startIndex=", "startIndex"},
    {"start_index_exponent", "startIndex=1e3", "startIndex"},
    {"start_index_inner_space", "startIndex=1+0", "startIndex"},
};

class ListRequestRejects : public ::testing::TestWithParam<rejected_case> {};

TEST_P(ListRequestRejects, NonIntegersAsInvalidValue) {
    const auto& c = GetParam();
    const auto params = http::query_params::parse(c.query);
    ASSERT_TRUE(params);
    const auto result = parse_list_request(*params, 100, 1000);
    ASSERT_FALSE(result) << c.query;
    EXPECT_EQ(result.error().status, 400u);
    EXPECT_EQ(result.error().scim_type, "invalidValue");
    EXPECT_NE(result.error().detail.find(c.parameter + " must be an integer"), std::string::npos)
        << result.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Cases, ListRequestRejects, ::testing::ValuesIn(rejected_cases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dirsync::scim
