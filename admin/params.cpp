#include "admin/params.hpp"

#include <charconv>
#include <string>

#include "admin/response.hpp"

namespace dirsync::admin {

std::variant<http::query_params, http::response> query_of(const http::route_call& call) {
    auto q = http::query_params::parse(call.query);
    if (!q) return error_response(400, "invalid_query", "malformed percent-escape in the query string");
    return std::move(*q);
}

std::variant<std::size_t, http::response> limit_of(const http::query_params& q, std::size_t fallback,
                                                   std::size_t most) {
    auto v = q.get("limit");
    if (!v) return fallback;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n == 0)
        return error_response(400, "invalid_limit", "limit must be a positive integer");
    return std::min(n, most);
}

std::variant<nlohmann::json, http::response> object_body(const http::request& req,
                                                         const common::json_input_limits& limits) {
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
    auto body = common::parse_json_input(req.body, limits);
    if (!body) return error_response(400, "invalid_json", "the body is refused: " + body.error().message);
    if (!body->is_object()) return error_response(400, "invalid_json", "the body must be a JSON object");
    return std::move(*body);
}

std::optional<std::int64_t> positive_id(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<http::response> unknown_member(const nlohmann::json& body,
                                             std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : body.items()) {
        bool ok = false;
        for (auto k : known) ok |= key == k;
        if (ok) continue;
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return error_response(400, "unknown_member", "unknown member \"" + key + "\" (known: " + list + ")");
    }
    return std::nullopt;
}

}  // namespace dirsync::admin
