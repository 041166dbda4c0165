#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace dirsync::http::detail {

/// What the access log records about one request. Never headers or bodies: credentials live there.
struct access_entry {
    std::string_view remote{};  ///< "1.2.3.4:5555" or "[::1]:5555"
    std::string_view method{};  ///< empty when the request line could not be parsed
    std::string_view target{};  ///< as received; redacted, escaped and truncated by format_access_line
    unsigned status = 0;
    std::size_t bytes = 0;  ///< response body bytes sent
    std::chrono::steady_clock::duration latency{};
    std::string_view tenant{};  ///< empty when unauthenticated
};

/// Longest target (in bytes of the original) written to the access log.
inline constexpr std::size_t max_logged_target_bytes = 512;

/// `access remote=... method=GET target="/x?y" status=200 bytes=12 latency_ms=0.42 tenant=acme`; empty
/// fields are written as `-`.
std::string format_access_line(const access_entry& entry);

/// `target` as the logs may show it, which never holds the values a client searched for (e-mail addresses,
/// names): the path, then each query parameter by name with its value kept only where it is paging, sorting
/// or an attribute list (count, startIndex, sortBy, sortOrder, attributes, excludedAttributes, limit); a
/// `filter` by its shape, every comparison value replaced by `?` (`userName eq "?"`); any other value as `?`.
/// Not yet escaped for a log line: pass it through escape_for_log.
std::string redact_target(std::string_view target);

/// `text` cut to `max_bytes` (then followed by `...`), with `"`, `\`, control characters and non-ASCII bytes
/// escaped as `\"`, `\\`, `\xNN`, so a logged value can neither end its quotes nor forge a log line.
std::string escape_for_log(std::string_view text, std::size_t max_bytes);

}  // namespace dirsync::http::detail
