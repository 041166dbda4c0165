#include "daemon/scim_settings.hpp"

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

TEST(ScimSettings, ServesTheConfiguredSchemasWhichValidateAndFilter) {
    const auto served = scim_service_settings(load(acme_yaml)).schemas;
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

TEST(ScimSettings, TenantOptionsFollowTheTenants) {
    const auto options = scim_service_settings(load(acme_yaml)).tenants;
    ASSERT_EQ(options.size(), 2u);
    EXPECT_FALSE(options.at("a").strict_schema);
    EXPECT_TRUE(options.at("b").strict_schema);
}

}  // namespace
}  // namespace dirsync::daemon
