#include "resource/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "common/ascii.hpp"

namespace dirsync::resource {
namespace {

const attribute& must_find(const schema& s, std::string_view name) {
    const attribute* a = s.find_attribute(name);
    if (a == nullptr) {
        ADD_FAILURE() << "missing attribute " << name << " in " << s.id;
        static const attribute none;
        return none;
    }
    return *a;
}

std::set<std::string> names(const std::vector<attribute>& attrs) {
    std::set<std::string> out;
    for (const auto& a : attrs) out.insert(a.name);
    return out;
}

TEST(ScimSchemaBuiltins, Ids) {
    EXPECT_EQ(core_user_schema().id, "urn:ietf:params:scim:schemas:core:2.0:User");
    EXPECT_EQ(core_group_schema().id, "urn:ietf:params:scim:schemas:core:2.0:Group");
    EXPECT_EQ(enterprise_user_schema().id, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    EXPECT_EQ(core_user_schema().name, "User");
    EXPECT_EQ(core_group_schema().name, "Group");
    EXPECT_EQ(enterprise_user_schema().name, "EnterpriseUser");
    EXPECT_EQ(&core_user_schema(), &core_user_schema());
}

TEST(ScimSchemaBuiltins, UserTopLevelAttributes) {
    const std::set<std::string> expected = {
        "schemas",         "id",           "externalId",   "meta",
        "userName",        "name",         "displayName",  "nickName",
        "profileUrl",      "title",        "userType",     "preferredLanguage",
        "locale",          "timezone",     "active",       "password",
        "emails",          "phoneNumbers", "ims",          "photos",
        "addresses",       "groups",       "entitlements", "roles",
        "x509Certificates"};
    EXPECT_EQ(names(core_user_schema().attributes), expected);
}

TEST(ScimSchemaBuiltins, UserNameIsServerUniqueAndCaseInsensitive) {
    const attribute& a = must_find(core_user_schema(), "userName");
    EXPECT_EQ(a.type, attribute_type::string);
    EXPECT_TRUE(a.required);
    EXPECT_FALSE(a.case_exact);
    EXPECT_EQ(a.uniqueness, uniqueness::server);
    EXPECT_EQ(a.mutability, mutability::read_write);
    EXPECT_EQ(a.returned, returned::default_);
    EXPECT_FALSE(a.multi_valued);
}

TEST(ScimSchemaBuiltins, CommonAttributes) {
    for (const schema* s : {&core_user_schema(), &core_group_schema()}) {
        const attribute& id = must_find(*s, "id");
        EXPECT_TRUE(id.case_exact);
        EXPECT_EQ(id.mutability, mutability::read_only);
        EXPECT_EQ(id.returned, returned::always);
        EXPECT_EQ(id.uniqueness, uniqueness::server);
        const attribute& external_id = must_find(*s, "externalId");
        EXPECT_TRUE(external_id.case_exact);
        EXPECT_EQ(external_id.mutability, mutability::read_write);
        const attribute& meta = must_find(*s, "meta");
        EXPECT_EQ(meta.type, attribute_type::complex);
        EXPECT_EQ(meta.mutability, mutability::read_only);
        EXPECT_EQ(names(meta.sub_attributes),
                  (std::set<std::string>{"resourceType", "created", "lastModified", "location", "version"}));
        EXPECT_EQ(meta.find_sub_attribute("created")->type, attribute_type::date_time);
        EXPECT_EQ(meta.find_sub_attribute("lastModified")->type, attribute_type::date_time);
        EXPECT_EQ(meta.find_sub_attribute("location")->type, attribute_type::reference);
        EXPECT_TRUE(must_find(*s, "schemas").multi_valued);
    }
    EXPECT_TRUE(is_common_attribute("id"));
    EXPECT_TRUE(is_common_attribute("EXTERNALID"));
    EXPECT_TRUE(is_common_attribute("meta"));
    EXPECT_TRUE(is_common_attribute("schemas"));
    EXPECT_FALSE(is_common_attribute("userName"));
}

TEST(ScimSchemaBuiltins, PasswordIsWriteOnlyNeverReturned) {
    const attribute& a = must_find(core_user_schema(), "password");
    EXPECT_EQ(a.mutability, mutability::write_only);
    EXPECT_EQ(a.returned, returned::never);
}

TEST(ScimSchemaBuiltins, ActiveIsBoolean) {
    EXPECT_EQ(must_find(core_user_schema(), "active").type, attribute_type::boolean);
}

TEST(ScimSchemaBuiltins, NameSubAttributes) {
    const attribute& a = must_find(core_user_schema(), "name");
    EXPECT_EQ(a.type, attribute_type::complex);
    EXPECT_FALSE(a.multi_valued);
    EXPECT_EQ(names(a.sub_attributes),
              (std::set<std::string>{"formatted", "familyName", "givenName", "middleName", "honorificPrefix",
                                     "honorificSuffix"}));
}

struct multi_valued_case {
    std::string attribute;
    std::set<std::string> sub_attributes;
    std::vector<std::string> type_canonical_values;
    attribute_type value_type;
};

std::ostream& operator<<(std::ostream& os, const multi_valued_case& c) { return os << c.attribute; }

class ScimSchemaMultiValued : public ::testing::TestWithParam<multi_valued_case> {};

TEST_P(ScimSchemaMultiValued, Shape) {
    const auto& c = GetParam();
    const attribute& a = must_find(core_user_schema(), c.attribute);
    EXPECT_EQ(a.type, attribute_type::complex);
    EXPECT_TRUE(a.multi_valued);
    EXPECT_EQ(names(a.sub_attributes), c.sub_attributes);
    const attribute* type = a.find_sub_attribute("type");
    ASSERT_NE(type, nullptr);
    EXPECT_EQ(type->canonical_values, c.type_canonical_values);
    const attribute* value = a.find_sub_attribute("value");
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->type, c.value_type);
    if (const attribute* primary = a.find_sub_attribute("primary")) {
        EXPECT_EQ(primary->type, attribute_type::boolean);
    }
}

const std::set<std::string> standard_subs = {"value", "display", "type", "primary"};

INSTANTIATE_TEST_SUITE_P(
    Cases, ScimSchemaMultiValued,
    ::testing::Values(
        multi_valued_case{"emails", standard_subs, {"work", "home", "other"}, attribute_type::string},
        multi_valued_case{"phoneNumbers",
                          standard_subs,
                          {"work", "home", "mobile", "fax", "pager", "other"},
                          attribute_type::string},
        multi_valued_case{"ims",
                          standard_subs,
                          {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"},
                          attribute_type::string},
        multi_valued_case{"photos", standard_subs, {"photo", "thumbnail"}, attribute_type::reference},
        multi_valued_case{"entitlements", standard_subs, {}, attribute_type::string},
        multi_valued_case{"roles", standard_subs, {}, attribute_type::string},
        multi_valued_case{"x509Certificates", standard_subs, {}, attribute_type::binary},
        multi_valued_case{
            "groups", {"value", "$ref", "display", "type"}, {"direct", "indirect"}, attribute_type::string}));

TEST(ScimSchemaBuiltins, Addresses) {
    const attribute& a = must_find(core_user_schema(), "addresses");
    EXPECT_TRUE(a.multi_valued);
    EXPECT_EQ(names(a.sub_attributes),
              (std::set<std::string>{"formatted", "streetAddress", "locality", "region", "postalCode",
                                     "country", "type", "primary"}));
    EXPECT_EQ(a.find_sub_attribute("type")->canonical_values,
              (std::vector<std::string>{"work", "home", "other"}));
}

TEST(ScimSchemaBuiltins, GroupsAreReadOnly) {
    const attribute& a = must_find(core_user_schema(), "groups");
    EXPECT_EQ(a.mutability, mutability::read_only);
    for (const auto& sub : a.sub_attributes) EXPECT_EQ(sub.mutability, mutability::read_only) << sub.name;
    const attribute* ref = a.find_sub_attribute("$ref");
    ASSERT_NE(ref, nullptr);
    EXPECT_EQ(ref->type, attribute_type::reference);
    EXPECT_EQ(ref->reference_types, (std::vector<std::string>{"User", "Group"}));
}

TEST(ScimSchemaBuiltins, ProfileUrlIsExternalReference) {
    const attribute& a = must_find(core_user_schema(), "profileUrl");
    EXPECT_EQ(a.type, attribute_type::reference);
    EXPECT_EQ(a.reference_types, (std::vector<std::string>{"external"}));
}

TEST(ScimSchemaBuiltins, X509ValueIsCaseExactBinary) {
    const attribute* v = must_find(core_user_schema(), "x509Certificates").find_sub_attribute("value");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->type, attribute_type::binary);
    EXPECT_TRUE(v->case_exact);
}

TEST(ScimSchemaBuiltins, Group) {
    const schema& g = core_group_schema();
    EXPECT_EQ(names(g.attributes),
              (std::set<std::string>{"schemas", "id", "externalId", "meta", "displayName", "members"}));
    const attribute& members = must_find(g, "members");
    EXPECT_TRUE(members.multi_valued);
    EXPECT_EQ(names(members.sub_attributes), (std::set<std::string>{"value", "$ref", "display", "type"}));
    EXPECT_EQ(members.find_sub_attribute("value")->mutability, mutability::immutable);
    EXPECT_EQ(members.find_sub_attribute("type")->canonical_values,
              (std::vector<std::string>{"User", "Group"}));
}

TEST(ScimSchemaBuiltins, EnterpriseUser) {
    const schema& e = enterprise_user_schema();
    EXPECT_EQ(names(e.attributes), (std::set<std::string>{"employeeNumber", "costCenter", "organization",
                                                          "division", "department", "manager"}));
    const attribute& manager = must_find(e, "manager");
    EXPECT_EQ(manager.type, attribute_type::complex);
    EXPECT_FALSE(manager.multi_valued);
    EXPECT_EQ(names(manager.sub_attributes), (std::set<std::string>{"value", "$ref", "displayName"}));
    EXPECT_EQ(manager.find_sub_attribute("displayName")->mutability, mutability::read_only);
    EXPECT_EQ(manager.find_sub_attribute("$ref")->reference_types, (std::vector<std::string>{"User"}));
}

TEST(ScimSchemaBuiltins, ComplexAttributesHaveSubAttributesAndSimpleOnesDoNot) {
    for (const schema* s : {&core_user_schema(), &core_group_schema(), &enterprise_user_schema()}) {
        for (const auto& a : s->attributes) {
            EXPECT_EQ(a.type == attribute_type::complex, !a.sub_attributes.empty()) << s->id << ":" << a.name;
            EXPECT_FALSE(a.description.empty()) << a.name;
            for (const auto& sub : a.sub_attributes) {
                EXPECT_NE(sub.type, attribute_type::complex) << a.name << "." << sub.name;
                EXPECT_FALSE(sub.description.empty()) << a.name << "." << sub.name;
            }
        }
    }
}

// -----------------------------------------------------------------------------------------------------------
// resource_schema lookups
// -----------------------------------------------------------------------------------------------------------

struct lookup_case {
    std::string urn;
    std::string attribute;
    std::string sub;
    std::string owner;  // expected owner id, empty when unknown
    std::string leaf;   // expected leaf name, empty when unknown
};

std::ostream& operator<<(std::ostream& os, const lookup_case& c) {
    return os << c.urn << "|" << c.attribute << "|" << c.sub;
}

const std::string user_urn{core_user_urn};
const std::string ent_urn{enterprise_user_urn};

class ScimSchemaLookup : public ::testing::TestWithParam<lookup_case> {};

TEST_P(ScimSchemaLookup, Finds) {
    const auto& c = GetParam();
    const attribute_lookup r = user_resource_schema().find(c.urn, c.attribute, c.sub);
    if (c.leaf.empty()) {
        EXPECT_FALSE(r);
        EXPECT_EQ(r.leaf, nullptr);
    } else {
        ASSERT_TRUE(r);
        EXPECT_EQ(r.leaf->name, c.leaf);
        EXPECT_TRUE(common::iequals_ascii(r.top->name, c.attribute));
    }
    if (c.owner.empty()) {
        EXPECT_EQ(r.owner, nullptr);
    } else {
        ASSERT_NE(r.owner, nullptr);
        EXPECT_EQ(r.owner->id, c.owner);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScimSchemaLookup,
    ::testing::Values(
        lookup_case{"", "userName", "", user_urn, "userName"},
        lookup_case{"", "USERNAME", "", user_urn, "userName"},
        lookup_case{user_urn, "userName", "", user_urn, "userName"},
        lookup_case{"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER", "username", "", user_urn, "userName"},
        lookup_case{"", "name", "familyName", user_urn, "familyName"},
        lookup_case{"", "Name", "FAMILYNAME", user_urn, "familyName"},
        lookup_case{"", "name", "nickname", user_urn, ""},
        lookup_case{"", "emails", "value", user_urn, "value"},
        lookup_case{"", "groups", "$REF", user_urn, "$ref"},
        lookup_case{"", "meta", "lastModified", user_urn, "lastModified"},
        lookup_case{"", "id", "", user_urn, "id"},
        lookup_case{ent_urn, "employeeNumber", "", ent_urn, "employeeNumber"},
        lookup_case{ent_urn, "manager", "value", ent_urn, "value"},
        lookup_case{ent_urn, "manager", "displayName", ent_urn, "displayName"},
        lookup_case{"", "employeeNumber", "", ent_urn, "employeeNumber"},
        lookup_case{"", "manager", "$ref", ent_urn, "$ref"}, lookup_case{ent_urn, "userName", "", "", ""},
        lookup_case{user_urn, "employeeNumber", "", "", ""}, lookup_case{"", "nonexistent", "", "", ""},
        lookup_case{"urn:example:unknown", "userName", "", "", ""},
        lookup_case{std::string(core_group_urn), "displayName", "", "", ""}));

TEST(ScimSchemaLookup, SchemaByUrn) {
    const auto& rs = user_resource_schema();
    EXPECT_EQ(rs.find_schema(core_user_urn), &rs.core());
    EXPECT_TRUE(rs.is_core(rs.find_schema("urn:ietf:params:scim:schemas:core:2.0:user")));
    ASSERT_NE(rs.find_schema(enterprise_user_urn), nullptr);
    EXPECT_FALSE(rs.is_core(rs.find_schema(enterprise_user_urn)));
    EXPECT_EQ(rs.find_schema("urn:nope"), nullptr);
    EXPECT_EQ(rs.extensions().size(), 2u);
    ASSERT_NE(rs.find_schema(directory_user_urn), nullptr);
    EXPECT_EQ(rs.find("", "status").owner, rs.find_schema(directory_user_urn));  // unqualified: found there
    EXPECT_EQ(rs.find("", "roles").owner, &rs.core());  // the IdP's roles; the directory's are qualified
    EXPECT_TRUE(group_resource_schema().extensions().empty());
    EXPECT_EQ(group_resource_schema().core().id, core_group_urn);
    EXPECT_EQ(group_resource_schema().find("", "members", "value").leaf->name, "value");
}

TEST(ScimSchemaLookup, CustomExtensionsAreData) {
    schema custom;
    custom.id = "urn:example:scim:schemas:extension:acme:1.0:User";
    custom.name = "AcmeUser";
    attribute badge;
    badge.name = "badgeNumber";
    badge.type = attribute_type::integer;
    custom.attributes.push_back(badge);
    attribute employee_number;  // shadows the enterprise one for unqualified lookups only if listed first
    employee_number.name = "employeeNumber";
    custom.attributes.push_back(employee_number);
    const resource_schema rs{core_user_schema(), {enterprise_user_schema(), custom}};
    const auto b = rs.find("", "BADGENUMBER");
    ASSERT_TRUE(b);
    EXPECT_EQ(b.owner->id, custom.id);
    EXPECT_EQ(b.leaf->type, attribute_type::integer);
    EXPECT_EQ(rs.find("", "employeeNumber").owner->id, enterprise_user_urn);
    EXPECT_EQ(rs.find(custom.id, "employeeNumber").owner->id, custom.id);
    EXPECT_FALSE(rs.find(custom.id, "badgeNumber", "x"));
    EXPECT_TRUE(rs.find(custom.id, "badgeNumber", "x").top != nullptr);
}

// -----------------------------------------------------------------------------------------------------------
// Serialisation
// -----------------------------------------------------------------------------------------------------------

TEST(ScimSchemaJson, EnumSpellings) {
    EXPECT_EQ(to_string(attribute_type::date_time), "dateTime");
    EXPECT_EQ(to_string(attribute_type::reference), "reference");
    EXPECT_EQ(to_string(attribute_type::complex), "complex");
    EXPECT_EQ(to_string(mutability::read_only), "readOnly");
    EXPECT_EQ(to_string(mutability::write_only), "writeOnly");
    EXPECT_EQ(to_string(mutability::immutable), "immutable");
    EXPECT_EQ(to_string(returned::default_), "default");
    EXPECT_EQ(to_string(returned::never), "never");
    EXPECT_EQ(to_string(uniqueness::server), "server");
    EXPECT_EQ(to_string(uniqueness::global), "global");
}

TEST(ScimSchemaJson, Rfc7643Representation) {
    const nlohmann::json j = enterprise_user_schema();
    EXPECT_EQ(j["id"], enterprise_user_urn);
    EXPECT_EQ(j["name"], "EnterpriseUser");
    ASSERT_TRUE(j["attributes"].is_array());
    ASSERT_EQ(j["attributes"].size(), 6u);
    const auto& manager = j["attributes"][5];
    EXPECT_EQ(manager["name"], "manager");
    EXPECT_EQ(manager["type"], "complex");
    EXPECT_EQ(manager["multiValued"], false);
    EXPECT_FALSE(manager.contains("caseExact"));
    ASSERT_EQ(manager["subAttributes"].size(), 3u);
    EXPECT_EQ(manager["subAttributes"][1]["referenceTypes"], nlohmann::json::array({"User"}));

    const nlohmann::json user = core_user_schema();
    const auto& attrs = user["attributes"];
    const auto it =
        std::find_if(attrs.begin(), attrs.end(), [](const auto& a) { return a["name"] == "password"; });
    ASSERT_NE(it, attrs.end());
    EXPECT_EQ((*it)["mutability"], "writeOnly");
    EXPECT_EQ((*it)["returned"], "never");
    EXPECT_EQ((*it)["uniqueness"], "none");
    const auto emails =
        std::find_if(attrs.begin(), attrs.end(), [](const auto& a) { return a["name"] == "emails"; });
    ASSERT_NE(emails, attrs.end());
    EXPECT_EQ((*emails)["subAttributes"][2]["canonicalValues"],
              nlohmann::json::array({"work", "home", "other"}));
}

}  // namespace
}  // namespace dirsync::resource
