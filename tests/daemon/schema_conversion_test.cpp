#include "daemon/schema_conversion.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "scim/filter.hpp"
#include "scim/user_resource.hpp"

namespace dirsync::daemon {
namespace {

using json = nlohmann::json;

config::settings load(const std::string& schemas_yaml) {
    auto loaded = config::load_settings_string(
        "storage: {sqlite: x.db}\ntenants:\n  - {id: a, name: A}\n  - {id: b, name: B, strict_schema: true}\n"
        "schemas:\n" +
            schemas_yaml,
        "t.yaml");
    if (!loaded) ADD_FAILURE() << loaded.error().to_string();
    return loaded ? *loaded : config::settings{};
}

const std::string acme_yaml = R"(  - id: urn:example:acme:2.0:User
    name: AcmeUser
    description: Acme badge data
    resource: User
    attributes:
      - { name: badgeNumber, required: true, case_exact: true, canonical_values: [A1, B2], description: d }
      - name: clearance
        type: complex
        multi_valued: true
        sub_attributes:
          - { name: level, type: integer, mutability: immutable }
          - { name: since, type: dateTime, returned: request }
      - { name: homepage, type: reference }
      - { name: profile, type: reference, reference_types: [uri] }
      - { name: onSite, type: boolean, mutability: readOnly, returned: always }
      - { name: score, type: decimal }
      - { name: photo, type: binary }
  - id: urn:example:acme:2.0:Group
    name: AcmeGroup
    resource: Group
    attributes: [ { name: costCode } ]
)";

TEST(SchemaConversion, CarriesEveryCharacteristicOver) {
    const auto settings = load(acme_yaml);
    ASSERT_EQ(settings.schemas.size(), 2u);
    const resource::schema s = to_scim_schema(settings.schemas[0]);
    EXPECT_EQ(s.id, "urn:example:acme:2.0:User");
    EXPECT_EQ(s.name, "AcmeUser");
    EXPECT_EQ(s.description, "Acme badge data");
    ASSERT_EQ(s.attributes.size(), 7u);

    const resource::attribute& badge = s.attributes[0];
    EXPECT_EQ(badge.name, "badgeNumber");
    EXPECT_EQ(badge.type, resource::attribute_type::string);
    EXPECT_TRUE(badge.required);
    EXPECT_TRUE(badge.case_exact);
    EXPECT_FALSE(badge.multi_valued);
    EXPECT_EQ(badge.description, "d");
    EXPECT_EQ(badge.canonical_values, (std::vector<std::string>{"A1", "B2"}));
    EXPECT_EQ(badge.mutability, resource::mutability::read_write);
    EXPECT_EQ(badge.returned, resource::returned::default_);
    EXPECT_EQ(badge.uniqueness, resource::uniqueness::none);

    const resource::attribute& clearance = s.attributes[1];
    EXPECT_EQ(clearance.type, resource::attribute_type::complex);
    EXPECT_TRUE(clearance.multi_valued);
    ASSERT_EQ(clearance.sub_attributes.size(), 2u);
    EXPECT_EQ(clearance.sub_attributes[0].type, resource::attribute_type::integer);
    EXPECT_EQ(clearance.sub_attributes[0].mutability, resource::mutability::immutable);
    EXPECT_EQ(clearance.sub_attributes[1].type, resource::attribute_type::date_time);
    EXPECT_EQ(clearance.sub_attributes[1].returned, resource::returned::request);

    EXPECT_EQ(s.attributes[2].type, resource::attribute_type::reference);
    EXPECT_EQ(s.attributes[2].reference_types, (std::vector<std::string>{"external"}));  // the default
    EXPECT_EQ(s.attributes[3].reference_types, (std::vector<std::string>{"uri"}));
    EXPECT_EQ(s.attributes[4].type, resource::attribute_type::boolean);
    EXPECT_EQ(s.attributes[4].mutability, resource::mutability::read_only);
    EXPECT_EQ(s.attributes[4].returned, resource::returned::always);
    EXPECT_EQ(s.attributes[5].type, resource::attribute_type::decimal);
    EXPECT_EQ(s.attributes[6].type, resource::attribute_type::binary);
}

TEST(SchemaConversion, ExtensionsGoToTheirResourceTypeAfterTheBuiltInOnes) {
    const auto served = served_schemas(load(acme_yaml).schemas);
    const auto& users = served->users().extensions();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].id, resource::enterprise_user_urn);
    EXPECT_EQ(users[1].id, "urn:example:acme:2.0:User");
    ASSERT_EQ(served->groups().extensions().size(), 1u);
    EXPECT_EQ(served->groups().extensions()[0].id, "urn:example:acme:2.0:Group");
    EXPECT_EQ(served->served().size(), 5u);
    ASSERT_NE(served->find_served("URN:EXAMPLE:ACME:2.0:USER"), nullptr);
    const auto* user_type = served->find_resource_type("User");
    ASSERT_NE(user_type, nullptr);
    EXPECT_EQ(user_type->schema, &served->users());
}

TEST(SchemaConversion, NoSchemasServesTheBuiltInOnes) {
    const auto served = served_schemas({});
    EXPECT_EQ(served->served().size(), 3u);
    EXPECT_EQ(served->users().extensions().size(), 1u);
    EXPECT_TRUE(served->groups().extensions().empty());
}

TEST(SchemaConversion, AConvertedSchemaValidatesAndFilters) {
    const auto served = served_schemas(load(acme_yaml).schemas);
    const auto& rs = served->users();
    auto ok = scim::canonicalize_user(json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:example:acme:2.0:User"],
        "userName": "bjensen",
        "urn:example:acme:2.0:User": {"BADGENUMBER": "A1", "clearance": [{"level": "3"}]}})"),
                                      rs);
    EXPECT_FALSE(ok) << "level is an integer";
    auto good = scim::canonicalize_user(json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen",
        "urn:example:acme:2.0:User": {"BADGENUMBER": "A1", "clearance": [{"level": 3}]}})"),
                                        rs);
    ASSERT_TRUE(good) << good.error().detail;
    EXPECT_EQ((*good)["urn:example:acme:2.0:User"]["badgeNumber"], "A1");
    auto f = scim::parse_filter(R"(urn:example:acme:2.0:User:badgeNumber eq "A1" and clearance.level ge 2)");
    ASSERT_TRUE(f);
    EXPECT_TRUE(scim::matches(*f, *good, rs));
    auto exact = scim::parse_filter(R"(badgeNumber eq "a1")");  // caseExact: true
    ASSERT_TRUE(exact);
    EXPECT_FALSE(scim::matches(*exact, *good, rs));
}

TEST(SchemaConversion, TenantOptionsFollowTheTenants) {
    const auto options = tenant_options(load(acme_yaml).tenants);
    ASSERT_EQ(options.size(), 2u);
    EXPECT_FALSE(options.at("a").strict_schema);
    EXPECT_TRUE(options.at("b").strict_schema);
}

}  // namespace
}  // namespace dirsync::daemon
