#include "scim/search_request.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using nlohmann::json;

constexpr std::size_t default_count = 100;
constexpr std::size_t max_count = 1000;

search_request from_query(std::string_view q) {
    auto params = http::query_params::parse(q);
    EXPECT_TRUE(params) << q;
    auto r = parse_search_query(*params, default_count, max_count);
    EXPECT_TRUE(r) << q << ": " << (r ? "" : r.error().detail);
    return r ? *r : search_request{};
}

TEST(SearchRequestQuery, AllParameters) {
    auto r = from_query(
        "filter=userName+sw+%22a%22&startIndex=3&count=5&attributes=userName,emails&sortBy=name.givenName"
        "&sortOrder=Descending");
    EXPECT_EQ(r.filter, "userName sw \"a\"");
    EXPECT_EQ(r.start_index, 3);
    EXPECT_EQ(r.count, 5);
    EXPECT_EQ(r.attributes, std::vector<std::string>{"userName,emails"});
    EXPECT_TRUE(r.excluded_attributes.empty());
    ASSERT_TRUE(r.sort);
    EXPECT_EQ(r.sort->path.attribute, "name");
    EXPECT_EQ(r.sort->path.sub_attribute, "givenName");
    EXPECT_EQ(r.sort->direction, sort_direction::descending);
}

TEST(SearchRequestQuery, Defaults) {
    auto r = from_query("");
    EXPECT_FALSE(r.filter);
    EXPECT_FALSE(r.sort);
    EXPECT_EQ(r.start_index, 1);
    EXPECT_EQ(r.count, 100);
    auto ignored =
        from_query("sortOrder=sideways&excludedattributes=emails");  // no sortBy: sortOrder ignored
    EXPECT_FALSE(ignored.sort);
    EXPECT_EQ(ignored.excluded_attributes, std::vector<std::string>{"emails"});
    auto capped = from_query("count=5000&startIndex=0");
    EXPECT_EQ(capped.count, 1000);
    EXPECT_EQ(capped.start_index, 1);
}

TEST(SearchRequestQuery, Rejects) {
    for (auto q : {"count=ten", "startIndex=1x", "sortBy=user%20name", "sortBy=userName&sortOrder=up"}) {
        auto params = http::query_params::parse(q);
        ASSERT_TRUE(params);
        auto r = parse_search_query(*params, default_count, max_count);
        ASSERT_FALSE(r) << q;
        EXPECT_EQ(r.error().status, 400u);
        EXPECT_EQ(r.error().scim_type, "invalidValue") << q;
    }
}

TEST(SearchRequestBody, FullRequest) {
    auto r = parse_search_body(json::parse(R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "attributes": ["displayName", "userName"],
        "filter": "displayName sw \"smith\"",
        "sortBy": "userName", "sortOrder": "descending",
        "startIndex": 1, "count": 10})"),
                               default_count, max_count);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->attributes, (std::vector<std::string>{"displayName", "userName"}));
    EXPECT_EQ(r->filter, "displayName sw \"smith\"");
    ASSERT_TRUE(r->sort);
    EXPECT_EQ(r->sort->path.attribute, "userName");
    EXPECT_EQ(r->sort->direction, sort_direction::descending);
    EXPECT_EQ(r->start_index, 1);
    EXPECT_EQ(r->count, 10);
}

struct body_case {
    const char* label;
    const char* body;
    bool ok;
    const char* scim_type;  // when !ok
};

std::ostream& operator<<(std::ostream& os, const body_case& c) { return os << c.label; }

class SearchRequestBodyTable : public ::testing::TestWithParam<body_case> {};

TEST_P(SearchRequestBodyTable, Parses) {
    const auto& c = GetParam();
    auto r = parse_search_body(json::parse(c.body), default_count, max_count);
    ASSERT_EQ(static_cast<bool>(r), c.ok) << (r ? "" : r.error().detail);
    if (!r) {
        EXPECT_EQ(r.error().status, 400u);
        EXPECT_EQ(r.error().scim_type, c.scim_type);
    }
}

#define SR "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"]"

INSTANTIATE_TEST_SUITE_P(
    Table, SearchRequestBodyTable,
    ::testing::Values(
        body_case{"minimal", "{" SR "}", true, ""},
        body_case{"member names any case",
                  "{\"SCHEMAS\":[\"urn:ietf:params:scim:api:messages:2.0:searchrequest\"],"
                  "\"Count\":3,\"STARTINDEX\":\"2\"}",
                  true, ""},
        body_case{"nulls are absent", "{" SR ",\"filter\":null,\"count\":null,\"attributes\":null}", true,
                  ""},
        body_case{"attributes as one string", "{" SR ",\"attributes\":\"userName,emails\"}", true, ""},
        body_case{"unknown members ignored", "{" SR ",\"cursor\":\"x\"}", true, ""},
        body_case{"integral float count", "{" SR ",\"count\":10.0}", true, ""},
        body_case{"not an object", "[]", false, "invalidSyntax"},
        body_case{"no schemas", "{\"count\":1}", false, "invalidSyntax"},
        body_case{"wrong schema", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]}", false,
                  "invalidSyntax"},
        body_case{"schemas not an array",
                  "{\"schemas\":\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"}", false,
                  "invalidSyntax"},
        body_case{"filter not a string", "{" SR ",\"filter\":5}", false, "invalidSyntax"},
        body_case{"attributes of numbers", "{" SR ",\"attributes\":[1]}", false, "invalidSyntax"},
        body_case{"excludedAttributes an object", "{" SR ",\"excludedAttributes\":{}}", false,
                  "invalidSyntax"},
        body_case{"count text", "{" SR ",\"count\":\"ten\"}", false, "invalidSyntax"},
        body_case{"count fraction", "{" SR ",\"count\":1.5}", false, "invalidSyntax"},
        body_case{"startIndex boolean", "{" SR ",\"startIndex\":true}", false, "invalidSyntax"},
        body_case{"sortBy number", "{" SR ",\"sortBy\":1}", false, "invalidSyntax"},
        body_case{"sortBy not a path", "{" SR ",\"sortBy\":\"a b\"}", false, "invalidValue"},
        body_case{"sortOrder unknown", "{" SR ",\"sortBy\":\"userName\",\"sortOrder\":\"up\"}", false,
                  "invalidValue"}));

#undef SR

TEST(SearchRequestBody, PagingBounds) {
    const auto parse = [](const char* body) {
        auto r = parse_search_body(json::parse(body), default_count, max_count);
        EXPECT_TRUE(r);
        return r ? *r : search_request{};
    };
    auto r = parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})");
    EXPECT_EQ(r.count, 100);
    EXPECT_EQ(r.start_index, 1);
    r = parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":-3,"startIndex":-9})");
    EXPECT_EQ(r.count, 0);
    EXPECT_EQ(r.start_index, 1);
    r = parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":99999999999999999999})");
    EXPECT_EQ(r.count, 1000);
    r = parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"startIndex":"99999999999999999999"})");
    EXPECT_EQ(r.start_index, INT64_MAX);
}

}  // namespace
}  // namespace dirsync::scim
