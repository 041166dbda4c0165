#include "admin/access.hpp"

#include <algorithm>
#include <string>

#include "admin/response.hpp"

namespace dirsync::admin {

bool may_access(const http::principal& who, std::string_view tenant) noexcept {
    if (who.is(http::principal::role::operator_admin)) return true;
    return who.is(http::principal::role::tenant_admin) && who.tenant == tenant;
}

std::variant<directory::actor, http::response> tenant_actor(const http::route_call& call,
                                                            std::string_view tenant,
                                                            const directory::tenant_directory& dir) {
    if (!may_access(call.who, tenant) || !dir.find_tenant(tenant))
        return error_response(404, "unknown_tenant", "no tenant '" + std::string(tenant) + "'");
    directory::actor who = admin_actor(call.who);
    const auto acting = call.req.header(acting_user_header);
    if (!acting) return who;
    const auto refused = [&](const std::string& why) {
        return error_response(403, "acting_user_not_admin",
                              std::string(acting_user_header) + " '" + std::string(*acting) + "' " + why);
    };
    auto u = dir.get_user(tenant, *acting);
    if (!u) return refused("is not a user of this tenant");
    if (u->status != directory::user_status::active)
        return refused("is " + std::string(directory::to_string(u->status)) + ", not active");
    if (std::find(u->roles.begin(), u->roles.end(), directory::admin_role) == u->roles.end())
        return refused("does not hold the admin role");
    who.acting_user = u->id;
    return who;
}

void tenant_route(http::router::mount& m, std::string_view method, std::string_view pattern,
                  const directory::tenant_directory& dir, tenant_handler handler) {
    m.route(method, pattern, [&dir, handler = std::move(handler)](const http::route_call& call) {
        const auto tenant = call.params.get("id");
        auto acting = tenant_actor(call, tenant, dir);
        if (auto* refused = std::get_if<http::response>(&acting)) return std::move(*refused);
        auto query = http::query_params::parse(call.query);
        if (!query)
            return error_response(400, "invalid_query", "malformed percent-escape in the query string");
        return handler(call,
                       tenant_call{tenant, std::move(std::get<directory::actor>(acting)), std::move(*query)});
    });
}

}  // namespace dirsync::admin
