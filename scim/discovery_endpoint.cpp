#include "scim/discovery_endpoint.hpp"

#include <string>

#include "common/ascii.hpp"
#include "http/query_string.hpp"
#include "scim/discovery.hpp"
#include "scim/error.hpp"
#include "scim/json_body.hpp"
#include "scim/resource_list.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

json list_of(json resources) {
    const auto n = resources.size();
    return json{{"schemas", json::array({std::string(list_response_message_urn)})},
                {"totalResults", n},
                {"itemsPerPage", n},
                {"startIndex", 1},
                {"Resources", std::move(resources)}};
}

}  // namespace

http::response answer_discovery(std::string_view collection, std::string_view id, std::string_view raw_query,
                                const service_settings& settings, std::string_view base_url) {
    auto params = http::query_params::parse(raw_query);
    if (!params) return to_response(invalid_value("the query string has a malformed percent-escape"));
    if (params->get("filter"))
        return to_response(error(403, "", "filtering is not supported on /" + std::string(collection)));
    const std::string_view name = id;

    if (common::iequals_ascii(collection, "ServiceProviderConfig")) {
        if (!name.empty()) return to_response(not_found("no such endpoint"));
        return json_response(200, service_provider_config_document(settings, base_url));
    }
    const resource::service_schemas& served = *settings.schemas;
    if (common::iequals_ascii(collection, "ResourceTypes")) {
        if (name.empty()) {
            json all = json::array();
            for (const auto& t : served.resource_types()) all.push_back(resource_type_document(t, base_url));
            return json_response(200, list_of(std::move(all)));
        }
        const resource::resource_type* t = served.find_resource_type(name);
        if (t == nullptr) return to_response(not_found("no resource type named '" + std::string(name) + "'"));
        return json_response(200, resource_type_document(*t, base_url));
    }
    if (name.empty()) {
        json all = json::array();
        for (const resource::schema* s : served.served())
            all.push_back(schema_document(*s, base_url, served));
        return json_response(200, list_of(std::move(all)));
    }
    const resource::schema* s = served.find_served(name);
    if (s == nullptr) return to_response(not_found("no schema '" + std::string(name) + "'"));
    return json_response(200, schema_document(*s, base_url, served));
}

}  // namespace dirsync::scim
