#include "scim/user_resource.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "resource/canonical.hpp"
#include "scim/group_resource.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

error to_error(const resource::invalid_resource& e) {
    return e.what == resource::invalid_resource::kind::syntax ? invalid_syntax(e.message)
                                                              : invalid_value(e.message);
}

}  // namespace

boost::system::result<json, error> canonicalize_user(const json& input, const resource::resource_schema& rs) {
    return canonicalize_resource(input, rs);
}

boost::system::result<json, error> canonicalize_resource(const json& input,
                                                         const resource::resource_schema& rs) {
    auto canonical = resource::canonicalize(input, rs);
    if (!canonical) return to_error(canonical.error());
    return std::move(*canonical);
}

std::string user_etag(const directory::user& u) { return "W/\"" + std::to_string(u.version) + "\""; }

json render_user(directory::user u, std::string_view users_url) {
    json out = std::move(u.resource);
    out["id"] = u.id;
    std::string location(users_url);
    location += '/';
    location += u.id;
    out["meta"] = json{{"resourceType", "User"},
                       {"created", common::format_rfc3339(u.created)},
                       {"lastModified", common::format_rfc3339(u.last_modified)},
                       {"location", std::move(location)},
                       {"version", user_etag(u)}};
    if (!out.contains("schemas")) out["schemas"] = json::array({std::string(resource::core_user_urn)});
    // The directory's own view, read-only: status and role assignments.
    const std::string directory_urn(resource::directory_user_urn);
    json directory_view{{"status", directory::to_string(u.status)}};
    if (!u.roles.empty()) directory_view["roles"] = u.roles;  // unassigned is omitted (RFC 7643 §2.5)
    out[directory_urn] = std::move(directory_view);
    auto& schemas = out["schemas"];
    if (std::find(schemas.begin(), schemas.end(), directory_urn) == schemas.end())
        schemas.push_back(directory_urn);
    if (u.groups && !u.groups->empty()) out["groups"] = render_user_groups(*u.groups, users_url);
    return out;
}

}  // namespace dirsync::scim
