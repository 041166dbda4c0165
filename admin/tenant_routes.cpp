#include "admin/tenant_routes.hpp"

#include <optional>
#include <string>

#include "admin/response.hpp"
#include "scim/error.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

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

/// The HTTP status of a directory refusal.
unsigned status_of(directory::error_code code) {
    switch (code) {
        case directory::error_code::not_found:
        case directory::error_code::unknown_tenant:
            return 404;
        case directory::error_code::conflict:
        case directory::error_code::uniqueness:
            return 409;
        case directory::error_code::precondition_failed:
            return 412;
        case directory::error_code::too_large:
            return 413;
        case directory::error_code::invalid_value:
            break;
    }
    return 400;
}

http::response refusal(const directory::error& e) {
    return scim::error_response(status_of(e.code), e.message);
}

std::optional<std::string> rfc3339(const std::optional<common::timestamp>& t) {
    if (!t) return std::nullopt;
    return common::format_rfc3339(*t);
}

/// A user as the admin API shows it: the directory's view, not the SCIM resource.
json user_json(const directory::user& u) {
    json groups = json::array();
    if (u.groups)
        for (const auto& g : *u.groups)
            groups.push_back({{"id", g.id}, {"displayName", g.display_name}, {"direct", g.direct}});
    json out = {{"id", u.id},
                {"userName", u.user_name},
                {"displayName", u.display_name ? json(*u.display_name) : json(nullptr)},
                {"emails", u.emails},
                {"status", directory::to_string(u.status)},
                {"seat", directory::consumes_seat(u.status)},
                {"roles", u.roles},
                {"source", u.source},
                {"subject", u.source_anchor ? json(*u.source_anchor) : json(nullptr)},
                {"externalId", u.external_id ? json(*u.external_id) : json(nullptr)},
                {"groups", std::move(groups)},
                {"created", common::format_rfc3339(u.created)},
                {"lastModified", common::format_rfc3339(u.last_modified)},
                {"statusSince", common::format_rfc3339(u.status_since)},
                {"registered", nullptr},
                {"version", u.version}};
    if (auto r = rfc3339(u.registered)) out["registered"] = *r;
    return out;
}

std::optional<directory::status_request> request_named(std::string_view action) {
    if (action == "enable") return directory::status_request::enable;
    if (action == "disable") return directory::status_request::disable;
    if (action == "disconnect") return directory::status_request::disconnect;
    if (action == "reconnect") return directory::status_request::reconnect;
    if (action == "register") return directory::status_request::register_person;
    return std::nullopt;
}

}  // namespace

void add_tenant_routes(http::router::mount& m, directory::tenant_directory& dir) {
    m.route("GET", "/tenants", [&dir](const http::route_call&) {
        json tenants = json::array();
        for (const auto& u : dir.usages()) tenants.push_back(tenant_json(u));
        return json_response(200, {{"tenants", std::move(tenants)}});
    });
    m.route("GET", "/tenants/{id}", [&dir](const http::route_call& call) {
        const auto id = call.params.get("id");
        auto usage = dir.usage(id);
        if (!usage) return scim::error_response(404, "no tenant '" + std::string(id) + "'");
        return json_response(200, tenant_json(*usage));
    });
    m.route("GET", "/tenants/{id}/users/{user}", [&dir](const http::route_call& call) {
        auto u = dir.get_user(call.params.get("id"), call.params.get("user"));
        if (!u) return refusal(u.error());
        return json_response(200, user_json(*u));
    });
    m.route("DELETE", "/tenants/{id}/users/{user}", [&dir](const http::route_call& call) {
        auto done = dir.delete_user(admin_actor(call.who), call.params.get("id"), call.params.get("user"));
        if (!done) return refusal(done.error());
        http::response res;
        res.status = 204;
        return res;
    });
    m.route("POST", "/tenants/{id}/users/{user}/{action}", [&dir](const http::route_call& call) {
        const auto action = call.params.get("action");
        auto request = request_named(action);
        if (!request)
            return scim::error_response(404,
                                        "no user action '" + std::string(action) +
                                            "' (known: enable, disable, disconnect, reconnect, register)");
        auto u = dir.change_status(admin_actor(call.who), call.params.get("id"), call.params.get("user"),
                                   *request);
        if (!u) return refusal(u.error());
        return json_response(200, user_json(*u));
    });
}

}  // namespace dirsync::admin
