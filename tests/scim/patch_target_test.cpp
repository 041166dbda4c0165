#include "scim/patch_target.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

const std::string enterprise(resource::enterprise_user_urn);
const std::string core(resource::core_user_urn);

boost::system::result<patch_target, error> resolve(std::string_view text,
                                                   const resource::resource_schema& schemas) {
    auto parsed = parse_patch_path(text);
    if (!parsed) return parsed.error();
    return resolve_patch_path(std::move(*parsed), schemas);
}

struct resolve_case {
    std::string text;
    std::string container;
    std::string attribute;  ///< empty: names a whole schema
    std::string sub_attribute;
    bool known_attribute;
    bool known_sub_attribute;
    bool has_filter;
};

std::ostream& operator<<(std::ostream& os, const resolve_case& c) { return os << c.text; }

const std::vector<resolve_case> user_cases = {
    {"userName", "", "userName", "", true, false, false},
    {"USERNAME", "", "userName", "", true, false, false},
    {"name.givenName", "", "name", "givenName", true, true, false},
    {"NAME.GIVENNAME", "", "name", "givenName", true, true, false},
    {"name.nickname", "", "name", "nickname", true, false, false},  // unknown sub-attribute: kept as written
    {core + ":name.familyName", "", "name", "familyName", true, true, false},
    {core + ":userName", "", "userName", "", true, false, false},
    {enterprise + ":employeeNumber", enterprise, "employeeNumber", "", true, false, false},
    {enterprise + ":MANAGER", enterprise, "manager", "", true, false, false},
    {enterprise + ":manager.value", enterprise, "manager", "value", true, true, false},
    {"urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User:department", enterprise, "department", "",
     true, false, false},
    {"employeeNumber", enterprise, "employeeNumber", "", true, false, false},  // unqualified extension name
    {"manager.value", enterprise, "manager", "value", true, true, false},
    {enterprise, enterprise, "", "", false, false, false},  // the whole extension
    {"urn:ietf:params:scim:schemas:extension:Enterprise:2.0:user", enterprise, "", "", false, false, false},
    {core, "", "", "", false, false, false},  // the whole resource
    {R"(emails[type eq "work"].value)", "", "emails", "value", true, true, true},
    {R"(Emails[Type eq "work"])", "", "emails", "", true, false, true},
    {R"(addresses[type eq "work"].STREETADDRESS)", "", "addresses", "streetAddress", true, true, true},
    {"emails.value", "", "emails", "value", true, true, false},
    {"customThing", "", "customThing", "", false, false, false},
    {"customThing.part", "", "customThing", "part", false, false, false},
    {R"(customList[kind eq "x"].v)", "", "customList", "v", false, false, true},
    {"urn:acme:params:scim:ext:1.0:User:badge", "urn:acme:params:scim:ext:1.0:User", "badge", "", false,
     false, false},
    {enterprise + ":unknownThing", enterprise, "unknownThing", "", false, false, false},
    {"groups", "", "groups", "", true, false, false},
    {"meta.lastModified", "", "meta", "lastModified", true, true, false},
    {"id", "", "id", "", true, false, false},
};

class PatchTargetUser : public ::testing::TestWithParam<resolve_case> {};

TEST_P(PatchTargetUser, Resolves) {
    const auto& c = GetParam();
    const auto t = resolve(c.text, resource::user_resource_schema());
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    EXPECT_EQ(t->container, c.container);
    EXPECT_EQ(t->attribute, c.attribute);
    EXPECT_EQ(t->names_schema(), c.attribute.empty());
    EXPECT_EQ(t->sub_attribute, c.sub_attribute);
    EXPECT_EQ(t->definition != nullptr, c.known_attribute);
    EXPECT_EQ(t->sub_definition != nullptr, c.known_sub_attribute);
    EXPECT_EQ(t->value_filter.has_value(), c.has_filter);
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchTargetUser, ::testing::ValuesIn(user_cases));

struct invalid_case {
    std::string text;
    std::string detail_contains;
};

std::ostream& operator<<(std::ostream& os, const invalid_case& c) { return os << c.text; }

const std::vector<invalid_case> invalid_cases = {
    {"userName.x", "not complex"},
    {"active.value", "not complex"},
    {enterprise + ":employeeNumber.x", "not complex"},
    {R"(name[givenName eq "x"])", "single-valued"},
    {R"(userName[value eq "x"])", "single-valued"},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[value eq "x"])", "single-valued"},
};

class PatchTargetInvalid : public ::testing::TestWithParam<invalid_case> {};

TEST_P(PatchTargetInvalid, IsInvalidPath) {
    const auto& c = GetParam();
    const auto t = resolve(c.text, resource::user_resource_schema());
    ASSERT_FALSE(t.has_value()) << t->to_string();
    EXPECT_EQ(t.error().scim_type, "invalidPath");
    EXPECT_EQ(t.error().status, 400u);
    EXPECT_NE(t.error().detail.find(c.detail_contains), std::string::npos) << t.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchTargetInvalid, ::testing::ValuesIn(invalid_cases));

TEST(PatchTarget, GroupMembers) {
    const auto t = resolve(R"(MEMBERS[value eq "m1"].Display)", resource::group_resource_schema());
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    EXPECT_EQ(t->attribute, "members");
    EXPECT_EQ(t->sub_attribute, "display");
    ASSERT_NE(t->sub_definition, nullptr);
    EXPECT_EQ(t->sub_definition->mutability, resource::mutability::read_only);
    EXPECT_EQ(t->to_string(), R"(members[value eq "m1"].display)");
}

TEST(PatchTarget, EnterpriseUrnIsUnknownToGroups) {
    const auto t = resolve(enterprise + ":employeeNumber", resource::group_resource_schema());
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    EXPECT_EQ(t->container, enterprise);
    EXPECT_EQ(t->owner, nullptr);
    EXPECT_EQ(t->definition, nullptr);
}

TEST(PatchTarget, RendersWithCanonicalNames) {
    const auto t = resolve("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:MANAGER.VALUE",
                           resource::user_resource_schema());
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->to_string(), enterprise + ":manager.value");
    const auto e = resolve(enterprise, resource::user_resource_schema());
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->to_string(), enterprise);
}

}  // namespace
}  // namespace dirsync::scim
