// Configured extension schemas, strict_schema and password writes, through the whole SCIM service (routing,
// endpoints, directory, SQLite) without sockets.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/password_hash.hpp"
#include "common/sha256.hpp"
#include "http/bearer_authenticator.hpp"
#include "resource/service_schemas.hpp"
#include "route_request.hpp"
#include "scim/service.hpp"
#include "store/database.hpp"
#include "store/user_password.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::scim {
namespace {

using json = nlohmann::json;

constexpr const char* acme_urn = "urn:example:acme:2.0:User";
constexpr const char* team_urn = "urn:example:acme:2.0:Group";
constexpr const char* core = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* core_group = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* entra_group_marker =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

resource::attribute simple(std::string name,
                           resource::attribute_type type = resource::attribute_type::string) {
    resource::attribute a;
    a.name = std::move(name);
    a.type = type;
    return a;
}

/// An extension of every kind the configuration can declare.
std::shared_ptr<const resource::service_schemas> acme_schemas() {
    resource::schema user;
    user.id = acme_urn;
    user.name = "AcmeUser";
    user.description = "Acme badge data";
    resource::attribute badge = simple("badgeNumber");
    badge.required = true;
    user.attributes.push_back(badge);
    user.attributes.push_back(simple("onSite", resource::attribute_type::boolean));
    user.attributes.push_back(simple("floor", resource::attribute_type::integer));
    user.attributes.push_back(simple("hired", resource::attribute_type::date_time));
    resource::attribute clearance = simple("clearance", resource::attribute_type::complex);
    clearance.multi_valued = true;
    clearance.sub_attributes.push_back(simple("level", resource::attribute_type::integer));
    clearance.sub_attributes.push_back(simple("area"));
    user.attributes.push_back(clearance);
    resource::schema group;
    group.id = team_urn;
    group.name = "AcmeGroup";
    group.attributes.push_back(simple("costCode"));
    return std::make_shared<const resource::service_schemas>(std::vector<resource::schema>{user},
                                                             std::vector<resource::schema>{group});
}

class CustomSchemaService : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "s.db")};
    directory::tenant_directory dir{db_};
    http::bearer_authenticator auth =
        tenant_tokens({{"lenient", "lenient-token"}, {"strict", "strict-token"}});
    std::unique_ptr<service> svc;

    void SetUp() override {
        dir.configure_tenants({{"lenient", "Lenient", std::nullopt}, {"strict", "Strict", std::nullopt}});
        service_settings settings;
        settings.public_base_url = "https://h/scim/v2";
        settings.schemas = acme_schemas();
        settings.tenants["strict"].strict_schema = true;
        svc = std::make_unique<service>(dir, settings);
    }

    http::response call(const std::string& method, const std::string& target, const json& body = nullptr,
                        const std::string& tenant = "lenient") {
        http::request req;
        req.method = method;
        req.target = "/scim/v2" + target;
        req.headers.push_back({"Authorization", "Bearer " + tenant + "-token"});
        if (!body.is_null()) {
            req.headers.push_back({"Content-Type", "application/scim+json"});
            req.body = body.dump();
        }
        return route_request(*svc, auth, req);
    }

    static json parsed(const http::response& r) { return json::parse(r.body, nullptr, false); }

    static void expect_invalid_value(const http::response& r, const std::string& detail_part) {
        EXPECT_EQ(r.status, 400u) << r.body;
        const json j = parsed(r);
        EXPECT_EQ(j.value("scimType", ""), "invalidValue") << r.body;
        EXPECT_NE(j.value("detail", "").find(detail_part), std::string::npos) << r.body;
    }

    static json acme_user(const std::string& user_name, json extension) {
        json u = {{"schemas", {core, acme_urn}}, {"userName", user_name}};
        u[acme_urn] = std::move(extension);
        return u;
    }

    std::string create(const json& body, const std::string& tenant = "lenient") {
        auto r = call("POST", "/Users", body, tenant);
        EXPECT_EQ(r.status, 201u) << r.body;
        return parsed(r).value("id", "");
    }

    std::optional<std::string> stored_hash(const std::string& tenant, const std::string& id) {
        return db_.read([&](store::connection& c) { return store::user_password::get(c, tenant, id); });
    }
};

// ---------------------------------------------------------------------------------------------------------
// Extension attributes: stored, validated, filterable, sortable, projectable, PATCHable, discoverable

TEST_F(CustomSchemaService, ExtensionDataIsStoredCanonicallyAndListedInSchemas) {
    auto r = call("POST", "/Users",
                  json{{"schemas", {core}},  // the URN is added because the resource carries its data
                       {"userName", "bjensen"},
                       {acme_urn,
                        {{"BadgeNumber", "B-1"},
                         {"onSite", "True"},
                         {"floor", 3.0},
                         {"clearance", {{{"LEVEL", 2}, {"area", "lab"}}}}}}});
    ASSERT_EQ(r.status, 201u) << r.body;
    const json u = parsed(r);
    EXPECT_EQ(u["schemas"], json::array({core, acme_urn, std::string(resource::directory_user_urn)}));
    EXPECT_EQ(u[acme_urn], json::parse(R"({"badgeNumber":"B-1","onSite":true,"floor":3,
                                           "clearance":[{"level":2,"area":"lab"}]})"));
    auto again = parsed(call("GET", "/Users/" + u["id"].get<std::string>()));
    EXPECT_EQ(again[acme_urn], u[acme_urn]);  // round trip
}

TEST_F(CustomSchemaService, WrongTypesAreInvalidValueNamingTheAttribute) {
    expect_invalid_value(call("POST", "/Users", acme_user("a", {{"badgeNumber", "1"}, {"floor", "third"}})),
                         "floor must be an integer");
    expect_invalid_value(call("POST", "/Users", acme_user("a", {{"badgeNumber", "1"}, {"onSite", "yes"}})),
                         "onSite must be a boolean");
    expect_invalid_value(
        call("POST", "/Users", acme_user("a", {{"badgeNumber", "1"}, {"hired", "yesterday"}})),
        "hired is not a valid dateTime");
    expect_invalid_value(
        call("POST", "/Users", acme_user("a", {{"badgeNumber", "1"}, {"clearance", {{{"level", "high"}}}}})),
        "clearance.level must be an integer");
    expect_invalid_value(call("POST", "/Users", acme_user("a", {{"badgeNumber", {{"x", 1}}}})),
                         "badgeNumber must be a string");
}

TEST_F(CustomSchemaService, RequiredAttributesAreEnforcedOnlyWhenTheExtensionIsUsed) {
    expect_invalid_value(call("POST", "/Users", acme_user("a", {{"floor", 2}})),
                         "'urn:example:acme:2.0:User:badgeNumber' is required");
    expect_invalid_value(call("POST", "/Users", json{{"schemas", {core, acme_urn}}, {"userName", "b"}}),
                         "badgeNumber' is required");
    create(json{{"schemas", {core}}, {"userName", "c"}});  // not using the extension: nothing required
    const std::string id = create(acme_user("d", {{"badgeNumber", "D"}}));
    // Removing it by PATCH is refused the same way; removing the whole extension is fine.
    expect_invalid_value(call("PATCH", "/Users/" + id,
                              json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                  "Operations":[{"op":"remove","path":"urn:example:acme:2.0:User:badgeNumber"}]})")),
                         "badgeNumber' is required");
    auto r = call("PATCH", "/Users/" + id,
                  json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                  "Operations":[{"op":"remove","path":"urn:example:acme:2.0:User"}]})"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_FALSE(parsed(r).contains(acme_urn));
    EXPECT_EQ(parsed(r)["schemas"], json::array({core, std::string(resource::directory_user_urn)}));
}

TEST_F(CustomSchemaService, FilterSortAndProjectOnExtensionAttributes) {
    create(acme_user("ann", {{"badgeNumber", "B-7"}, {"floor", 7}}));
    create(acme_user("bob", {{"badgeNumber", "B-2"}, {"floor", 2}}));
    create(json{{"schemas", {core}}, {"userName", "cid"}});

    auto names = [&](const std::string& query) {
        auto r = call("GET", "/Users?" + query);
        EXPECT_EQ(r.status, 200u) << r.body;
        std::vector<std::string> out;
        const json list = parsed(r);
        for (const auto& u : list["Resources"]) out.push_back(u.value("userName", "?"));
        return out;
    };
    using v = std::vector<std::string>;
    EXPECT_EQ(names("filter=urn%3Aexample%3Aacme%3A2.0%3AUser%3AbadgeNumber%20eq%20%22b-7%22"), v{"ann"});
    EXPECT_EQ(names("filter=badgeNumber%20sw%20%22B%22"), (v{"ann", "bob"}));  // unqualified: unambiguous
    EXPECT_EQ(names("filter=floor%20gt%205"), v{"ann"});
    EXPECT_EQ(names("filter=badgeNumber%20pr&sortBy=urn:example:acme:2.0:User:floor"), (v{"bob", "ann"}));
    EXPECT_EQ(names("sortBy=badgeNumber&sortOrder=descending"),
              (v{"cid", "ann", "bob"}));  // unassigned: highest

    auto only = parsed(
        call("GET", "/Users?filter=userName%20eq%20%22ann%22&attributes=urn:example:acme:2.0:User:floor"));
    const json ann = only["Resources"][0];
    EXPECT_EQ(ann[acme_urn], json({{"floor", 7}}));
    EXPECT_FALSE(ann.contains("userName"));
    auto without =
        parsed(call("GET", "/Users?filter=userName%20eq%20%22ann%22&excludedAttributes=badgeNumber"));
    EXPECT_EQ(without["Resources"][0][acme_urn], json({{"floor", 7}}));
    auto no_extension = parsed(
        call("GET", "/Users?filter=userName%20eq%20%22ann%22&excludedAttributes=" + std::string(acme_urn)));
    EXPECT_FALSE(no_extension["Resources"][0].contains(acme_urn));
}

TEST_F(CustomSchemaService, PatchByUrnPathAndPathLess) {
    const std::string id = create(json{{"schemas", {core}}, {"userName", "p"}});
    auto patch = [&](const std::string& ops) {
        return call(
            "PATCH", "/Users/" + id,
            json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
                        ops + "}"));
    };
    auto r = patch(R"([{"op":"add","path":"urn:example:acme:2.0:User:badgeNumber","value":"P-1"},
                      {"op":"add","path":"urn:example:acme:2.0:User:clearance","value":[{"level":1,"area":"a"}]}])");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parsed(r)["schemas"], json::array({core, acme_urn, std::string(resource::directory_user_urn)}));
    EXPECT_EQ(parsed(r)[acme_urn]["badgeNumber"], "P-1");

    r = patch(
        R"([{"op":"replace","path":"urn:example:acme:2.0:User:clearance[area eq \"a\"].level","value":4},
                  {"op":"replace","value":{"urn:example:acme:2.0:User:floor":9}}])");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parsed(r)[acme_urn]["clearance"], json::parse(R"([{"level":4,"area":"a"}])"));
    EXPECT_EQ(parsed(r)[acme_urn]["floor"], 9);

    expect_invalid_value(
        patch(R"([{"op":"replace","path":"urn:example:acme:2.0:User:floor","value":"high"}])"),
        "floor must be an integer");
    r = patch(R"([{"op":"replace","path":"urn:example:acme:2.0:User:onSite","value":"False"}])");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parsed(r)[acme_urn]["onSite"], false);
}

TEST_F(CustomSchemaService, DiscoveryListsTheConfiguredSchemas) {
    auto schemas = parsed(call("GET", "/Schemas"));
    std::vector<std::string> ids;
    for (const auto& s : schemas["Resources"]) ids.push_back(s["id"]);
    EXPECT_EQ(ids, (std::vector<std::string>{core, core_group,
                                             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                                             std::string(resource::directory_user_urn), acme_urn, team_urn}));
    auto acme = parsed(call("GET", "/Schemas/urn:example:acme:2.0:User"));
    EXPECT_EQ(acme["name"], "AcmeUser");
    EXPECT_EQ(acme["description"], "Acme badge data");
    ASSERT_EQ(acme["attributes"].size(), 5u);
    EXPECT_EQ(acme["attributes"][0]["name"], "badgeNumber");
    EXPECT_EQ(acme["attributes"][0]["required"], true);
    EXPECT_EQ(acme["attributes"][4]["subAttributes"].size(), 2u);

    auto user_type = parsed(call("GET", "/ResourceTypes/User"));
    EXPECT_EQ(
        user_type["schemaExtensions"],
        json::parse(
            R"([{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","required":false},
                {"schema":"urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User","required":false},
                              {"schema":"urn:example:acme:2.0:User","required":false}])"));
    auto group_type = parsed(call("GET", "/ResourceTypes/Group"));
    EXPECT_EQ(group_type["schemaExtensions"],
              json::parse(R"([{"schema":"urn:example:acme:2.0:Group","required":false}])"));
}

TEST_F(CustomSchemaService, GroupExtensionsWorkLikeUserOnes) {
    auto r = call("POST", "/Groups",
                  json{{"schemas", {core_group}}, {"displayName", "Ops"}, {team_urn, {{"CostCode", "C-9"}}}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(parsed(r)["schemas"], json::array({core_group, team_urn}));
    EXPECT_EQ(parsed(r)[team_urn]["costCode"], "C-9");
    auto found =
        parsed(call("GET", "/Groups?filter=urn%3Aexample%3Aacme%3A2.0%3AGroup%3AcostCode%20eq%20%22C-9%22"));
    EXPECT_EQ(found["totalResults"], 1);
}

// ---------------------------------------------------------------------------------------------------------
// strict_schema

TEST_F(CustomSchemaService, LenientTenantKeepsUnknownAttributesAndSchemas) {
    auto r = call("POST", "/Users",
                  json{{"schemas", {core, "urn:example:other:1.0:User"}},
                       {"userName", "l"},
                       {"favouriteColour", "teal"},
                       {"urn:example:other:1.0:User", {{"x", 1}}},
                       {"name", {{"givenName", "L"}, {"nickname", "Ell"}}}});
    ASSERT_EQ(r.status, 201u) << r.body;
    const json u = parsed(r);
    EXPECT_EQ(u["favouriteColour"], "teal");
    EXPECT_EQ(u["urn:example:other:1.0:User"], json({{"x", 1}}));
    EXPECT_EQ(u["name"]["nickname"], "Ell");
    EXPECT_EQ(u["schemas"],
              json::array({core, "urn:example:other:1.0:User", std::string(resource::directory_user_urn)}));
}

TEST_F(CustomSchemaService, LenientTenantKeepsEntrasGroupMarker) {
    auto r = call("POST", "/Groups",
                  json{{"schemas", {core_group, entra_group_marker}}, {"displayName", "Entra"}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(parsed(r)["schemas"], json::array({core_group, entra_group_marker}));
}

TEST_F(CustomSchemaService, StrictTenantRefusesWhatNoSchemaDeclares) {
    const auto strict = [&](const std::string& method, const std::string& target, const json& body) {
        return call(method, target, body, "strict");
    };
    expect_invalid_value(
        strict("POST", "/Users", json{{"schemas", {core}}, {"userName", "s"}, {"favouriteColour", "x"}}),
        "unknown attribute 'favouriteColour'");
    expect_invalid_value(
        strict("POST", "/Users", json{{"schemas", {core, "urn:example:other:1.0:User"}}, {"userName", "s"}}),
        "unknown schema 'urn:example:other:1.0:User'");
    expect_invalid_value(
        strict("POST", "/Users",
               json{{"schemas", {core}}, {"userName", "s"}, {"urn:example:other:1.0:User", {{"x", 1}}}}),
        "unknown schema 'urn:example:other:1.0:User'");
    expect_invalid_value(
        strict("POST", "/Users", json{{"schemas", {core}}, {"userName", "s"}, {"name", {{"nickname", "x"}}}}),
        "unknown attribute 'name.nickname'");
    expect_invalid_value(strict("POST", "/Users", acme_user("s", {{"badgeNumber", "1"}, {"shoeSize", 9}})),
                         "unknown attribute 'urn:example:acme:2.0:User:shoeSize'");
    expect_invalid_value(
        strict("POST", "/Groups", json{{"schemas", {core_group}}, {"displayName", "G"}, {"colour", "x"}}),
        "unknown attribute 'colour'");
    // Entra's data-less group marker is not "unknown": nothing could declare it, and Entra always sends it.
    auto g =
        strict("POST", "/Groups", json{{"schemas", {core_group, entra_group_marker}}, {"displayName", "G"}});
    EXPECT_EQ(g.status, 201u) << g.body;

    auto created = strict("POST", "/Users", acme_user("s", {{"badgeNumber", "1"}}));
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id = parsed(created)["id"];
    expect_invalid_value(
        strict("PUT", "/Users/" + id, json{{"schemas", {core}}, {"userName", "s"}, {"x", 1}}),
        "unknown attribute 'x'");
    const auto patch = [&](const std::string& ops) {
        return strict(
            "PATCH", "/Users/" + id,
            json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
                        ops + "}"));
    };
    expect_invalid_value(patch(R"([{"op":"add","path":"shoeSize","value":9}])"),
                         "unknown attribute 'shoeSize'");
    expect_invalid_value(patch(R"([{"op":"remove","path":"shoeSize"}])"),
                         "Operations[0]: unknown attribute 'shoeSize'");
    expect_invalid_value(patch(R"([{"op":"add","path":"name.nickname","value":"x"}])"),
                         "unknown attribute 'name.nickname'");
    expect_invalid_value(patch(R"([{"op":"add","path":"urn:example:other:1.0:User:x","value":1}])"),
                         "unknown schema 'urn:example:other:1.0:User:x'");
    expect_invalid_value(patch(R"([{"op":"replace","value":{"shoeSize":9}}])"),
                         "unknown attribute 'shoeSize'");
    EXPECT_EQ(patch(R"([{"op":"replace","path":"urn:example:acme:2.0:User:floor","value":2}])").status, 200u);
}

TEST_F(CustomSchemaService, RecordsWrittenWhileLenientStayWritable) {
    // The same tenant id seen by a lenient service first, then by a strict one.
    const std::string id = create(json{{"schemas", {core}}, {"userName", "old"}, {"legacy", "kept"}});
    service_settings strict_settings;
    strict_settings.schemas = acme_schemas();
    strict_settings.tenants["lenient"].strict_schema = true;
    svc = std::make_unique<service>(dir, strict_settings);
    auto r = call("PATCH", "/Users/" + id,
                  json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                  "Operations":[{"op":"replace","path":"displayName","value":"Old"}]})"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parsed(r)["legacy"], "kept");
    r = call("PUT", "/Users/" + id, json{{"schemas", {core}}, {"userName", "old"}, {"legacy", "kept"}});
    EXPECT_EQ(r.status, 200u) << r.body;
}

// ---------------------------------------------------------------------------------------------------------
// password

TEST_F(CustomSchemaService, PasswordIsHashedOnCreateAndNeverReturned) {
    auto r =
        call("POST", "/Users", json{{"schemas", {core}}, {"userName", "pw"}, {"password", "t1meMa$heen"}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.body.find("t1meMa"), std::string::npos);
    EXPECT_EQ(r.body.find("password"), std::string::npos);
    const std::string id = parsed(r)["id"];
    auto hash = stored_hash("lenient", id);
    ASSERT_TRUE(hash);
    EXPECT_EQ(hash->rfind("$scrypt$ln=15,r=8,p=1$", 0), 0u) << *hash;
    EXPECT_TRUE(common::verify_password("t1meMa$heen", *hash));
    EXPECT_EQ(call("GET", "/Users/" + id + "?attributes=password").body.find("password"), std::string::npos);
    EXPECT_EQ(parsed(call("GET", "/Users?filter=password%20pr"))["totalResults"], 0);
    for (const auto& e : dir.audit_log("lenient", 10))
        EXPECT_EQ(e.summary.dump().find("t1meMa"), std::string::npos);
}

TEST_F(CustomSchemaService, PasswordCanBeSetByPutAndPatchAndClearedByRemove) {
    const std::string id = create(json{{"schemas", {core}}, {"userName", "pw"}});
    EXPECT_FALSE(stored_hash("lenient", id));

    auto r = call("PUT", "/Users/" + id,
                  json{{"schemas", {core}}, {"userName", "pw"}, {core + std::string(":password"), "one"}});
    ASSERT_EQ(r.status, 200u) << r.body;
    ASSERT_TRUE(stored_hash("lenient", id));
    EXPECT_TRUE(common::verify_password("one", *stored_hash("lenient", id)));

    r = call("PUT", "/Users/" + id, json{{"schemas", {core}}, {"userName", "pw"}, {"displayName", "P"}});
    ASSERT_EQ(r.status, 200u) << r.body;  // a PUT without one leaves it
    EXPECT_TRUE(common::verify_password("one", *stored_hash("lenient", id)));

    const auto patch = [&](const std::string& ops) {
        return call(
            "PATCH", "/Users/" + id,
            json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
                        ops + "}"));
    };
    r = patch(R"([{"op":"replace","path":"password","value":"two"}])");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body.find("password"), std::string::npos);
    EXPECT_TRUE(common::verify_password("two", *stored_hash("lenient", id)));
    const auto version = parsed(r)["meta"]["version"];

    r = patch(
        R"([{"op":"Replace","value":{"PASSWORD":"three","displayName":"Q"}}])");  // Okta's path-less form
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parsed(r)["displayName"], "Q");
    EXPECT_NE(parsed(r)["meta"]["version"], version);
    EXPECT_TRUE(common::verify_password("three", *stored_hash("lenient", id)));

    r = patch(R"([{"op":"remove","path":"password"}])");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_FALSE(stored_hash("lenient", id));

    expect_invalid_value(patch(R"([{"op":"add","path":"password","value":42}])"),
                         "password must be a string");
    expect_invalid_value(
        call("POST", "/Users", json{{"schemas", {core}}, {"userName", "x"}, {"password", {1}}}),
        "password must be a string");
    expect_invalid_value(
        call("POST", "/Users",
             json{{"schemas", {core}}, {"userName", "x"}, {"password", std::string(1025, 'p')}}),
        "password is longer than 1024 bytes");
}

TEST_F(CustomSchemaService, StrictTenantAcceptsThePassword) {
    auto r = call("POST", "/Users", json{{"schemas", {core}}, {"userName", "s"}, {"password", "secret"}},
                  "strict");
    EXPECT_EQ(r.status, 201u) << r.body;
}

}  // namespace
}  // namespace dirsync::scim
