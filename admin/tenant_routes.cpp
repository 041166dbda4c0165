#include "admin/tenant_routes.hpp"

#include <string>

#include "scim/error.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

http::response json_response(const json& body) {
    http::response res;
    res.content_type = "application/json";
    res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return res;
}

/// A tenant as the admin API shows it. Seats without a limit have no `limit` and no `free` (null).
json tenant_json(const directory::tenant_usage& u) {
    json seats = {{"limit", nullptr}, {"used", u.seats_used}, {"free", nullptr}};
    if (u.settings.seats) {
        const std::int64_t limit = *u.settings.seats;
        seats["limit"] = limit;
        seats["free"] = limit > u.seats_used ? limit - u.seats_used : 0;
    }
    json users = json::object();
    std::int64_t total = 0;
    for (const auto& [status, n] : u.by_status) {
        users[std::string(directory::to_string(status))] = n;
        total += n;
    }
    users["total"] = total;
    return {{"id", u.settings.id}, {"name", u.settings.name}, {"seats", seats}, {"users", users}};
}

}  // namespace

void add_tenant_routes(http::router::mount& m, const directory::tenant_directory& dir) {
    m.route("GET", "/tenants", [&dir](const http::route_call&) {
        json tenants = json::array();
        for (const auto& u : dir.usages()) tenants.push_back(tenant_json(u));
        return json_response({{"tenants", std::move(tenants)}});
    });
    m.route("GET", "/tenants/{id}", [&dir](const http::route_call& call) {
        const auto id = call.params.get("id");
        auto usage = dir.usage(id);
        if (!usage) return scim::error_response(404, "no tenant '" + std::string(id) + "'");
        return json_response(tenant_json(*usage));
    });
}

}  // namespace dirsync::admin
