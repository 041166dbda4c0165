// Configured extension schemas and strict_schema, through the real dirsyncd over loopback HTTP.
#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* core = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* core_group = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* acme_urn = "urn:example:params:scim:schemas:extension:acme:2.0:User";
constexpr const char* entra_marker =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

/// acme and globex as usual (lenient), initech with strict_schema, and one User extension.
class SchemaDaemonTest : public DaemonTest {
  protected:
    static constexpr const char* initech_token = "initech-token-0123456789";

    std::string extra_tenants_yaml() const override {
        return "  - id: initech\n"
               "    name: Initech\n"
               "    strict_schema: true\n"
               "    scim_tokens:\n"
               "      - sha256: \"" +
               common::to_hex(common::sha256(initech_token)) + "\"\n";
    }

    std::string extra_top_level_yaml() const override {
        return R"(schemas:
  - id: urn:example:params:scim:schemas:extension:acme:2.0:User
    name: AcmeUser
    description: Acme badge data
    resource: User
    attributes:
      - { name: badgeNumber, type: string, required: true, case_exact: true }
      - { name: floor, type: integer }
      - { name: onSite, type: boolean }
      - name: clearance
        type: complex
        sub_attributes:
          - { name: level, type: integer }
          - { name: area, type: string, canonical_values: [lab, office] }
)";
    }

    http_result patch(const std::string& token, const std::string& target, const std::string& operations) {
        return call(token, "PATCH", target,
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
                        operations + "}");
    }
};

TEST_F(SchemaDaemonTest, ExtensionDataIsStoredFilteredAndPatched) {
    ASSERT_TRUE(wait_for_log("schema urn:example:params:scim:schemas:extension:acme:2.0:User extends User"));
    json user = user_json("badged");
    user["schemas"] = json::array({core, acme_urn});
    user[acme_urn] = {
        {"badgeNumber", "B-42"}, {"floor", 3}, {"onSite", "True"}, {"clearance", {{"level", 2}}}};
    auto created = call(acme_token, "POST", "/scim/v2/Users", user.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const json u = parse(created);
    EXPECT_EQ(u["schemas"],
              json::array({core, acme_urn, "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User"}));
    EXPECT_EQ(u[acme_urn],
              json::parse(R"({"badgeNumber":"B-42","floor":3,"onSite":true,"clearance":{"level":2}})"));
    const std::string id = u["id"];
    create_user(acme_token, "plain");

    // Filter on it, qualified and not; caseExact applies.
    auto found =
        parse(call(acme_token, "GET",
                   "/scim/v2/Users?filter=urn%3Aexample%3Aparams%3Ascim%3Aschemas%3Aextension%3Aacme%3A2.0"
                   "%3AUser%3AbadgeNumber%20eq%20%22B-42%22"));
    ASSERT_EQ(found["totalResults"], 1) << found.dump();
    EXPECT_EQ(found["Resources"][0]["id"], id);
    EXPECT_EQ(
        parse(call(acme_token, "GET", "/scim/v2/Users?filter=badgeNumber%20eq%20%22b-42%22"))["totalResults"],
        0);
    EXPECT_EQ(
        parse(call(acme_token, "GET", "/scim/v2/Users?filter=clearance.level%20ge%202"))["totalResults"], 1);

    // PATCH it by URN path; the result survives a read.
    auto patched =
        patch(acme_token, "/scim/v2/Users/" + id,
              R"([{"op":"replace","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:floor",
                              "value":7},
                             {"op":"add","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:clearance.area",
                              "value":"lab"}])");
    ASSERT_EQ(patched.status, 200) << patched.body;
    auto again = parse(call(acme_token, "GET", "/scim/v2/Users/" + id));
    EXPECT_EQ(again[acme_urn]["floor"], 7);
    EXPECT_EQ(again[acme_urn]["clearance"], json::parse(R"({"level":2,"area":"lab"})"));
    expect_scim_error(
        patch(acme_token, "/scim/v2/Users/" + id,
              R"([{"op":"replace","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:floor",
                                 "value":"seventh"}])"),
        400, "invalidValue");
    // Projection and sorting.
    auto only = parse(
        call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=" + std::string(acme_urn) + ":floor"));
    EXPECT_EQ(only[acme_urn], json({{"floor", 7}}));
    auto sorted = parse(call(acme_token, "GET", "/scim/v2/Users?sortBy=floor"));
    ASSERT_EQ(sorted["Resources"].size(), 2u);
    EXPECT_EQ(sorted["Resources"][0]["id"], id);  // unassigned sorts last

    // A required attribute is enforced when the extension is used.
    json missing = user_json("nobadge");
    missing["schemas"] = json::array({core, acme_urn});
    missing[acme_urn] = {{"floor", 1}};
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", missing.dump()), 400, "invalidValue");
}

TEST_F(SchemaDaemonTest, DiscoveryListsTheConfiguredSchema) {
    auto schemas = parse(call(acme_token, "GET", "/scim/v2/Schemas"));
    EXPECT_EQ(schemas["totalResults"], 5);
    auto acme = call(acme_token, "GET", "/scim/v2/Schemas/" + std::string(acme_urn));
    ASSERT_EQ(acme.status, 200) << acme.body;
    const json doc = parse(acme);
    EXPECT_EQ(doc["name"], "AcmeUser");
    ASSERT_EQ(doc["attributes"].size(), 4u);
    EXPECT_EQ(doc["attributes"][0], json::parse(R"({"name":"badgeNumber","type":"string","multiValued":false,
        "description":"","required":true,"caseExact":true,"mutability":"readWrite","returned":"default",
        "uniqueness":"none"})"));
    EXPECT_EQ(doc["attributes"][3]["subAttributes"][1]["canonicalValues"], json::array({"lab", "office"}));
    auto type = parse(call(acme_token, "GET", "/scim/v2/ResourceTypes/User"));
    EXPECT_EQ(type["schemaExtensions"][2], json({{"schema", acme_urn}, {"required", false}}));
}

TEST_F(SchemaDaemonTest, StrictTenantRefusesUnknownAttributesAndSchemas) {
    json unknown_attribute = user_json("s1");
    unknown_attribute["shoeSize"] = 44;
    auto r = call(initech_token, "POST", "/scim/v2/Users", unknown_attribute.dump());
    expect_scim_error(r, 400, "invalidValue");
    EXPECT_NE(parse(r)["detail"].get<std::string>().find("'shoeSize'"), std::string::npos) << r.body;

    json unknown_urn = user_json("s2");
    unknown_urn["schemas"].push_back("urn:example:other:1.0:User");
    r = call(initech_token, "POST", "/scim/v2/Users", unknown_urn.dump());
    expect_scim_error(r, 400, "invalidValue");
    EXPECT_NE(parse(r)["detail"].get<std::string>().find("'urn:example:other:1.0:User'"), std::string::npos)
        << r.body;

    const std::string id = create_user(initech_token, "s3");  // what the schemas declare is fine
    r = patch(initech_token, "/scim/v2/Users/" + id, R"([{"op":"add","path":"shoeSize","value":44}])");
    expect_scim_error(r, 400, "invalidValue");
    r = patch(initech_token, "/scim/v2/Users/" + id, R"([{"op":"replace","value":{"name.nickname":"x"}}])");
    expect_scim_error(r, 400, "invalidValue");
    EXPECT_EQ(parse(call(initech_token, "GET", "/scim/v2/Users"))["totalResults"], 1);

    // Entra's group marker is no unknown schema: Entra lists it on every group.
    auto g = call(initech_token, "POST", "/scim/v2/Groups",
                  json{{"schemas", {core_group, entra_marker}}, {"displayName", "Strict"}}.dump());
    EXPECT_EQ(g.status, 201) << g.body;

    // The same requests are fine for a lenient tenant, and kept.
    auto lenient = call(acme_token, "POST", "/scim/v2/Users", unknown_attribute.dump());
    ASSERT_EQ(lenient.status, 201) << lenient.body;
    EXPECT_EQ(parse(lenient)["shoeSize"], 44);
}

TEST_F(SchemaDaemonTest, LenientTenantPreservesEntrasGroupSchemaAndData) {
    // As Entra sends a group: its ADSCIM schema URI listed, plus an attribute no schema declares.
    json group = {{"schemas", {core_group, entra_marker}},
                  {"displayName", "Entra Group"},
                  {"externalId", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"},
                  {entra_marker, {{"onPremisesSamAccountName", "entra-group"}}}};
    auto created = call(acme_token, "POST", "/scim/v2/Groups", group.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const json g = parse(created);
    EXPECT_EQ(g["schemas"], json::array({core_group, entra_marker}));
    EXPECT_EQ(g[entra_marker], json({{"onPremisesSamAccountName", "entra-group"}}));
    const std::string id = g["id"];

    auto renamed = patch(acme_token, "/scim/v2/Groups/" + id,
                         R"([{"op":"Replace","path":"displayName","value":"Renamed"}])");
    ASSERT_EQ(renamed.status, 204) << renamed.body;
    auto read = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id));
    EXPECT_EQ(read["displayName"], "Renamed");
    EXPECT_EQ(read["schemas"], json::array({core_group, entra_marker}));
    EXPECT_EQ(read[entra_marker], json({{"onPremisesSamAccountName", "entra-group"}}));
    restart();
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Groups/" + id))["schemas"],
              json::array({core_group, entra_marker}));
}

}  // namespace
}  // namespace dirsync::testing
