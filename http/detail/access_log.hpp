#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/log.hpp"

namespace dirsync::http::detail {

/// What the access log records about one request. Never headers or bodies: credentials live there.
struct access_entry {
    std::string_view remote{};  ///< "1.2.3.4:5555" or "[::1]:5555"
    std::string_view method{};  ///< empty when the request line could not be parsed
    std::string_view target{};  ///< as received; redacted, made printable and cut by describe_access
    unsigned status = 0;
    std::size_t bytes = 0;  ///< response body bytes sent
    std::chrono::steady_clock::duration latency{};
    std::string_view tenant{};  ///< empty when unauthenticated
    std::string_view request_id{};
};

/// The id of a request (request::id): `offered` (a client's X-Request-Id) when it is 1..64 characters of
/// A-Z a-z 0-9 - _ . : @ (safe in a header, a log line and a journal field), else 16 random hex digits.
std::string choose_request_id(std::optional<std::string_view> offered);

/// Longest target (in bytes of the original) written to the access log.
inline constexpr std::size_t max_logged_target_bytes = 512;

/// The fields of an access event, formatted, in this order: remote, method, target (redacted, made
/// printable, cut to max_logged_target_bytes), status, bytes, latency_ms, tenant, request_id; `-` where
/// empty.
struct access_fields {
    static constexpr std::array<std::string_view, 8> keys{"remote", "method",     "target", "status",
                                                          "bytes",  "latency_ms", "tenant", "request_id"};
    std::array<std::string, 8> values;
    /// As common::log_fields, pointing into `values`.
    std::array<common::log_field, 8> fields() const;
};
access_fields describe_access(const access_entry& entry);

/// Writes the access event ("access" with describe_access's fields) when access lines are on.
void log_access_entry(const access_entry& entry);

/// `target` as the logs may show it, which never holds the values a client searched for (e-mail addresses,
/// names): the path, then each query parameter by name with its value kept only where it is paging, sorting
/// or an attribute list (count, startIndex, sortBy, sortOrder, attributes, excludedAttributes, limit); a
/// `filter` by its shape, every comparison value replaced by `?` (`userName eq "?"`); any other value as `?`.
/// Not yet printable: pass it through escape_for_log.
std::string redact_target(std::string_view target);

/// `text` cut to `max_bytes` (then followed by `...`), with control characters and non-ASCII bytes written as
/// `\xNN`, so what a client sent shows as the bytes it was. The log writer (common::log) quotes and escapes
/// the result for its format.
std::string escape_for_log(std::string_view text, std::size_t max_bytes);

}  // namespace dirsync::http::detail
