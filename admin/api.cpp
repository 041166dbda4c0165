#include "admin/api.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"

namespace dirsync::admin {

namespace {

constexpr std::size_t default_limit = 20;
constexpr std::size_t max_limit = 1000;

http::response from_outcome(const outcome& o, unsigned ok_status = 200) {
    if (const auto* r = std::get_if<refusal>(&o)) {
        if (!r->details.is_object()) return error_response(r->status, r->code, r->message);
        auto body = nlohmann::json::parse(error_response(r->status, r->code, r->message).body);
        body.update(r->details);
        return json_response(r->status, body);
    }
    return json_response(ok_status, std::get<nlohmann::json>(o));
}

std::variant<run_request, http::response> read_run_request(const http::request& req,
                                                           const common::json_input_limits& limits) {
    auto body = object_body(req, limits);
    if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
    run_request out;
    for (const auto& [key, value] : std::get<nlohmann::json>(body).items()) {
        if (key == "dry_run") {
            if (!value.is_boolean())
                return error_response(400, "invalid_value", "dry_run must be true or false");
            out.dry_run = value.get<bool>();
        } else if (key == "mode") {
            if (!value.is_string() || (value != "full" && value != "incremental"))
                return error_response(400, "invalid_value", "mode must be \"full\" or \"incremental\"");
            out.mode = value.get<std::string>();
        } else {
            return error_response(400, "unknown_member",
                                  "unknown member \"" + key + "\" (known: dry_run, mode)");
        }
    }
    return out;
}

/// `limit` from the call's query (default 20, at most 1000), or a 400.
std::variant<std::size_t, http::response> limit_param(const http::route_call& call) {
    auto query = query_of(call);
    if (auto* refused = std::get_if<http::response>(&query)) return std::move(*refused);
    return limit_of(std::get<http::query_params>(query), default_limit, max_limit);
}

/// Whether `who` may see `item`, a source or run: operators every one, a tenant admin its tenant's.
bool is_tenants(const nlohmann::json& item, const http::principal& who) {
    if (who.is(http::principal::role::operator_admin)) return true;
    return item.is_object() && item.contains("tenant") && item["tenant"].is_string() &&
           may_access(who, item["tenant"].get<std::string>());
}

/// `o` when its object belongs to a tenant `who` may see; a 404 saying `missing` otherwise, the answer an
/// unknown one gets.
outcome visible(outcome o, const http::principal& who, std::string missing) {
    if (const auto* j = std::get_if<nlohmann::json>(&o); j && !is_tenants(*j, who))
        return refusal{404, std::move(missing)};
    return o;
}

/// The elements of the array in `o` that `who` may see, the first `limit` of them.
outcome visible_items(outcome o, const http::principal& who, std::size_t limit) {
    auto* j = std::get_if<nlohmann::json>(&o);
    if (!j || !j->is_array()) return o;
    auto out = nlohmann::json::array();
    for (auto& item : *j)
        if (out.size() < limit && is_tenants(item, who)) out.push_back(std::move(item));
    return out;
}

}  // namespace

void api::add_routes(http::router& r) {
    const http::bearer_authenticator& auth = r.authenticator();
    http::mount_point point;
    point.prefix = std::string(base_path);
    point.admits = [](const http::principal& p) {
        return p.is(http::principal::role::operator_admin) || p.is(http::principal::role::tenant_admin);
    };
    point.refuse = [&auth](const http::request&, const http::principal&) {
        // Asked at each refusal: a reload may add the first admin token.
        const bool enabled = auth.count(http::principal::role::operator_admin) > 0 ||
                             auth.count(http::principal::role::tenant_admin) > 0;
        auto res =
            error_response(401, "unauthorized",
                           enabled ? "missing or unknown admin bearer token"
                                   : "the admin API is disabled: no admin_tokens in the configuration");
        res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd admin\""});
        return res;
    };
    auto& m = r.add_mount(std::move(point));

    // A tenant admin sees the sources of its tenant and their runs only; any other is 404, as unknown.
    m.route("GET", "/sync/sources", [this](const http::route_call& call) {
        return from_outcome(
            visible_items(control_.sources(), call.who, std::numeric_limits<std::size_t>::max()));
    });
    m.route("GET", "/sync/sources/{name}", [this](const http::route_call& call) {
        const auto name = call.params.get("name");
        return from_outcome(
            visible(control_.source(name), call.who, "no source '" + std::string(name) + "'"));
    });
    m.route("GET", "/sync/sources/{name}/runs", [this](const http::route_call& call) {
        auto limit = limit_param(call);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        const auto name = call.params.get("name");
        auto source = visible(control_.source(name), call.who, "no source '" + std::string(name) + "'");
        if (std::holds_alternative<refusal>(source)) return from_outcome(source);
        return from_outcome(control_.runs(name, std::get<std::size_t>(limit)));
    });
    m.route("POST", "/reload", [this](const http::route_call& call) {
        if (!call.who.is(http::principal::role::operator_admin))
            return error_response(403, "operator_only", "only an operator token reloads the configuration");
        if (!daemon_) return error_response(503, "", "this server cannot reload its configuration");
        return from_outcome(daemon_->reload(admin_actor(call.who).to_string()));
    });
    m.route("GET", "/status", [this](const http::route_call& call) {
        if (!call.who.is(http::principal::role::operator_admin))
            return error_response(403, "operator_only", "only an operator token sees the daemon's status");
        if (!daemon_) return error_response(503, "", "this server does not report its status");
        return json_response(200, daemon_->status());
    });
    m.route("POST", "/sync/sources/{name}/runs", [this](const http::route_call& call) {
        auto run = read_run_request(call.req, json_);
        if (auto* refused = std::get_if<http::response>(&run)) return std::move(*refused);
        auto who = source_actor(call);
        if (auto* refused = std::get_if<http::response>(&who)) return std::move(*refused);
        auto& request = std::get<run_request>(run);
        request.actor = std::get<directory::actor>(who).to_string();
        return from_outcome(control_.start_run(call.params.get("name"), request), 202);
    });
    m.route("POST", "/sync/sources/{name}/runs/{id}/release", [this](const http::route_call& call) {
        auto id = positive_id(call.params.get("id"));
        if (!id)
            return error_response(404, "not_found", "no run '" + std::string(call.params.get("id")) + "'");
        auto who = source_actor(call);
        if (auto* refused = std::get_if<http::response>(&who)) return std::move(*refused);
        return from_outcome(
            control_.release(call.params.get("name"), *id, std::get<directory::actor>(who).to_string()));
    });
    m.route("GET", "/sync/runs", [this](const http::route_call& call) {
        auto limit = limit_param(call);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        const auto n = std::get<std::size_t>(limit);
        if (call.who.is(http::principal::role::operator_admin)) return from_outcome(control_.runs("", n));
        // A tenant admin: the newest runs of its own sources, merged.
        auto runs = nlohmann::json::array();
        for (const auto& source : control_.sources()) {
            if (!is_tenants(source, call.who) || !source.contains("name")) continue;
            auto some = control_.runs(source["name"].get<std::string>(), n);
            if (auto* j = std::get_if<nlohmann::json>(&some))
                for (auto& run : *j) runs.push_back(std::move(run));
        }
        std::sort(runs.begin(), runs.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
            return a.value("id", 0) > b.value("id", 0);
        });
        if (runs.size() > n) runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(n), runs.end());
        return json_response(200, runs);
    });
    m.route("GET", "/sync/runs/{id}", [this](const http::route_call& call) {
        const auto raw = call.params.get("id");
        auto id = positive_id(raw);
        if (!id) return error_response(404, "not_found", "no run '" + std::string(raw) + "'");
        return from_outcome(visible(control_.run(*id), call.who, "no run " + std::string(raw)));
    });
    m.route("GET", "/sync/runs/{id}/plan", [this](const http::route_call& call) {
        const auto raw = call.params.get("id");
        auto id = positive_id(raw);
        if (!id) return error_response(404, "not_found", "no run '" + std::string(raw) + "'");
        // The plan names its tenant, as the run does: a tenant admin sees only its own.
        return from_outcome(visible(control_.plan(*id), call.who, "no run " + std::string(raw)));
    });
    add_tenant_routes(m, dir_, json_);
    add_role_routes(m, dir_, json_);
    add_invitation_routes(m, dir_, json_);
    add_notification_routes(m, dir_);
    add_relocation_routes(m, dir_, json_);
    add_audit_routes(m, dir_);
}

std::variant<directory::actor, http::response> api::source_actor(const http::route_call& call) const {
    const auto name = call.params.get("name");
    auto source = control_.source(name);
    const auto* j = std::get_if<nlohmann::json>(&source);
    if (!j || !is_tenants(*j, call.who))
        return error_response(404, "not_found", "no source '" + std::string(name) + "'");
    if (!j->contains("tenant") || !(*j)["tenant"].is_string()) return admin_actor(call.who);
    return tenant_actor(call, (*j)["tenant"].get<std::string>(), dir_);
}

}  // namespace dirsync::admin
