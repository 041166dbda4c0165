#include "daemon/scim_settings.hpp"

#include "config/schema_section.hpp"

namespace dirsync::daemon {

scim::service_settings scim_service_settings(const config::settings& s) {
    scim::service_settings out;
    out.tls = s.server.tls.has_value();
    if (!s.server.public_base_url.empty()) out.public_base_url = s.server.public_base_url + out.base_path;
    out.schemas = config::served_schemas(s.schemas);
    for (const auto& t : s.tenants) out.tenants[t.id].strict_schema = t.strict_schema;
    out.bulk = {s.scim.bulk.max_operations, s.scim.bulk.max_payload_bytes};
    out.json = common::json_input_limits{s.server.limits.max_json_depth};
    out.search_time_limit = s.scim.search_time_limit.value_or(std::chrono::milliseconds(0));
    return out;
}

}  // namespace dirsync::daemon
