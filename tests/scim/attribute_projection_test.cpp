#include "scim/attribute_projection.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using nlohmann::json;

constexpr const char* ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A rendered User with the enterprise extension, an attribute the schema does not know, and a password
/// (returned "never"; dirsyncd never stores one, but the projection must hide it all the same).
const json& sample() {
    static const json user = json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      "id": "u1",
      "externalId": "ext-1",
      "userName": "bjensen",
      "name": {"givenName": "Barbara", "familyName": "Jensen"},
      "displayName": "Babs",
      "active": true,
      "password": "secret",
      "emails": [{"value": "b@example.com", "type": "work", "primary": true},
                 {"type": "home"}],
      "customText": "kept as sent",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "department": "Tours", "employeeNumber": "701984",
        "manager": {"value": "m1", "displayName": "John"}},
      "meta": {"resourceType": "User", "version": "W/\"1\"", "location": "https://x/Users/u1"}
    })");
    return user;
}

json work_email() { return sample()["emails"][0]; }

json without(json j, std::initializer_list<const char*> keys) {
    for (const char* k : keys) j.erase(k);
    return j;
}

struct apply_case {
    const char* label;
    std::vector<std::string> attributes;
    std::vector<std::string> excluded;
    json expected;
};

std::ostream& operator<<(std::ostream& os, const apply_case& c) { return os << c.label; }

std::vector<apply_case> user_cases() {
    // schemas lists the core URN and the extensions whose attributes are present (projection::apply).
    const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";
    const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const json base = {{"schemas", json::array({core})}, {"id", "u1"}};
    const auto with = [&](json extra) {
        json j = base;
        j.update(extra);
        if (j.contains(enterprise)) j["schemas"] = json::array({core, enterprise});
        return j;
    };
    return {
        {"no selection drops never", {}, {}, without(sample(), {"password"})},
        {"attributes userName", {"userName"}, {}, with({{"userName", "bjensen"}})},
        {"names are case-insensitive", {"USERNAME"}, {}, with({{"userName", "bjensen"}})},
        {"URN-qualified core name",
         {"urn:ietf:params:scim:schemas:core:2.0:User:userName"},
         {},
         with({{"userName", "bjensen"}})},
        {"two names, blanks and an empty item",
         {" userName , displayName,"},
         {},
         with({{"userName", "bjensen"}, {"displayName", "Babs"}})},
        {"sub-attribute", {"name.givenName"}, {}, with({{"name", {{"givenName", "Barbara"}}}})},
        {"sub-attribute of multi-valued drops values without it",
         {"emails.value"},
         {},
         with({{"emails", json::array({{{"value", "b@example.com"}}})}})},
        {"multi-valued whole", {"emails"}, {}, with({{"emails", sample()["emails"]}})},
        {"extension sub-attribute",
         {std::string(ext) + ":manager.value"},
         {},
         with({{ext, {{"manager", {{"value", "m1"}}}}}})},
        {"unqualified extension attribute", {"department"}, {}, with({{ext, {{"department", "Tours"}}}})},
        {"whole extension", {ext}, {}, with({{ext, sample()[ext]}})},
        {"meta is returned by default, so it must be asked for",
         {"meta"},
         {},
         with({{"meta", sample()["meta"]}})},
        {"meta sub-attribute", {"meta.version"}, {}, with({{"meta", {{"version", "W/\"1\""}}}})},
        {"unknown name selects nothing", {"noSuchThing"}, {}, base},
        {"unknown to the schema but present", {"customText"}, {}, with({{"customText", "kept as sent"}})},
        {"never is never returned", {"password"}, {}, base},
        {"always attributes alone", {"id"}, {}, base},
        {"several list elements",
         {"userName", "active"},
         {},
         with({{"userName", "bjensen"}, {"active", true}})},
        {"exclude emails", {}, {"emails"}, without(sample(), {"password", "emails"})},
        {"exclude cannot remove always", {}, {"id,schemas"}, without(sample(), {"password"})},
        {"exclude sub-attribute",
         {},
         {"name.givenName"},
         [] {
             json j = without(sample(), {"password"});
             j["name"].erase("givenName");
             return j;
         }()},
        {"exclude sub-attribute of multi-valued",
         {},
         {"emails.value"},
         [] {
             json j = without(sample(), {"password"});
             j["emails"] = json::array({{{"type", "work"}, {"primary", true}}, {{"type", "home"}}});
             return j;
         }()},
        {"exclude whole extension",
         {},
         {ext},
         [&] {
             json j = without(sample(), {"password", ext});
             j["schemas"] = json::array({core});  // nor its URN
             return j;
         }()},
        {"exclude extension attribute",
         {},
         {std::string(ext) + ":department"},
         [] {
             json j = without(sample(), {"password"});
             j[ext].erase("department");
             return j;
         }()},
        {"exclude meta", {}, {"meta"}, without(sample(), {"password", "meta"})},
        {"exclude unknown name changes nothing", {}, {"nothing"}, without(sample(), {"password"})},
        {"exclude the last sub-attribute drops the attribute",
         {},
         {"name.givenName", "name.familyName"},
         without(sample(), {"password", "name"})},
        {"empty attributes with excluded", {""}, {"emails"}, without(sample(), {"password", "emails"})},
        // Value paths, as Microsoft's reference SCIM clients send them.
        {"value path", {R"(emails[type eq "work"])"}, {}, with({{"emails", json::array({work_email()})}})},
        {"value path with a sub-attribute",
         {R"(emails[type eq "work"].value)"},
         {},
         with({{"emails", json::array({{{"value", "b@example.com"}}})}})},
        {"value path by value, case-insensitive",
         {R"(emails[value eq "B@EXAMPLE.COM"])"},
         {},
         with({{"emails", json::array({work_email()})}})},
        {"value path matching nothing leaves the attribute out", {R"(emails[type eq "other"])"}, {}, base},
        {"two value paths return both",
         {R"(emails[type eq "work"],emails[type eq "home"])"},
         {},
         with({{"emails", sample()["emails"]}})},
        {"value path next to a plain sub-attribute",
         {R"(emails[type eq "home"])", "emails.value"},
         {},
         with({{"emails", json::array({{{"value", "b@example.com"}}, {{"type", "home"}}})}})},
        {"plain name wins over a value path",
         {R"(emails[type eq "home"],emails)"},
         {},
         with({{"emails", sample()["emails"]}})},
        {"commas inside a value filter do not split",
         {R"(emails[value eq "a,b" or type eq "home"], userName)"},
         {},
         with({{"userName", "bjensen"}, {"emails", json::array({{{"type", "home"}}})}})},
        {"value path with and/or",
         {R"(emails[type eq "work" and primary eq true])"},
         {},
         with({{"emails", json::array({work_email()})}})},
        {"value path on a single complex value",
         {R"(name[givenName sw "Bar"])"},
         {},
         with({{"name", sample()["name"]}})},
        {"exclude a value path",
         {},
         {R"(emails[type eq "home"])"},
         [] {
             json j = without(sample(), {"password"});
             j["emails"] = json::array({work_email()});
             return j;
         }()},
        {"exclude a sub-attribute of matching values",
         {},
         {R"(emails[type eq "work"].primary)"},
         [] {
             json j = without(sample(), {"password"});
             j["emails"] = json::array({{{"value", "b@example.com"}, {"type", "work"}}, {{"type", "home"}}});
             return j;
         }()},
    };
}

class ProjectionApplyUser : public ::testing::TestWithParam<apply_case> {};

TEST_P(ProjectionApplyUser, Shapes) {
    const auto& c = GetParam();
    auto p = projection::make(resource::user_resource_schema(), c.attributes, c.excluded);
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->apply(sample()), c.expected) << p->apply(sample()).dump(2);
}

INSTANTIATE_TEST_SUITE_P(Table, ProjectionApplyUser, ::testing::ValuesIn(user_cases()));

/// A schema with "request" and "never" characteristics, which the built-in schemas lack.
const resource::resource_schema& thing_schema() {
    static const resource::resource_schema rs = [] {
        resource::schema s;
        s.id = "urn:example:Thing";
        s.name = "Thing";
        resource::attribute schemas_attr;
        schemas_attr.name = "schemas";
        schemas_attr.multi_valued = true;
        schemas_attr.returned = resource::returned::always;
        resource::attribute id;
        id.name = "id";
        id.returned = resource::returned::always;
        resource::attribute secret;
        secret.name = "secret";
        secret.returned = resource::returned::request;
        resource::attribute info;
        info.name = "info";
        info.type = resource::attribute_type::complex;
        resource::attribute pub, hidden, never_sub, key;
        pub.name = "public";
        hidden.name = "hidden";
        hidden.returned = resource::returned::request;
        never_sub.name = "never";
        never_sub.returned = resource::returned::never;
        key.name = "key";
        key.returned = resource::returned::always;
        info.sub_attributes = {pub, hidden, never_sub, key};
        s.attributes = {schemas_attr, id, secret, info};
        return resource::resource_schema(std::move(s));
    }();
    return rs;
}

const json& thing() {
    static const json t = json::parse(R"({"schemas": ["urn:example:Thing"], "id": "t1", "secret": "s",
        "info": {"public": "p", "hidden": "h", "never": "n", "key": "k"}})");
    return t;
}

std::vector<apply_case> thing_cases() {
    const json base = {{"schemas", {"urn:example:Thing"}}, {"id", "t1"}};
    const auto with = [&](json extra) {
        json j = base;
        j.update(extra);
        return j;
    };
    return {
        {"request is not returned by default", {}, {}, with({{"info", {{"public", "p"}, {"key", "k"}}}})},
        {"request is returned when asked", {"secret"}, {}, with({{"secret", "s"}})},
        {"naming the parent returns request sub-attributes",
         {"info"},
         {},
         with({{"info", {{"public", "p"}, {"hidden", "h"}, {"key", "k"}}}})},
        {"naming a request sub-attribute",
         {"info.hidden"},
         {},
         with({{"info", {{"hidden", "h"}, {"key", "k"}}}})},
        {"never sub-attribute stays hidden", {"info.never"}, {}, with({{"info", {{"key", "k"}}}})},
        {"exclude keeps request out", {}, {"info.public"}, with({{"info", {{"key", "k"}}}})},
        {"always sub-attribute cannot be excluded",
         {},
         {"info.key"},
         with({{"info", {{"public", "p"}, {"key", "k"}}}})},
    };
}

class ProjectionApplyCharacteristics : public ::testing::TestWithParam<apply_case> {};

TEST_P(ProjectionApplyCharacteristics, Shapes) {
    const auto& c = GetParam();
    auto p = projection::make(thing_schema(), c.attributes, c.excluded);
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->apply(thing()), c.expected) << p->apply(thing()).dump(2);
}

INSTANTIATE_TEST_SUITE_P(Table, ProjectionApplyCharacteristics, ::testing::ValuesIn(thing_cases()));

TEST(ProjectionMake, Rejects) {
    const std::vector<std::string> none;
    const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> bad = {
        {{"userName"}, {"emails"}},                        // mutually exclusive
        {{"user name"}, {}},                               // not an attribute path
        {{"name.givenName.x"}, {}},                        // two sub-attribute levels
        {{}, {"urn:bad prefix:x"}},                        // broken URN
        {{"userName,,1abc"}, {}},                          // a name must start with a letter
        {{R"(emails[type eq])"}, {}},                      // a value filter without a value
        {{R"(emails[type eq "work")"}, {}},                // an unclosed bracket
        {{R"(emails[type eq "work"].value eq "x")"}, {}},  // a filter, not a path
        {{}, {R"(emails[type eq "work"]x)"}},              // text after the bracket
    };
    for (const auto& [attributes, excluded] : bad) {
        auto p = projection::make(resource::user_resource_schema(), attributes, excluded);
        ASSERT_FALSE(p) << (attributes.empty() ? excluded.front() : attributes.front());
        EXPECT_EQ(p.error().status, 400u);
        EXPECT_EQ(p.error().scim_type, "invalidValue");
    }
    auto fine = projection::make(resource::user_resource_schema(), none, none);
    ASSERT_TRUE(fine);
    EXPECT_TRUE(fine->is_default());
}

TEST(ProjectionMake, FromQuery) {
    auto params = http::query_params::parse("ATTRIBUTES=userName%2Cemails.value&count=2");
    ASSERT_TRUE(params);
    auto p = projection::from_query(resource::user_resource_schema(), *params);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->is_default());
    EXPECT_EQ(p->apply(sample()),
              json({{"schemas", json::array({"urn:ietf:params:scim:schemas:core:2.0:User"})},
                    {"id", "u1"},
                    {"userName", "bjensen"},
                    {"emails", json::array({{{"value", "b@example.com"}}})}}));
    auto both = http::query_params::parse("attributes=userName&excludedAttributes=emails");
    ASSERT_TRUE(both);
    EXPECT_FALSE(projection::from_query(resource::user_resource_schema(), *both));
}

TEST(ProjectionApply, SchemasListOnlyTheExtensionsKept) {
    const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";
    const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const std::vector<std::string> name{"userName"}, department{enterprise + ":department"}, none;
    auto only_name = projection::make(resource::user_resource_schema(), name, none);
    ASSERT_TRUE(only_name);
    EXPECT_EQ(only_name->apply(sample())["schemas"], json::array({core}));
    auto with_department = projection::make(resource::user_resource_schema(), department, none);
    ASSERT_TRUE(with_department);
    EXPECT_EQ(with_department->apply(sample())["schemas"], json::array({core, enterprise}));
    // A URN the resource type does not serve is the client's, kept as sent.
    json foreign = sample();
    foreign["schemas"].push_back("urn:example:other:1.0:User");
    EXPECT_EQ(only_name->apply(foreign)["schemas"], json::array({core, "urn:example:other:1.0:User"}));
}

TEST(ProjectionMake, NonObjectUnchanged) {
    projection p(resource::user_resource_schema());
    EXPECT_EQ(p.apply(json::array({1, 2})), json::array({1, 2}));
    EXPECT_EQ(p.apply(json("x")), json("x"));
}

struct returned_case {
    std::vector<std::string> attributes;
    std::vector<std::string> excluded;
    const char* path;
    bool expected;
};

std::ostream& operator<<(std::ostream& os, const returned_case& c) {
    os << "path=" << c.path << " attributes=";
    for (const auto& a : c.attributes) os << a << ';';
    os << " excluded=";
    for (const auto& e : c.excluded) os << e << ';';
    return os;
}

class ProjectionIsReturnedGroup : public ::testing::TestWithParam<returned_case> {};

TEST_P(ProjectionIsReturnedGroup, Answers) {
    const auto& c = GetParam();
    auto p = projection::make(resource::group_resource_schema(), c.attributes, c.excluded);
    ASSERT_TRUE(p);
    EXPECT_EQ(is_returned(*p, c.path), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProjectionIsReturnedGroup,
    ::testing::Values(
        returned_case{{}, {}, "members", true}, returned_case{{}, {}, "MEMBERS", true},
        returned_case{{"displayName"}, {}, "members", false}, returned_case{{"displayName"}, {}, "id", true},
        returned_case{{"displayName"}, {}, "schemas", true},
        returned_case{{"displayName"}, {}, "meta", false}, returned_case{{"members"}, {}, "members", true},
        returned_case{{"members.value"}, {}, "members", true},
        returned_case{{"members.value"}, {}, "members.value", true},
        returned_case{{"members.value"}, {}, "members.display", false},
        returned_case{{"urn:ietf:params:scim:schemas:core:2.0:Group:members"}, {}, "members", true},
        returned_case{{}, {"members"}, "members", false},
        returned_case{{}, {"Members"}, "members.value", false},
        returned_case{{}, {"members.display"}, "members", true},
        returned_case{{}, {"members.display"}, "members.display", false},
        returned_case{{}, {"members.display"}, "members.value", true},
        returned_case{{}, {"displayName"}, "members", true}, returned_case{{}, {}, "not a path", false},
        returned_case{{R"(members[value eq "x"])"}, {}, "members", true},
        returned_case{{R"(members[value eq "x"])"}, {}, "members.display", true},
        returned_case{{R"(members[value eq "x"].value)"}, {}, "members.value", true},
        returned_case{{R"(members[value eq "x"].value)"}, {}, "members.display", false},
        returned_case{{R"(members[value eq "x"].value)"}, {}, "displayName", false},
        returned_case{{}, {R"(members[value eq "x"])"}, "members", true}));

class ProjectionIsReturnedUser : public ::testing::TestWithParam<returned_case> {};

TEST_P(ProjectionIsReturnedUser, Answers) {
    const auto& c = GetParam();
    auto p = projection::make(resource::user_resource_schema(), c.attributes, c.excluded);
    ASSERT_TRUE(p);
    EXPECT_EQ(is_returned(*p, c.path), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProjectionIsReturnedUser,
    ::testing::Values(
        returned_case{{}, {}, "password", false}, returned_case{{"password"}, {}, "password", false},
        returned_case{{}, {}, ext, true}, returned_case{{"userName"}, {}, ext, false},
        returned_case{{"manager"}, {}, ext, true},
        returned_case{{ext}, {}, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", true},
        returned_case{{ext}, {}, "manager.value", true}, returned_case{{}, {ext}, ext, false},
        returned_case{{}, {ext}, "department", false}, returned_case{{}, {"groups"}, "groups", false},
        returned_case{{"userName"}, {}, "groups", false}, returned_case{{}, {}, "groups", true}));

}  // namespace
}  // namespace dirsync::scim
