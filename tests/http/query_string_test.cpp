#include "http/query_string.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::http {
namespace {

using namespace std::string_literals;

// -----------------------------------------------------------------------------------------------------------
// split_target
// -----------------------------------------------------------------------------------------------------------

struct split_case {
    std::string name;
    std::string target;
    std::string path;
    std::string query;
};

std::ostream& operator<<(std::ostream& os, const split_case& c) { return os << c.name; }

const std::vector<split_case> split_cases = {
    {"no_query", "/scim/v2/Users", "/scim/v2/Users", ""},
    {"query", "/scim/v2/Users?count=10&startIndex=2", "/scim/v2/Users", "count=10&startIndex=2"},
    {"empty_query", "/scim/v2/Users?", "/scim/v2/Users", ""},
    {"fragment_dropped", "/scim/v2/Users?filter=a%20pr#section", "/scim/v2/Users", "filter=a%20pr"},
    {"fragment_only_after_question_mark", "/Users?#frag", "/Users", ""},
    {"second_question_mark_is_query_text", "/Users?a=1?b=2", "/Users", "a=1?b=2"},
    {"query_kept_encoded", "/Users?filter=userName+eq+%22b%22", "/Users", "filter=userName+eq+%22b%22"},
    {"root", "/", "/", ""},
    {"empty", "", "", ""},
};

class QueryStringSplitTarget : public ::testing::TestWithParam<split_case> {};

TEST_P(QueryStringSplitTarget, GivesPathAndQuery) {
    const auto& c = GetParam();
    const auto [path, query] = split_target(c.target);
    EXPECT_EQ(path, c.path);
    EXPECT_EQ(query, c.query);
}

INSTANTIATE_TEST_SUITE_P(Cases, QueryStringSplitTarget, ::testing::ValuesIn(split_cases),
                         [](const auto& info) { return info.param.name; });

// -----------------------------------------------------------------------------------------------------------
// percent_decode
// -----------------------------------------------------------------------------------------------------------

struct decode_case {
    std::string name;
    std::string text;
    bool plus_is_space;
    std::optional<std::string> expected;  ///< nullopt: malformed
};

std::ostream& operator<<(std::ostream& os, const decode_case& c) { return os << c.name; }

const std::vector<decode_case> decode_cases = {
    {"empty", "", true, ""},
    {"plain", "bjensen", true, "bjensen"},
    {"plus_is_space_in_query", "a+b", true, "a b"},
    {"plus_kept_elsewhere", "a+b", false, "a+b"},
    {"encoded_plus", "a%2Bb", true, "a+b"},
    {"encoded_plus_lower_case_hex", "a%2bb", true, "a+b"},
    {"encoded_space", "a%20b", false, "a b"},
    {"quotes", "userName+eq+%22bjensen%22", true, R"(userName eq "bjensen")"},
    {"utf8", "Ren%C3%A9e", true,
     "Ren\xC3\xA9"
     "e"},
    {"encoded_percent_decoded_once", "100%2525", true, "100%25"},
    {"nul_byte", "a%00b", true, "a\0b"s},
    {"high_byte", "%FF", true, "\xFF"},
    {"escape_at_end", "ab%41", true, "abA"},
    {"bad_first_hex_digit", "%G1", true, std::nullopt},
    {"bad_second_hex_digit", "%1G", true, std::nullopt},
    {"lone_percent", "%", true, std::nullopt},
    {"trailing_percent", "100%", true, std::nullopt},
    {"truncated_escape", "ab%4", true, std::nullopt},
    {"sign_is_not_hex", "%+1", true, std::nullopt},
    {"space_is_not_hex", "% 1", false, std::nullopt},
};

class QueryStringPercentDecode : public ::testing::TestWithParam<decode_case> {};

TEST_P(QueryStringPercentDecode, Decodes) {
    const auto& c = GetParam();
    EXPECT_EQ(percent_decode(c.text, c.plus_is_space), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, QueryStringPercentDecode, ::testing::ValuesIn(decode_cases),
                         [](const auto& info) { return info.param.name; });

// -----------------------------------------------------------------------------------------------------------
// query_params
// -----------------------------------------------------------------------------------------------------------

struct lookup {
    std::string name;
    std::optional<std::string> value;  ///< nullopt: absent
};

struct params_case {
    std::string name;
    std::string query;
    std::vector<lookup> lookups;
};

std::ostream& operator<<(std::ostream& os, const params_case& c) { return os << c.name; }

const std::vector<params_case> params_cases = {
    {"empty", "", {{"filter", std::nullopt}}},
    {"pairs", "count=10&startIndex=2", {{"count", "10"}, {"startIndex", "2"}, {"filter", std::nullopt}}},
    {"names_case_insensitive", "startindex=3&COUNT=4", {{"startIndex", "3"}, {"count", "4"}, {"Count", "4"}}},
    {"last_value_wins", "count=1&count=2", {{"count", "2"}}},
    {"last_value_wins_across_spellings", "count=1&Count=2&COUNT=3", {{"count", "3"}}},
    {"value_decoded", "filter=userName+eq+%22b%2Bj%22", {{"filter", R"(userName eq "b+j")"}}},
    {"name_decoded", "start%49ndex=5&fil%74er=x", {{"startIndex", "5"}, {"filter", "x"}}},
    {"value_may_contain_equals", "filter=a=b", {{"filter", "a=b"}}},
    {"name_without_value", "filter&count=", {{"filter", ""}, {"count", ""}}},
    {"empty_parts_skipped", "&&count=5&", {{"count", "5"}}},
    {"encoded_ampersand_is_value_text", "filter=a%26b&count=1", {{"filter", "a&b"}, {"count", "1"}}},
    {"prefix_is_not_a_match", "counter=1", {{"count", std::nullopt}}},
};

class QueryStringParams : public ::testing::TestWithParam<params_case> {};

TEST_P(QueryStringParams, FindsValues) {
    const auto& c = GetParam();
    const auto params = query_params::parse(c.query);
    ASSERT_TRUE(params);
    for (const auto& l : c.lookups) {
        const auto got = params->get(l.name);
        if (!l.value) {
            EXPECT_FALSE(got) << l.name << " = " << *got;
        } else {
            ASSERT_TRUE(got) << l.name;
            EXPECT_EQ(*got, *l.value) << l.name;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, QueryStringParams, ::testing::ValuesIn(params_cases),
                         [](const auto& info) { return info.param.name; });

TEST(QueryStringParamsReject, MalformedEscapes) {
    for (const char* query : {"filter=%G1", "count=10%", "a%=1", "count=1&filter=%2", "%zz"}) {
        EXPECT_FALSE(query_params::parse(query)) << query;
    }
}

}  // namespace
}  // namespace dirsync::http
