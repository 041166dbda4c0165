#include "scim/sort_spec.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using nlohmann::json;

TEST(SortSpecParse, DirectionAndPath) {
    auto a = parse_sort_spec("userName", std::nullopt);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->path.attribute, "userName");
    EXPECT_EQ(a->direction, sort_direction::ascending);
    auto d = parse_sort_spec("name.givenName", std::string_view("DESCENDING"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->path.sub_attribute, "givenName");
    EXPECT_EQ(d->direction, sort_direction::descending);
    auto u = parse_sort_spec("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                             std::string_view("Ascending"));
    ASSERT_TRUE(u);
    EXPECT_EQ(u->path.schema_urn, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");

    for (auto bad : {"user name", "", "a.b.c"}) {
        auto r = parse_sort_spec(bad, std::nullopt);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().scim_type, "invalidValue");
    }
    for (auto bad : {"up", "asc", ""}) {
        auto r = parse_sort_spec("userName", std::string_view(bad));
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().scim_type, "invalidValue");
    }
}

struct validate_case {
    const char* sort_by;
    bool valid;
};

std::ostream& operator<<(std::ostream& os, const validate_case& c) { return os << c.sort_by; }

class SortSpecValidate : public ::testing::TestWithParam<validate_case> {};

TEST_P(SortSpecValidate, User) {
    auto spec = parse_sort_spec(GetParam().sort_by, std::nullopt);
    ASSERT_TRUE(spec);
    auto r = validate_sort_spec(*spec, resource::user_resource_schema());
    EXPECT_EQ(static_cast<bool>(r), GetParam().valid);
    if (!r) {
        EXPECT_EQ(r.error().status, 400u);
        EXPECT_EQ(r.error().scim_type, "invalidValue");
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, SortSpecValidate,
    ::testing::Values(
        validate_case{"userName", true}, validate_case{"USERNAME", true}, validate_case{"id", true},
        validate_case{"name.givenName", true}, validate_case{"name", false}, validate_case{"emails", true},
        validate_case{"emails.value", true}, validate_case{"emails.type", true},
        validate_case{"addresses", false}, validate_case{"password", false},
        validate_case{"noSuchAttribute", false}, validate_case{"userName.x", false},
        validate_case{"meta.lastModified", true}, validate_case{"meta", false}, validate_case{"active", true},
        validate_case{"employeeNumber", true},
        validate_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", true},
        validate_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", false},
        validate_case{"urn:example:unknown:1.0:thing", false}));

const json& user() {
    static const json u = json::parse(R"({
      "id": "AbC", "userName": "BJensen", "active": "True", "displayName": 7,
      "name": {"givenName": "Ärger"},
      "emails": [{"value": "second@x", "type": "home"}, {"value": "Primary@X", "type": "work", "primary": true}],
      "phoneNumbers": [{"type": "work"}, {"value": "555", "type": "home"}],
      "meta": {"lastModified": "2026-01-02T03:04:05+01:00", "created": "not a date"},
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "42"}
    })");
    return u;
}

struct key_case {
    const char* sort_by;
    sort_key expected;
};

std::ostream& operator<<(std::ostream& os, const key_case& c) { return os << c.sort_by; }

class SortKeyOf : public ::testing::TestWithParam<key_case> {};

TEST_P(SortKeyOf, User) {
    auto spec = parse_sort_spec(GetParam().sort_by, std::nullopt);
    ASSERT_TRUE(spec);
    EXPECT_TRUE(make_sort_key(*spec, user(), resource::user_resource_schema()) == GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SortKeyOf,
    ::testing::Values(key_case{"userName", std::string("bjensen")},  // caseExact false: folded
                      key_case{"id", std::string("AbC")},            // caseExact: as is
                      key_case{"name.givenName", std::string("\xC3\xA4rger")},
                      key_case{"emails", std::string("primary@x")},  // the primary value
                      key_case{"emails.type", std::string("work")},
                      key_case{"phoneNumbers.value",
                               std::string("555")},               // no primary: the first value that has one
                      key_case{"active", true},                   // "True" read as a boolean
                      key_case{"displayName", std::monostate{}},  // wrong type: no value
                      key_case{"title", std::monostate{}},        // absent
                      key_case{"meta.lastModified", *common::parse_rfc3339("2026-01-02T02:04:05Z")},
                      key_case{"meta.created", std::monostate{}},  // not a dateTime
                      key_case{"employeeNumber", std::string("42")},
                      key_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                               std::string("42")},
                      key_case{"noSuchAttribute", std::monostate{}}));

TEST(SortKeyOrder, MissingLastAscendingFirstDescending) {
    const sort_key none;
    const sort_key a = std::string("a"), b = std::string("b");
    EXPECT_TRUE(sorts_before(a, b, sort_direction::ascending));
    EXPECT_FALSE(sorts_before(b, a, sort_direction::ascending));
    EXPECT_TRUE(sorts_before(b, a, sort_direction::descending));
    EXPECT_TRUE(sorts_before(a, none, sort_direction::ascending));
    EXPECT_FALSE(sorts_before(none, a, sort_direction::ascending));
    EXPECT_TRUE(sorts_before(none, a, sort_direction::descending));
    EXPECT_FALSE(sorts_before(none, none, sort_direction::ascending));
    EXPECT_FALSE(sorts_before(none, none, sort_direction::descending));
    EXPECT_FALSE(sorts_before(a, a, sort_direction::descending));
    EXPECT_TRUE(sorts_before(sort_key(false), sort_key(true), sort_direction::ascending));
    EXPECT_TRUE(sorts_before(sort_key(2.0), sort_key(10.0), sort_direction::ascending));  // numeric, not text
}

std::vector<std::string> ids(const std::vector<json>& resources) {
    std::vector<std::string> out;
    for (const auto& r : resources) out.push_back(r["id"]);
    return out;
}

TEST(SortResources, StableBothWays) {
    std::vector<json> users = {
        {{"id", "1"}, {"userName", "carol"}}, {{"id", "2"}, {"userName", "Alice"}}, {{"id", "3"}},
        {{"id", "4"}, {"userName", "bob"}},   {{"id", "5"}, {"userName", "ALICE"}}, {{"id", "6"}},
    };
    auto asc = users;
    sort_resources(asc, *parse_sort_spec("userName", std::nullopt), resource::user_resource_schema());
    EXPECT_EQ(ids(asc), (std::vector<std::string>{"2", "5", "4", "1", "3", "6"}));
    auto desc = users;
    sort_resources(desc, *parse_sort_spec("userName", std::string_view("descending")),
                   resource::user_resource_schema());
    EXPECT_EQ(ids(desc), (std::vector<std::string>{"3", "6", "1", "4", "2", "5"}));
}

}  // namespace
}  // namespace dirsync::scim
