#include "scim/discovery.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "scim/discovery_endpoint.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

constexpr const char* base = "https://sync.example.com/scim/v2";

TEST(DiscoveryDocuments, ServiceProviderConfigFollowsSettings) {
    service_settings settings;
    settings.max_page_size = 250;
    settings.bulk.max_operations = 0;
    json spc = service_provider_config_document(settings, base);
    EXPECT_EQ(spc["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}));
    EXPECT_EQ(spc["patch"]["supported"], true);
    EXPECT_EQ(spc["bulk"], json({{"supported", false}, {"maxOperations", 0}, {"maxPayloadSize", 0}}));
    EXPECT_EQ(spc["filter"], json({{"supported", true}, {"maxResults", 250}}));
    EXPECT_EQ(spc["changePassword"]["supported"], false);
    EXPECT_EQ(spc["sort"]["supported"], true);
    EXPECT_EQ(spc["etag"]["supported"], true);
    ASSERT_EQ(spc["authenticationSchemes"].size(), 1u);
    const auto& scheme = spc["authenticationSchemes"][0];
    EXPECT_EQ(scheme["type"], "oauthbearertoken");
    for (auto key : {"name", "description", "specUri"}) EXPECT_TRUE(scheme[key].is_string()) << key;
    EXPECT_EQ(spc["meta"], json({{"resourceType", "ServiceProviderConfig"},
                                 {"location", std::string(base) + "/ServiceProviderConfig"}}));

    settings.bulk.max_operations = 100;
    settings.bulk.max_payload_bytes = 1 << 20;
    spc = service_provider_config_document(settings, base);
    EXPECT_EQ(spc["bulk"], json({{"supported", true}, {"maxOperations", 100}, {"maxPayloadSize", 1 << 20}}));
}

TEST(DiscoveryDocuments, ResourceTypes) {
    ASSERT_EQ(resource::resource_types().size(), 2u);
    const resource::resource_type* user = resource::find_resource_type("user");
    ASSERT_NE(user, nullptr);
    json u = resource_type_document(*user, base);
    EXPECT_EQ(u, json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User", "name": "User", "endpoint": "/Users", "description": "User Account",
        "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
        "schemaExtensions": [{"schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                              "required": false},
                             {"schema": "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User",
                              "required": false}],
        "meta": {"resourceType": "ResourceType",
                 "location": "https://sync.example.com/scim/v2/ResourceTypes/User"}})"));
    const resource::resource_type* group = resource::find_resource_type("Group");
    ASSERT_NE(group, nullptr);
    json g = resource_type_document(*group, base);
    EXPECT_EQ(g["endpoint"], "/Groups");
    EXPECT_EQ(g["schema"], "urn:ietf:params:scim:schemas:core:2.0:Group");
    EXPECT_FALSE(g.contains("schemaExtensions"));
    EXPECT_EQ(resource::find_resource_type("Device"), nullptr);
}

/// Every attribute and sub-attribute has the full set of RFC 7643 §7 characteristics.
void expect_characteristics(const json& a, const std::string& where) {
    for (auto key : {"name", "type", "multiValued", "description", "required", "caseExact", "mutability",
                     "returned", "uniqueness"})
        EXPECT_TRUE(a.contains(key)) << where << " lacks " << key;
    if (a.value("type", "") == "complex") {
        ASSERT_TRUE(a.contains("subAttributes")) << where;
        for (const auto& sub : a["subAttributes"])
            expect_characteristics(sub, where + "." + sub.value("name", "?"));
    }
}

TEST(DiscoveryDocuments, SchemasFromDescriptors) {
    const auto served = served_schemas();
    ASSERT_EQ(served.size(), 4u);
    EXPECT_EQ(served[0]->id, resource::core_user_urn);
    EXPECT_EQ(served[1]->id, resource::core_group_urn);
    EXPECT_EQ(served[2]->id, resource::enterprise_user_urn);
    EXPECT_EQ(served[3]->id, resource::directory_user_urn);
    EXPECT_EQ(find_served_schema("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"), served[0]);
    EXPECT_EQ(find_served_schema("urn:nope"), nullptr);

    for (const resource::schema* s : served) {
        json doc = schema_document(*s, base);
        EXPECT_EQ(doc["id"], s->id);
        EXPECT_EQ(doc["name"], s->name);
        EXPECT_EQ(doc["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:Schema"}));
        EXPECT_EQ(doc["meta"],
                  json({{"resourceType", "Schema"}, {"location", std::string(base) + "/Schemas/" + s->id}}));
        std::set<std::string> names;
        for (const auto& a : doc["attributes"]) {
            names.insert(a["name"]);
            expect_characteristics(a, s->name + "." + a["name"].get<std::string>());
        }
        for (auto common : {"id", "externalId", "meta", "schemas"})
            EXPECT_EQ(names.count(common), 0u) << common;
    }
    json user = schema_document(resource::core_user_schema(), base);
    EXPECT_EQ(user["attributes"].size(), resource::core_user_schema().attributes.size() - 4);
    EXPECT_EQ(user["attributes"][0]["name"], "userName");
    json group = schema_document(resource::core_group_schema(), base);
    ASSERT_EQ(group["attributes"].size(), 2u);
    EXPECT_EQ(group["attributes"][1]["name"], "members");
}

http::response discover(const char* collection, const char* id, const char* query = "") {
    return answer_discovery(collection, id, query, service_settings{}, base);
}

TEST(DiscoveryEndpoint, Answers) {
    auto spc = discover("ServiceProviderConfig", "");
    EXPECT_EQ(spc.status, 200u);
    EXPECT_EQ(spc.content_type, "application/scim+json");
    EXPECT_EQ(discover("ServiceProviderConfig", "x").status, 404u);

    auto types = json::parse(discover("ResourceTypes", "").body);
    EXPECT_EQ(types["totalResults"], 2);
    EXPECT_EQ(types["itemsPerPage"], 2);
    EXPECT_EQ(types["startIndex"], 1);
    EXPECT_EQ(types["Resources"].size(), 2u);

    auto schemas = json::parse(discover("Schemas", "", "startIndex=2&count=1&sortBy=id").body);
    EXPECT_EQ(schemas["totalResults"], 4);  // paging and sorting are ignored
    EXPECT_EQ(schemas["Resources"].size(), 4u);

    auto enterprise = discover("Schemas", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    ASSERT_EQ(enterprise.status, 200u);
    EXPECT_EQ(json::parse(enterprise.body)["id"], resource::enterprise_user_urn);
    EXPECT_EQ(discover("Schemas", "urn:nope").status, 404u);
    EXPECT_EQ(discover("ResourceTypes", "Device").status, 404u);

    for (auto collection : {"ServiceProviderConfig", "ResourceTypes", "Schemas"}) {
        auto filtered = discover(collection, "", "filter=id+eq+%22User%22");
        EXPECT_EQ(filtered.status, 403u) << collection;
    }
}

}  // namespace
}  // namespace dirsync::scim
