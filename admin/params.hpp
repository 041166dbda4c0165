#pragma once

// Internal to dirsync_admin: reading a request's query parameters and JSON body, with the 400s that name
// what is wrong.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "common/json_input.hpp"
#include "http/message.hpp"
#include "http/query_string.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// Page sizes of the tenant lists (users, audit events): `limit` when absent, and the most one page holds.
inline constexpr std::size_t default_page_size = 50;
inline constexpr std::size_t max_page_size = 1000;

/// The call's query parameters, or a 400 for a malformed percent-escape.
std::variant<http::query_params, http::response> query_of(const http::route_call& call);

/// `limit` from `q`: `fallback` when absent, at most `most`; a 400 naming it when not a positive integer.
std::variant<std::size_t, http::response> limit_of(const http::query_params& q, std::size_t fallback,
                                                   std::size_t most);

/// The request's body as a JSON object (an empty body is `{}`), or a 400 saying why not.
std::variant<nlohmann::json, http::response> object_body(const http::request& req,
                                                         const common::json_input_limits& limits);

/// A positive decimal id from a path or query (a run, a message, a relocation); nullopt for anything else.
std::optional<std::int64_t> positive_id(std::string_view text);

/// A 400 (code "unknown_member") naming the first member of `body` that is not one of `known`, if any.
std::optional<http::response> unknown_member(const nlohmann::json& body,
                                             std::initializer_list<std::string_view> known);

}  // namespace dirsync::admin
