#include "admin/api.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"
#include "http/query_string.hpp"
#include "scim/error.hpp"

namespace dirsync::admin {

namespace {

constexpr std::size_t default_limit = 20;
constexpr std::size_t max_limit = 1000;

http::response from_outcome(const outcome& o, unsigned ok_status = 200) {
    if (const auto* r = std::get_if<refusal>(&o)) return scim::error_response(r->status, r->message);
    return json_response(ok_status, std::get<nlohmann::json>(o));
}

std::optional<std::int64_t> parse_id(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

/// `limit` from the query: default 20, at most 1000; nullopt (and `error` set) when malformed.
std::optional<std::size_t> read_limit(const http::query_params& q, std::string& error) {
    auto v = q.get("limit");
    if (!v) return default_limit;
    auto n = parse_id(*v);
    if (!n) {
        error = "limit must be a positive integer";
        return std::nullopt;
    }
    return std::min<std::size_t>(static_cast<std::size_t>(*n), max_limit);
}

std::optional<run_request> read_run_request(const http::request& req, const common::json_input_limits& limits,
                                            std::string& error) {
    run_request out;
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return out;
    auto body = common::parse_json_input(req.body, limits);
    if (!body) {
        error = "the body is refused: " + body.error().message;
        return std::nullopt;
    }
    if (!body->is_object()) {
        error = "the body must be a JSON object like {\"dry_run\":true,\"mode\":\"full\"}";
        return std::nullopt;
    }
    for (const auto& [key, value] : body->items()) {
        if (key == "dry_run") {
            if (!value.is_boolean()) {
                error = "dry_run must be true or false";
                return std::nullopt;
            }
            out.dry_run = value.get<bool>();
        } else if (key == "mode") {
            if (!value.is_string() || (value != "full" && value != "incremental")) {
                error = "mode must be \"full\" or \"incremental\"";
                return std::nullopt;
            }
            out.mode = value.get<std::string>();
        } else {
            error = "unknown member \"" + key + "\" (known: dry_run, mode)";
            return std::nullopt;
        }
    }
    return out;
}

/// `limit` from the call's query, or a 400.
std::variant<std::size_t, http::response> limit_of(const http::route_call& call) {
    auto query = http::query_params::parse(call.query);
    if (!query) return scim::error_response(400, "malformed percent-escape in the query string");
    std::string error;
    auto limit = read_limit(*query, error);
    if (!limit) return scim::error_response(400, error);
    return *limit;
}

}  // namespace

void api::add_routes(http::router& r) {
    const bool enabled = r.authenticator().count(http::principal::role::operator_admin) > 0;
    http::mount_point point;
    point.prefix = std::string(base_path);
    point.admits = [](const http::principal& p) { return p.is(http::principal::role::operator_admin); };
    point.refuse = [enabled](const http::request&, const http::principal&) {
        auto res = scim::error_response(401, enabled ? "missing or unknown admin bearer token"
                                                     : "the admin API is disabled: no admin_tokens in the "
                                                       "configuration");
        res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd admin\""});
        return res;
    };
    auto& m = r.add_mount(std::move(point));

    m.route("GET", "/sync/sources",
            [this](const http::route_call&) { return json_response(200, control_.sources()); });
    m.route("GET", "/sync/sources/{name}", [this](const http::route_call& call) {
        return from_outcome(control_.source(call.params.get("name")));
    });
    m.route("GET", "/sync/sources/{name}/runs", [this](const http::route_call& call) {
        auto limit = limit_of(call);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        return from_outcome(control_.runs(call.params.get("name"), std::get<std::size_t>(limit)));
    });
    m.route("POST", "/sync/sources/{name}/runs", [this](const http::route_call& call) {
        std::string error;
        auto run = read_run_request(call.req, json_, error);
        if (!run) return scim::error_response(400, error);
        run->actor = admin_actor(call.who).to_string();
        return from_outcome(control_.start_run(call.params.get("name"), *run), 202);
    });
    m.route("POST", "/sync/sources/{name}/runs/{id}/release", [this](const http::route_call& call) {
        auto id = parse_id(call.params.get("id"));
        if (!id) return scim::error_response(404, "no run '" + std::string(call.params.get("id")) + "'");
        return from_outcome(
            control_.release(call.params.get("name"), *id, admin_actor(call.who).to_string()));
    });
    m.route("GET", "/sync/runs", [this](const http::route_call& call) {
        auto limit = limit_of(call);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        return from_outcome(control_.runs("", std::get<std::size_t>(limit)));
    });
    m.route("GET", "/sync/runs/{id}", [this](const http::route_call& call) {
        auto id = parse_id(call.params.get("id"));
        if (!id) return scim::error_response(404, "no run '" + std::string(call.params.get("id")) + "'");
        return from_outcome(control_.run(*id));
    });
    add_tenant_routes(m, dir_);
}

}  // namespace dirsync::admin
