// The /tenants/{id}/audit endpoint: a tenant's audit trail, newest first.
#include <charconv>
#include <string>
#include <utility>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json event_json(const directory::audit_event& e) {
    return {{"seq", e.seq},
            {"time", common::format_rfc3339(e.time)},
            {"actor", e.actor},
            {"actingUser", e.acting_user ? json(*e.acting_user) : json(nullptr)},
            {"action", e.action},
            {"resourceType", e.resource_type},
            {"resourceId", e.resource_id},
            {"summary", e.summary}};
}

/// The audit query of a request's parameters (user, actor, action, since, until, cursor), or a 400.
std::variant<directory::audit_query, http::response> audit_query_of(const http::query_params& q) {
    directory::audit_query out;
    if (auto v = q.get("user")) out.resource_id = std::string(*v);
    if (auto v = q.get("resource")) out.resource_id = std::string(*v);
    if (auto v = q.get("actor")) out.actor = std::string(*v);
    if (auto v = q.get("action")) out.action = std::string(*v);
    for (auto [name, slot] : {std::pair{"since", &out.since}, std::pair{"until", &out.until}}) {
        auto v = q.get(name);
        if (!v) continue;
        auto t = common::parse_rfc3339(*v);
        if (!t)
            return error_response(400, "invalid_time",
                                  std::string(name) + " must be an RFC 3339 time like 2026-12-01T00:00:00Z");
        *slot = *t;
    }
    if (auto v = q.get("cursor")) {
        std::int64_t seq = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seq);
        if (ec != std::errc() || end != v->data() + v->size() || seq <= 0)
            return error_response(
                400, "invalid_cursor",
                "invalid cursor '" + std::string(*v) + "': pass the `next` of the previous page");
        out.before_seq = seq;
    }
    return out;
}

}  // namespace

void add_audit_routes(http::router::mount& m, const directory::tenant_directory& dir) {
    tenant_route(m, "GET", "/tenants/{id}/audit", dir, [&dir](const http::route_call&, const tenant_call& t) {
        const auto tenant = t.tenant;
        const auto& q = t.query;
        auto limit = limit_of(q, default_page_size, max_page_size);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        auto query = audit_query_of(q);
        if (auto* refused = std::get_if<http::response>(&query)) return std::move(*refused);
        const auto n = static_cast<std::int64_t>(std::get<std::size_t>(limit));
        // One more than asked tells whether another page follows.
        auto events = dir.audit_log(tenant, std::get<directory::audit_query>(query), n + 1);
        json next = nullptr;
        if (static_cast<std::int64_t>(events.size()) > n) {
            events.pop_back();
            next = std::to_string(events.back().seq);
        }
        json out = json::array();
        for (const auto& e : events) out.push_back(event_json(e));
        return json_response(200, {{"events", std::move(out)}, {"next", std::move(next)}});
    });
}

}  // namespace dirsync::admin
