#include "admin/api.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "http/query_string.hpp"
#include "scim/error.hpp"

namespace dirsync::admin {

namespace {

constexpr std::size_t default_limit = 20;
constexpr std::size_t max_limit = 1000;

http::response json_response(unsigned status, const nlohmann::json& body) {
    http::response res;
    res.status = status;
    res.content_type = "application/json";
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return res;
}

http::response from_outcome(const outcome& o, unsigned ok_status = 200) {
    if (const auto* r = std::get_if<refusal>(&o)) return scim::error_response(r->status, r->message);
    return json_response(ok_status, std::get<nlohmann::json>(o));
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
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

}  // namespace

bool api::owns(std::string_view target) noexcept {
    auto path = http::split_target(target).first;
    return path == base_path || (path.starts_with(base_path) && path[base_path.size()] == '/');
}

http::response api::handle(http::request& req) const {
    auto authorization = req.header("Authorization");
    std::optional<std::string> actor;
    if (authorization) actor = auth_.principal_for(*authorization);
    if (!actor) {
        auto res = scim::error_response(
            401, auth_.size() == 0 ? "the admin API is disabled: no admin_tokens in the configuration"
                                   : "missing or unknown admin bearer token");
        res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd admin\""});
        return res;
    }

    auto [raw_path, raw_query] = http::split_target(req.target);
    auto query = http::query_params::parse(raw_query);
    if (!query) return scim::error_response(400, "malformed percent-escape in the query string");
    auto rest = raw_path.substr(base_path.size());
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    auto parts = split_path(rest);
    std::vector<std::string> decoded;
    for (auto p : parts) {
        auto d = http::percent_decode(p, false);
        if (!d) return scim::error_response(400, "malformed percent-escape in the path");
        decoded.push_back(std::move(*d));
    }
    const bool get = req.method == "GET" || req.method == "HEAD";
    const bool post = req.method == "POST";
    std::string error;

    if (decoded.size() >= 2 && decoded[0] == "sync" && decoded[1] == "sources") {
        if (decoded.size() == 2)
            return get ? json_response(200, control_.sources()) : scim::method_not_allowed("GET");
        const std::string& name = decoded[2];
        if (decoded.size() == 3)
            return get ? from_outcome(control_.source(name)) : scim::method_not_allowed("GET");
        if (decoded[3] == "runs" && decoded.size() == 4) {
            if (get) {
                auto limit = read_limit(*query, error);
                if (!limit) return scim::error_response(400, error);
                return from_outcome(control_.runs(name, *limit));
            }
            if (post) {
                auto run = read_run_request(req, json_, error);
                if (!run) return scim::error_response(400, error);
                run->actor = *actor;
                return from_outcome(control_.start_run(name, *run), 202);
            }
            return scim::method_not_allowed("GET, POST");
        }
        if (decoded[3] == "runs" && decoded.size() == 6 && decoded[5] == "release") {
            if (!post) return scim::method_not_allowed("POST");
            auto id = parse_id(decoded[4]);
            if (!id) return scim::error_response(404, "no run '" + decoded[4] + "'");
            return from_outcome(control_.release(name, *id, *actor));
        }
    } else if (decoded.size() >= 2 && decoded[0] == "sync" && decoded[1] == "runs") {
        if (decoded.size() == 2) {
            if (!get) return scim::method_not_allowed("GET");
            auto limit = read_limit(*query, error);
            if (!limit) return scim::error_response(400, error);
            return from_outcome(control_.runs("", *limit));
        }
        if (decoded.size() == 3) {
            if (!get) return scim::method_not_allowed("GET");
            auto id = parse_id(decoded[2]);
            if (!id) return scim::error_response(404, "no run '" + decoded[2] + "'");
            return from_outcome(control_.run(*id));
        }
    }
    return scim::error_response(404, "no such admin endpoint");
}

}  // namespace dirsync::admin
