#include "scim/discovery.hpp"

#include <algorithm>
#include <string>

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

json supported(bool yes) { return json{{"supported", yes}}; }

/// Gives an attribute representation (and its sub-attributes) every RFC 7643 §7 characteristic: to_json
/// leaves out caseExact and uniqueness where they do not apply (complex, boolean, binary); clients that
/// expect the full set get the RFC 7643 §2.2 defaults, which are what those attributes behave as.
void complete_characteristics(json& a) {
    if (!a.contains("caseExact")) a["caseExact"] = false;
    if (!a.contains("uniqueness")) a["uniqueness"] = std::string(to_string(resource::uniqueness::none));
    if (auto subs = a.find("subAttributes"); subs != a.end())
        for (auto& sub : *subs) complete_characteristics(sub);
}

}  // namespace

json service_provider_config_document(const service_settings& settings, std::string_view base_url) {
    const bool bulk = settings.bulk.max_operations > 0;
    return json{
        {"schemas", json::array({std::string(service_provider_config_urn)})},
        {"patch", supported(true)},
        {"bulk",
         {{"supported", bulk},
          {"maxOperations", bulk ? settings.bulk.max_operations : 0},
          {"maxPayloadSize", bulk ? settings.bulk.max_payload_bytes : 0}}},
        {"filter", {{"supported", true}, {"maxResults", settings.max_page_size}}},
        {"changePassword", supported(false)},
        {"sort", supported(true)},
        {"etag", supported(true)},
        {"authenticationSchemes",
         json::array({{{"type", "oauthbearertoken"},
                       {"name", "OAuth Bearer Token"},
                       {"description",
                        "A bearer token issued for one tenant by the dirsyncd administrator, sent as "
                        "Authorization: Bearer <token>"},
                       {"specUri", "https://www.rfc-editor.org/info/rfc6750"},
                       {"primary", true}}})},
        {"meta",
         {{"resourceType", "ServiceProviderConfig"},
          {"location", std::string(base_url) + "/ServiceProviderConfig"}}},
    };
}

json resource_type_document(const resource::resource_type& type, std::string_view base_url) {
    json out = {{"schemas", json::array({std::string(resource_type_urn)})},
                {"id", std::string(type.name)},
                {"name", std::string(type.name)},
                {"endpoint", std::string(type.endpoint)},
                {"description", std::string(type.description)},
                {"schema", type.schema->core().id}};
    if (!type.schema->extensions().empty()) {
        json extensions = json::array();
        for (const auto& e : type.schema->extensions())
            extensions.push_back({{"schema", e.id}, {"required", false}});
        out["schemaExtensions"] = std::move(extensions);
    }
    out["meta"] = {{"resourceType", "ResourceType"},
                   {"location", std::string(base_url) + "/ResourceTypes/" + std::string(type.name)}};
    return out;
}

json schema_document(const resource::schema& s, std::string_view base_url,
                     const resource::service_schemas& served) {
    json out = s;
    const bool core = served.is_core(s);
    json kept = json::array();
    for (auto& a : out["attributes"]) {
        if (core && resource::is_common_attribute(a["name"].get_ref<const std::string&>())) continue;
        complete_characteristics(a);
        kept.push_back(std::move(a));
    }
    out["attributes"] = std::move(kept);
    out["schemas"] = json::array({std::string(schema_definition_urn)});
    out["meta"] = {{"resourceType", "Schema"}, {"location", std::string(base_url) + "/Schemas/" + s.id}};
    return out;
}

std::vector<const resource::schema*> served_schemas() {
    return resource::default_service_schemas()->served();
}

const resource::schema* find_served_schema(std::string_view urn) {
    return resource::default_service_schemas()->find_served(urn);
}

}  // namespace dirsync::scim
