#include "sync/target_path.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::sync {
namespace {

constexpr std::string_view enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

struct good_case {
    const char* text;
    target_kind kind;
    const char* canonical;
    bool multiple;
    resource::attribute_type type;
};

constexpr auto user = target_kind::user;
constexpr auto group = target_kind::group;
using type = resource::attribute_type;

class GoodTarget : public ::testing::TestWithParam<good_case> {};

TEST_P(GoodTarget, Resolves) {
    const auto& c = GetParam();
    const auto& schema =
        c.kind == user ? resource::user_resource_schema() : resource::group_resource_schema();
    auto t = parse_target(c.text, schema, c.kind);
    ASSERT_TRUE(t.has_value()) << c.text << ": " << t.error().message << " at " << t.error().position;
    EXPECT_EQ(t->to_string(), c.canonical) << c.text;
    EXPECT_EQ(t->multiple, c.multiple) << c.text;
    EXPECT_EQ(t->type, c.type) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    TargetPath, GoodTarget,
    ::testing::Values(good_case{"userName", user, "userName", false, type::string},
                      good_case{"username", user, "userName", false, type::string},
                      good_case{"externalId", user, "externalId", false, type::string},
                      good_case{"displayName", user, "displayName", false, type::string},
                      good_case{"name.givenName", user, "name.givenName", false, type::string},
                      good_case{"NAME.FAMILYNAME", user, "name.familyName", false, type::string},
                      good_case{"title", user, "title", false, type::string},
                      good_case{"emails.value", user, "emails.value", true, type::string},
                      good_case{"emails[type eq \"work\"].value", user, "emails[type eq \"work\"].value",
                                false, type::string},
                      good_case{"emails[TYPE eq \"work\"].Value", user, "emails[type eq \"work\"].value",
                                false, type::string},
                      good_case{"emails[type EQ \"work\"].value", user, "emails[type eq \"work\"].value",
                                false, type::string},
                      good_case{"emails[ type eq \"home\" ].value", user, "emails[type eq \"home\"].value",
                                false, type::string},
                      good_case{"emails[type eq \"work\"].primary", user, "emails[type eq \"work\"].primary",
                                false, type::boolean},
                      good_case{"emails[type eq \"a \\\"q\\\" ]b\"].value", user,
                                "emails[type eq \"a \\\"q\\\" ]b\"].value", false, type::string},
                      good_case{"phoneNumbers[type eq \"mobile\"].value", user,
                                "phoneNumbers[type eq \"mobile\"].value", false, type::string},
                      good_case{"addresses[type eq \"work\"].locality", user,
                                "addresses[type eq \"work\"].locality", false, type::string},
                      good_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                                user,
                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                                false, type::string},
                      good_case{"employeeNumber", user,
                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                                false, type::string},
                      good_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                                user,
                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                                false, type::string},
                      good_case{"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department", user,
                                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                                false, type::string},
                      good_case{"urn:ietf:params:scim:schemas:core:2.0:User:userName", user, "userName",
                                false, type::string},
                      good_case{"urn:ietf:params:scim:schemas:core:2.0:User:name.formatted", user,
                                "name.formatted", false, type::string},
                      good_case{"displayName", group, "displayName", false, type::string},
                      good_case{"externalId", group, "externalId", false, type::string}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

struct bad_case {
    const char* text;
    target_kind kind;
    std::size_t position;
    const char* message;
};

class BadTarget : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadTarget, IsRefusedAtThePosition) {
    const auto& c = GetParam();
    const auto& schema =
        c.kind == user ? resource::user_resource_schema() : resource::group_resource_schema();
    auto t = parse_target(c.text, schema, c.kind);
    ASSERT_FALSE(t.has_value()) << c.text << " resolved to " << t->to_string();
    EXPECT_EQ(t.error().position, c.position) << c.text << ": " << t.error().message;
    EXPECT_NE(t.error().message.find(c.message), std::string::npos) << c.text << ": " << t.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    TargetPath, BadTarget,
    ::testing::Values(
        bad_case{"", user, 0, "empty"},
        bad_case{"usrName", user, 0,
                 "unknown attribute 'usrName' in the core User schema or its extensions; did you mean "
                 "'userName'?"},
        bad_case{"name.givenNme", user, 5,
                 "'name' has no sub-attribute 'givenNme'; did you mean 'givenName'?"},
        bad_case{"name", user, 0, "'name' is complex: map one of its sub-attributes, e.g. name.formatted"},
        bad_case{"emails", user, 0, "'emails' is complex"},
        bad_case{"userName.x", user, 8, "'userName' is not complex"},
        bad_case{"active", user, 0, "'active' is not mapped: users.disabled_when decides"},
        bad_case{"urn:ietf:params:scim:schemas:core:2.0:User:active", user, 43, "'active' is not mapped"},
        bad_case{"password", user, 0, "'password' is never mapped"},
        bad_case{"schemas", user, 0, "'schemas' is not mapped"}, bad_case{"id", user, 0, "'id' is read-only"},
        bad_case{"meta.created", user, 0, "'meta' is read-only"},
        bad_case{"groups.value", user, 0, "'groups' is read-only"},
        bad_case{"members.value", group, 0, "'members' is not mapped: group members come from"},
        bad_case{"userName", group, 0, "unknown attribute 'userName' in the core Group schema"},
        bad_case{"urn:example:unknown:1.0:User:x", user, 0,
                 "unknown schema 'urn:example:unknown:1.0:User' (known: "},
        bad_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeNumber", user, 59,
                 "unknown attribute 'employeNumber' in the schema "
                 "urn:ietf:params:scim:schemas:extension:enterprise"
                 ":2.0:User; did you mean 'employeeNumber'?"},
        bad_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", user, 59,
                 "'manager' is complex"},
        bad_case{"emails[type eq \"work\"]", user, 22, "expected '.' and a sub-attribute after ']'"},
        bad_case{"emails[type eq \"work\"].", user, 23, "expected a sub-attribute name after '.'"},
        bad_case{"emails[type ne \"work\"].value", user, 12, "'eq' only"},
        bad_case{"emails[type eq work].value", user, 15, "expected a quoted value after 'eq'"},
        bad_case{"emails[type eq \"work].value", user, 15, "unterminated string"},
        bad_case{"emails[type eq \"work\".value", user, 21, "expected ']'"},
        bad_case{"emails[typ eq \"work\"].value", user, 7,
                 "'emails' has no sub-attribute 'typ'; did you mean 'type'?"},
        bad_case{"emails[type eq \"work\"].value.x", user, 28, "unexpected '.'"},
        bad_case{"emails[value eq \"x\"].value", user, 21, "cannot also be the one mapped"},
        bad_case{"name[givenName eq \"x\"].familyName", user, 4, "'name' is single-valued"},
        bad_case{"emails[]", user, 7, "expected a sub-attribute name after '['"},
        bad_case{"emails[type]", user, 11, "expected ' eq '"},
        bad_case{"user Name", user, 4, "unexpected ' '"},
        bad_case{".userName", user, 0, "expected an attribute name but found '.'"},
        bad_case{"name.", user, 5, "expected a sub-attribute name after '.' at the end"}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST(TargetPath, ExtensionAttributesGoUnderTheirUrn) {
    auto t = parse_target("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
                          resource::user_resource_schema(), user);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->schema_urn, enterprise);
    EXPECT_EQ(t->attribute, "costCenter");
    EXPECT_TRUE(t->sub_attribute.empty());
    auto core = parse_target("name.givenName", resource::user_resource_schema(), user);
    ASSERT_TRUE(core.has_value());
    EXPECT_TRUE(core->schema_urn.empty());
    EXPECT_EQ(core->attribute, "name");
    EXPECT_EQ(core->sub_attribute, "givenName");
    auto selected = parse_target("emails[type eq \"work\"].value", resource::user_resource_schema(), user);
    ASSERT_TRUE(selected.has_value());
    EXPECT_EQ(selected->selector_attribute, "type");
    EXPECT_EQ(selected->selector_value, "work");
}

}  // namespace
}  // namespace dirsync::sync
