#include "scim/patch_path.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

// -----------------------------------------------------------------------------------------------------------
// Accepted paths: what they parse into
// -----------------------------------------------------------------------------------------------------------

struct accept_case {
    std::string text;
    std::string schema_urn;
    std::string attribute;
    std::string sub_attribute;
    std::string value_filter;  ///< canonical rendering; empty for a plain attrPath
    std::string rendered;      ///< patch_path::to_string()
};

std::ostream& operator<<(std::ostream& os, const accept_case& c) { return os << c.text; }

const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const std::string core = "urn:ietf:params:scim:schemas:core:2.0:User";

const std::vector<accept_case> accept_cases = {
    // attrPath
    {"userName", "", "userName", "", "", "userName"},
    {"USERNAME", "", "USERNAME", "", "", "USERNAME"},
    {"name.givenName", "", "name", "givenName", "", "name.givenName"},
    {"name.GIVENNAME", "", "name", "GIVENNAME", "", "name.GIVENNAME"},
    {"members", "", "members", "", "", "members"},
    {"emails.value", "", "emails", "value", "", "emails.value"},
    {"$ref", "", "$ref", "", "", "$ref"},
    {"x-custom_attr1", "", "x-custom_attr1", "", "", "x-custom_attr1"},
    {"  userName  ", "", "userName", "", "", "userName"},
    {"\tactive\n", "", "active", "", "", "active"},
    // URN-qualified (the '.' in "2.0" belongs to the URN)
    {enterprise + ":employeeNumber", enterprise, "employeeNumber", "", "", enterprise + ":employeeNumber"},
    {enterprise + ":manager", enterprise, "manager", "", "", enterprise + ":manager"},
    {enterprise + ":manager.value", enterprise, "manager", "value", "", enterprise + ":manager.value"},
    {core + ":name.familyName", core, "name", "familyName", "", core + ":name.familyName"},
    {core + ":userName", core, "userName", "", "", core + ":userName"},
    // a whole schema URN parses as URN + last segment; resolve_patch_path tells them apart
    {enterprise, "urn:ietf:params:scim:schemas:extension:enterprise:2.0", "User", "", "", enterprise},
    {"urn:acme:params:scim:ext:1.0:User:badge", "urn:acme:params:scim:ext:1.0:User", "badge", "", "",
     "urn:acme:params:scim:ext:1.0:User:badge"},
    // valuePath [ "." subAttr ]
    {R"(emails[type eq "work"])", "", "emails", "", R"(type eq "work")", R"(emails[type eq "work"])"},
    // A bare word, as Microsoft's reference SCIM client sends it.
    {R"(emails[type eq work])", "", "emails", "", R"(type eq "work")", R"(emails[type eq "work"])"},
    {R"(emails[type eq "work"].value)", "", "emails", "value", R"(type eq "work")",
     R"(emails[type eq "work"].value)"},
    {R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])", "", "members", "",
     R"(value eq "2819c223-7f76-453a-919d-413861904646")",
     R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])"},
    {R"(EMAILS[TYPE EQ "work"].VALUE)", "", "EMAILS", "VALUE", R"(TYPE eq "work")",
     R"(EMAILS[TYPE eq "work"].VALUE)"},
    {R"(emails[type eq "work" and primary eq true].value)", "", "emails", "value",
     R"(type eq "work" and primary eq true)", R"(emails[type eq "work" and primary eq true].value)"},
    {R"(emails[type eq "work" or type eq "home"])", "", "emails", "", R"(type eq "work" or type eq "home")",
     R"(emails[type eq "work" or type eq "home"])"},
    {R"(emails[not (type eq "work")])", "", "emails", "", R"(not (type eq "work"))",
     R"(emails[not (type eq "work")])"},
    {R"(emails[value pr])", "", "emails", "", "value pr", "emails[value pr]"},
    {R"(addresses[type eq "work"].streetAddress)", "", "addresses", "streetAddress", R"(type eq "work")",
     R"(addresses[type eq "work"].streetAddress)"},
    {R"(emails[ type   eq  "work" ].value)", "", "emails", "value", R"(type eq "work")",
     R"(emails[type eq "work"].value)"},
    {R"(emails[type eq "a]b"].value)", "", "emails", "value", R"(type eq "a]b")",
     R"(emails[type eq "a]b"].value)"},
    {R"(emails[type eq "wo\"rk"])", "", "emails", "", R"(type eq "wo\"rk")", R"(emails[type eq "wo\"rk"])"},
    {core + R"(:emails[type eq "work"].value)", core, "emails", "value", R"(type eq "work")",
     core + R"(:emails[type eq "work"].value)"},
    {R"(x509Certificates[value eq "MIID"])", "", "x509Certificates", "", R"(value eq "MIID")",
     R"(x509Certificates[value eq "MIID"])"},
    {R"(roles[primary eq true])", "", "roles", "", "primary eq true", "roles[primary eq true]"},
};

class PatchPathAccept : public ::testing::TestWithParam<accept_case> {};

TEST_P(PatchPathAccept, Parses) {
    const auto& c = GetParam();
    const auto parsed = parse_patch_path(c.text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->attribute.schema_urn, c.schema_urn);
    EXPECT_EQ(parsed->attribute.attribute, c.attribute);
    EXPECT_EQ(parsed->attribute.sub_attribute, c.sub_attribute);
    if (c.value_filter.empty()) {
        EXPECT_FALSE(parsed->value_filter.has_value());
    } else {
        ASSERT_TRUE(parsed->value_filter.has_value());
        EXPECT_EQ(to_string(*parsed->value_filter), c.value_filter);
    }
    EXPECT_EQ(parsed->to_string(), c.rendered);
}

TEST_P(PatchPathAccept, RenderingParsesBackToTheSamePath) {
    const auto& c = GetParam();
    const auto parsed = parse_patch_path(c.text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    const auto again = parse_patch_path(parsed->to_string());
    ASSERT_TRUE(again.has_value()) << again.error().detail;
    EXPECT_EQ(again->attribute, parsed->attribute);
    EXPECT_EQ(again->value_filter, parsed->value_filter);
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchPathAccept, ::testing::ValuesIn(accept_cases));

// -----------------------------------------------------------------------------------------------------------
// Rejected paths: 400 invalidPath, with a detail that says why
// -----------------------------------------------------------------------------------------------------------

struct reject_case {
    std::string text;
    std::string detail_contains;
};

std::ostream& operator<<(std::ostream& os, const reject_case& c) { return os << c.text; }

const std::vector<reject_case> reject_cases = {
    {"", "empty"},
    {"   ", "empty"},
    {R"(emails[type eq)", "missing value"},
    {R"(emails[type eq "work")", "or ']'"},
    {R"(emails[type eq "work"]])", "unbalanced ']'"},
    {R"(emails[type eq "work")", "emails[type eq"},
    {"name..x", "more than one sub-attribute level"},
    {"name.givenName.x", "more than one sub-attribute level"},
    {"name.", "invalid sub-attribute name"},
    {".name", "invalid attribute name"},
    {"9lives", "invalid attribute name"},
    {"user name", "invalid attribute name"},
    {"userName]", "invalid attribute name"},
    {"emails[]", "empty value filter"},
    {R"(emails[type eq "work"].)", "sub-attribute name"},
    {R"(emails[type eq "work"].value.x)", "invalid sub-attribute name"},
    {R"(emails[type eq "work"]value)", ""},
    {R"(emails[type eq "work"].value eq "x")", "put the comparison inside the brackets"},
    {R"(emails[type eq "work"].value pr)", "put the comparison inside the brackets"},
    {R"(userName eq "x")", "invalid attribute name"},
    {R"(emails[type eq "work"] and userName pr)", "not a filter expression"},
    {R"(emails[type eq "work"] or phoneNumbers[type eq "work"])", "not a filter expression"},
    {R"((emails[type eq "work"]))", "expected an attribute name"},
    {R"(not (emails[type eq "work"]))", "not a filter expression"},
    {R"([type eq "work"])", "expected an attribute name"},
    {R"(name.givenName[type eq "x"])", "must follow a multi-valued attribute"},
    {R"(emails[members[value eq "x"]])", "cannot be nested"},
    {R"(emails[type eq J*])", "string values must be quoted"},
    {R"(emails[type eq 'work'])", ""},
    {"urn:x:", "missing attribute name"},
    {"urn:", "not a URN"},
    {"foo:bar", "not a URN"},
    {"urn:ietf::params:x", "empty segment"},
    {R"(emails[type zz "work"])", ""},
};

class PatchPathReject : public ::testing::TestWithParam<reject_case> {};

TEST_P(PatchPathReject, IsInvalidPath) {
    const auto& c = GetParam();
    const auto parsed = parse_patch_path(c.text);
    ASSERT_FALSE(parsed.has_value()) << parsed->to_string();
    const error e = parsed.error();
    EXPECT_EQ(e.status, 400u);
    EXPECT_EQ(e.scim_type, "invalidPath");
    EXPECT_NE(e.detail.find(c.detail_contains), std::string::npos) << e.detail;
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchPathReject, ::testing::ValuesIn(reject_cases));

TEST(PatchPath, LongPathsAreCutInMessages) {
    const std::string text = "a" + std::string(5000, 'b') + " c";
    const auto parsed = parse_patch_path(text);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_LT(parsed.error().detail.size(), 400u);
}

TEST(PatchPath, MessagesAreCutOnUtf8Boundaries) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "\xC3\xA9";  // é, two bytes each
    text += " x";
    const auto parsed = parse_patch_path(text);
    ASSERT_FALSE(parsed.has_value());
    const std::string& d = parsed.error().detail;
    const auto cut = d.find("...");
    ASSERT_NE(cut, std::string::npos);
    EXPECT_NE(static_cast<unsigned char>(d[cut - 1]), 0xC3u);
}

TEST(PatchPath, FilterLimitsApply) {
    filter_limits limits;
    limits.max_length = 20;
    EXPECT_TRUE(parse_patch_path(R"(emails[type eq "w"])", limits).has_value());
    const auto parsed = parse_patch_path(R"(emails[type eq "work" and primary eq true])", limits);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().scim_type, "invalidPath");
}

}  // namespace
}  // namespace dirsync::scim
