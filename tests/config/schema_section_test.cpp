#include "config/schema_section.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"

namespace dirsync::config {
namespace {

// Every case starts with these two lines, so the `schemas:` items begin on line 3.
constexpr std::string_view prologue = "storage: {sqlite: x.db}\nschemas:\n";

boost::system::result<settings, config_error> load(std::string_view schemas_items) {
    return load_settings_string(std::string(prologue) + std::string(schemas_items), "s.yaml");
}

std::string joined(const config_error& e) { return e.to_string(); }

TEST(SchemaSection, ReadsEveryKeyOfSchemasAndAttributes) {
    auto loaded = load(R"(  - id: urn:example:params:scim:schemas:extension:acme:2.0:User
    name: AcmeUser
    description: Badge data
    resource: User
    attributes:
      - { name: badgeNumber, type: string, required: true, case_exact: true, multi_valued: false,
          mutability: readWrite, returned: always, uniqueness: none, description: The badge,
          canonical_values: [A, B] }
      - name: clearance
        type: complex
        multi_valued: true
        sub_attributes:
          - { name: level, type: integer, mutability: immutable }
          - { name: since, type: dateTime, returned: request }
      - { name: homepage, type: reference, reference_types: [external, uri] }
      - { name: onSite, type: boolean, mutability: readOnly }
      - { name: score, type: decimal }
      - { name: photo, type: binary }
  - id: urn:example:acme:2.0:Group
    name: AcmeGroup
    resource: Group
    attributes: [ { name: costCode } ]
)");
    ASSERT_TRUE(loaded) << joined(loaded.error());
    ASSERT_EQ(loaded->schemas.size(), 2u);
    const schema_settings& user = loaded->schemas[0];
    EXPECT_EQ(user.schema.id, "urn:example:params:scim:schemas:extension:acme:2.0:User");
    EXPECT_EQ(user.schema.name, "AcmeUser");
    EXPECT_EQ(user.schema.description, "Badge data");
    EXPECT_EQ(user.extends, schema_resource_setting::user);
    ASSERT_EQ(user.schema.attributes.size(), 6u);
    const auto& badge = user.schema.attributes[0];
    EXPECT_EQ(badge.name, "badgeNumber");
    EXPECT_EQ(badge.type, resource::attribute_type::string);
    EXPECT_TRUE(badge.required);
    EXPECT_TRUE(badge.case_exact);
    EXPECT_FALSE(badge.multi_valued);
    EXPECT_EQ(badge.mutability, resource::mutability::read_write);
    EXPECT_EQ(badge.returned, resource::returned::always);
    EXPECT_EQ(badge.description, "The badge");
    EXPECT_EQ(badge.canonical_values, (std::vector<std::string>{"A", "B"}));
    const auto& clearance = user.schema.attributes[1];
    EXPECT_EQ(clearance.type, resource::attribute_type::complex);
    EXPECT_TRUE(clearance.multi_valued);
    ASSERT_EQ(clearance.sub_attributes.size(), 2u);
    EXPECT_EQ(clearance.sub_attributes[0].name, "level");
    EXPECT_EQ(clearance.sub_attributes[0].type, resource::attribute_type::integer);
    EXPECT_EQ(clearance.sub_attributes[0].mutability, resource::mutability::immutable);
    EXPECT_EQ(clearance.sub_attributes[1].type, resource::attribute_type::date_time);
    EXPECT_EQ(clearance.sub_attributes[1].returned, resource::returned::request);
    EXPECT_EQ(user.schema.attributes[2].type, resource::attribute_type::reference);
    EXPECT_EQ(user.schema.attributes[2].reference_types, (std::vector<std::string>{"external", "uri"}));
    EXPECT_EQ(user.schema.attributes[3].type, resource::attribute_type::boolean);
    EXPECT_EQ(user.schema.attributes[3].mutability, resource::mutability::read_only);
    EXPECT_EQ(user.schema.attributes[4].type, resource::attribute_type::decimal);
    EXPECT_EQ(user.schema.attributes[5].type, resource::attribute_type::binary);

    const schema_settings& group = loaded->schemas[1];
    EXPECT_EQ(group.extends, schema_resource_setting::group);
    ASSERT_EQ(group.schema.attributes.size(), 1u);
    const auto& cost = group.schema.attributes[0];  // the RFC 7643 §7 defaults
    EXPECT_EQ(cost.type, resource::attribute_type::string);
    EXPECT_FALSE(cost.required || cost.case_exact || cost.multi_valued);
    EXPECT_EQ(cost.mutability, resource::mutability::read_write);
    EXPECT_EQ(cost.returned, resource::returned::default_);
    EXPECT_EQ(cost.uniqueness, resource::uniqueness::none);
}

TEST(SchemaSection, AReferenceWithoutReferenceTypesIsExternal) {
    auto loaded = load(R"(  - id: urn:example:acme:2.0:User
    name: AcmeUser
    resource: User
    attributes: [ { name: homepage, type: reference } ]
)");
    ASSERT_TRUE(loaded) << joined(loaded.error());
    EXPECT_EQ(loaded->schemas[0].schema.attributes[0].reference_types,
              (std::vector<std::string>{"external"}));
}

TEST(SchemaSection, ServedSchemasPutExtensionsUnderTheirResourceTypeAfterTheBuiltInOnes) {
    auto loaded = load(R"(  - id: urn:example:acme:2.0:User
    name: AcmeUser
    resource: User
    attributes: [ { name: badge } ]
  - id: urn:example:acme:2.0:Group
    name: AcmeGroup
    resource: Group
    attributes: [ { name: costCode } ]
)");
    ASSERT_TRUE(loaded) << joined(loaded.error());
    const auto served = served_schemas(loaded->schemas);
    const auto& users = served->users().extensions();
    ASSERT_EQ(users.size(), 3u);
    EXPECT_EQ(users[0].id, resource::enterprise_user_urn);
    EXPECT_EQ(users[1].id, resource::directory_user_urn);
    EXPECT_EQ(users[2].id, "urn:example:acme:2.0:User");
    ASSERT_EQ(served->groups().extensions().size(), 1u);
    EXPECT_EQ(served->groups().extensions()[0].id, "urn:example:acme:2.0:Group");
    EXPECT_EQ(served->served().size(), 6u);
    ASSERT_NE(served->find_served("URN:EXAMPLE:ACME:2.0:USER"), nullptr);
    const auto* user_type = served->find_resource_type("User");
    ASSERT_NE(user_type, nullptr);
    EXPECT_EQ(user_type->schema, &served->users());
}

TEST(SchemaSection, NoSchemasServeTheBuiltInOnes) {
    const auto served = served_schemas({});
    EXPECT_EQ(served->served().size(), 4u);
    EXPECT_EQ(served->users().extensions().size(), 2u);
    EXPECT_TRUE(served->groups().extensions().empty());
}

TEST(SchemaSection, AbsentSectionMeansNoExtensionsAndTenantsAreLenient) {
    auto loaded = load_settings_string(
        "storage: {sqlite: x.db}\ntenants:\n  - {id: a, name: A}\n  - {id: b, name: B, strict_schema: "
        "true}\n",
        "s.yaml");
    ASSERT_TRUE(loaded) << joined(loaded.error());
    EXPECT_TRUE(loaded->schemas.empty());
    ASSERT_EQ(loaded->tenants.size(), 2u);
    EXPECT_FALSE(loaded->tenants[0].strict_schema);
    EXPECT_TRUE(loaded->tenants[1].strict_schema);
}

// Each case has exactly one problem, reported at `position` ("line:column") with `message` in its text.
struct bad_schema {
    const char* name;
    const char* items;  // the YAML after the prologue
    const char* position;
    const char* message;
};

constexpr bad_schema bad_schemas[] = {
    {"not_a_list", "  id: urn:a:b\n", "3:3", "expected a list for schemas, got a mapping"},
    {"unknown_schema_key",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes: [{name: x}]\n    extends: Group\n",
     "7:5", "unknown key 'extends' in schemas[0] (allowed: id, name, description, resource, attributes)"},
    {"missing_id", "  - name: A\n    resource: User\n    attributes: [{name: x}]\n", "3:5",
     "missing required key 'id' in schemas[0]"},
    {"missing_attributes", "  - id: urn:a:b\n    name: A\n    resource: User\n", "3:5",
     "missing required key 'attributes' in schemas[0]"},
    {"id_not_a_urn",
     "  - id: http://example.com/User\n    name: A\n    resource: User\n    attributes: [{name: x}]\n", "3:9",
     "invalid schema id 'http://example.com/User': a schema id is a URN starting with 'urn:'"},
    {"id_bad_character", "  - id: urn:a:b/c\n    name: A\n    resource: User\n    attributes: [{name: x}]\n",
     "3:9", "a schema id may hold only letters, digits and . - _ :"},
    {"id_empty_segment", "  - id: 'urn:a::b'\n    name: A\n    resource: User\n    attributes: [{name: x}]\n",
     "3:9", "no empty ':'-separated segment"},
    {"id_too_short", "  - id: urn:acme\n    name: A\n    resource: User\n    attributes: [{name: x}]\n",
     "3:9", "needs a namespace and a name after 'urn:'"},
    {"id_builtin",
     "  - id: URN:ietf:params:scim:schemas:extension:enterprise:2.0:User\n    name: A\n    resource: User\n"
     "    attributes: [{name: x}]\n",
     "3:9", "it is a built-in schema; give your extension its own URN"},
    {"id_reserved",
     "  - id: urn:ietf:params:scim:schemas:core:2.0:Device\n    name: A\n    resource: User\n"
     "    attributes: [{name: x}]\n",
     "3:9", "ids under 'urn:ietf:params:scim:schemas:core:' are reserved"},
    {"id_duplicate",
     "  - id: urn:a:b:User\n    name: A\n    resource: User\n    attributes: [{name: x}]\n"
     "  - id: URN:A:B:user\n    name: B\n    resource: Group\n    attributes: [{name: y}]\n",
     "7:9", "duplicate schema id 'URN:A:B:user' (first defined at line 3; ids are case-insensitive)"},
    {"name_empty", "  - id: urn:a:b\n    name: ''\n    resource: User\n    attributes: [{name: x}]\n", "4:11",
     "name must not be empty"},
    {"bad_resource", "  - id: urn:a:b\n    name: A\n    resource: Device\n    attributes: [{name: x}]\n",
     "5:15", "invalid resource 'Device' (allowed: User, Group)"},
    {"no_attributes", "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes: []\n", "6:17",
     "attributes must list at least one attribute"},
    {"attribute_not_a_mapping", "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes: [x]\n",
     "6:18", "expected a mapping for attributes[0], got 'x'"},
    {"attribute_unknown_key",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, caseExact: "
     "true}\n",
     "7:19",
     "unknown key 'caseExact' in schemas[0].attributes[0] (allowed: name, type, description, required, "
     "case_exact, multi_valued, mutability, returned, uniqueness, canonical_values, reference_types, "
     "sub_attributes)"},
    {"attribute_missing_name",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {type: string}\n", "7:9",
     "missing required key 'name' in schemas[0].attributes[0]"},
    {"attribute_name_starts_with_digit",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: 2fa}\n", "7:16",
     "invalid attribute name '2fa': a letter, then letters, digits, '-' or '_' (RFC 7643 ATTRNAME)"},
    {"attribute_name_with_dot",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: a.b}\n", "7:16",
     "invalid attribute name 'a.b'"},
    {"attribute_name_duplicate",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: badge}\n"
     "      - {name: Badge, type: integer}\n",
     "8:16",
     "duplicate attribute name 'Badge' in schemas[0].attributes (first at line 7; names are "
     "case-insensitive)"},
    {"bad_type",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, type: int}\n",
     "7:25",
     "invalid type 'int' (allowed: string, boolean, decimal, integer, dateTime, reference, binary, complex)"},
    {"type_wrong_case",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, type: datetime}\n",
     "7:25", "invalid type 'datetime'"},
    {"required_not_a_bool",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, required: yes}\n",
     "7:29", "expected true or false for required, got 'yes'"},
    {"bad_mutability",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, mutability: rw}\n",
     "7:31", "invalid mutability 'rw' (allowed: readOnly, readWrite, immutable)"},
    {"write_only",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n"
     "      - {name: x, mutability: writeOnly}\n",
     "7:31", "mutability writeOnly is not supported for configured attributes"},
    {"returned_never",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, returned: "
     "never}\n",
     "7:29", "returned never is not supported for configured attributes"},
    {"bad_returned",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, returned: "
     "sometimes}\n",
     "7:29", "invalid returned 'sometimes' (allowed: always, default, request)"},
    {"uniqueness_server",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, uniqueness: "
     "server}\n",
     "7:31", "uniqueness server is not enforced for configured attributes; use none"},
    {"bad_uniqueness",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, uniqueness: "
     "unique}\n",
     "7:31", "invalid uniqueness 'unique' (allowed: none)"},
    {"canonical_values_not_a_list",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n"
     "      - {name: x, canonical_values: a}\n",
     "7:37", "expected a list for canonical_values, got 'a'"},
    {"reference_types_on_string",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n"
     "      - {name: x, reference_types: [uri]}\n",
     "7:36", "reference_types are only allowed for type reference"},
    {"required_read_only",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n"
     "      - {name: x, required: true, mutability: readOnly}\n",
     "7:47", "a readOnly attribute cannot be required: clients cannot set it"},
    {"sub_attributes_on_string",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n"
     "      - {name: x, sub_attributes: [{name: y}]}\n",
     "7:35", "sub_attributes are only allowed for type complex"},
    {"complex_without_sub_attributes",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - {name: x, type: complex}\n",
     "7:25", "a complex attribute needs sub_attributes"},
    {"complex_sub_attribute",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - name: x\n        type: "
     "complex\n"
     "        sub_attributes:\n          - name: y\n            type: complex\n"
     "            sub_attributes: [{name: z}]\n",
     "11:19", "a sub-attribute cannot be complex: RFC 7643 §2.3.8 allows one level of sub-attributes"},
    {"sub_attribute_duplicate",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - name: x\n        type: "
     "complex\n"
     "        sub_attributes: [{name: level}, {name: LEVEL}]\n",
     "9:48", "duplicate attribute name 'LEVEL' in schemas[0].attributes[0].sub_attributes (first at line 9"},
    {"sub_attribute_bad_name",
     "  - id: urn:a:b\n    name: A\n    resource: User\n    attributes:\n      - name: x\n        type: "
     "complex\n"
     "        sub_attributes: [{name: $ref}]\n",
     "9:33", "invalid attribute name '$ref'"},
};

class BadSchema : public testing::TestWithParam<bad_schema> {};

TEST_P(BadSchema, IsRejectedAtThePosition) {
    const auto& c = GetParam();
    auto loaded = load(c.items);
    ASSERT_FALSE(loaded.has_value()) << c.items;
    const auto diagnostics = loaded.error().diagnostics;
    ASSERT_EQ(diagnostics.size(), 1u) << joined(loaded.error());
    const auto& d = diagnostics.front();
    EXPECT_EQ(std::to_string(d.line) + ":" + std::to_string(d.column), c.position) << d.message;
    EXPECT_NE(d.message.find(c.message), std::string::npos) << d.message;
}

INSTANTIATE_TEST_SUITE_P(SchemaSection, BadSchema, testing::ValuesIn(bad_schemas),
                         [](const testing::TestParamInfo<bad_schema>& info) {
                             return std::string(info.param.name);
                         });

TEST(SchemaSection, ReportsProblemsOfSeveralSchemasAtOnce) {
    auto loaded = load(R"(  - id: urn:a:b
    name: A
    resource: Device
    attributes: [{name: x, type: complex}]
  - id: urn:c:d
    name: C
    resource: User
    attributes: [{name: ok}, {name: 9lives}]
)");
    ASSERT_FALSE(loaded);
    const auto d = loaded.error().diagnostics;
    ASSERT_EQ(d.size(), 3u) << joined(loaded.error());
    EXPECT_EQ(d[0].line, 5);
    EXPECT_EQ(d[1].line, 6);
    EXPECT_EQ(d[2].line, 10);
}

TEST(SchemaSection, TenantStrictSchemaMustBeABoolean) {
    auto loaded = load_settings_string(
        "storage: {sqlite: x.db}\ntenants:\n  - {id: a, name: A, strict_schema: maybe}\n", "s.yaml");
    ASSERT_FALSE(loaded);
    const auto d = loaded.error().diagnostics;
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].line, 3);
    EXPECT_EQ(d[0].column, 37);
    EXPECT_NE(d[0].message.find("expected true or false for strict_schema, got 'maybe'"), std::string::npos);
}

}  // namespace
}  // namespace dirsync::config
