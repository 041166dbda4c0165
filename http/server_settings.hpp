#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace dirsync::http {

/// Limits that protect the server from slow, large or numerous clients.
struct server_limits {
    std::size_t max_body_bytes = 1024 * 1024;          ///< larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;          ///< larger header blocks get 431
    std::size_t max_header_count = 100;                ///< more header fields get 431
    std::chrono::milliseconds header_timeout{10'000};  ///< time to receive a full header block
    std::chrono::milliseconds body_timeout{30'000};    ///< time to receive a body once headers are in
    std::chrono::milliseconds idle_timeout{60'000};    ///< keep-alive idle time between requests
    std::chrono::milliseconds write_timeout{30'000};   ///< time to send one response
    /// At the limit a new connection displaces the oldest one that has not completed a request (else one
    /// stuck in its next request, else the oldest idle one); only when every connection has a request being
    /// answered does it get 503. 0: no limit.
    std::size_t max_connections = 1024;
    std::chrono::milliseconds shutdown_grace{10'000};  ///< drain time for in-flight requests at stop
};

/// Where request handlers run. With `threads` 0 they run on the I/O threads, each to completion before that
/// thread reads anything else. Otherwise they run on a pool of their own (common::work_pool), so a slow
/// handler (a full scan, a Bulk of password hashes) holds no I/O thread, and fairly between lanes: at most
/// `lane_share` requests of one lane are handled at once, its further requests wait their turn behind each
/// other, never in front of other lanes'.
struct worker_settings {
    unsigned threads = 0;
    unsigned lane_share = 1;  ///< 0 is taken as 1
};

/// Names the lane a request is handled in (a tenant, usually), on an I/O thread once the request is read; it
/// must be cheap (no store access) and must not throw. nullopt: the request is answered at once on the I/O
/// thread (a health check, a refused credential: cheap, and due even when every worker is busy). Unset: one
/// lane for every request.
using lane_function = std::function<std::optional<std::string>(const request&)>;

/// One answered request, as metrics see it (never the path, the query or a credential).
struct answered_request {
    std::string_view method;  ///< as sent; empty when the request line could not be read
    std::string_view route;   ///< response::route: the template that answered; empty when none did
    unsigned status = 0;
    std::chrono::steady_clock::duration latency{};  ///< from the first byte read to the response being ready
};

/// Called once per answered request on an I/O thread, just before its response is written (so a client that
/// has its answer finds it observed); must be cheap and must not throw.
using request_observer = std::function<void(const answered_request&)>;

/// PEM files for HTTPS, read at `server::start()`.
struct tls_files {
    std::string cert_file;  ///< certificate chain
    std::string key_file;   ///< private key
};

/// Everything http::server needs; the daemon fills it from its configuration.
struct server_settings {
    std::string host = "127.0.0.1";  ///< IPv4 or IPv6 literal (no brackets), or "localhost"
    std::uint16_t port = 8080;       ///< 0: the kernel picks one (see server::local_port)
    unsigned threads = 2;            ///< threads running the I/O loop; 0 is taken as 1
    std::optional<tls_files> tls;    ///< serve HTTPS when set
    server_limits limits;
    worker_settings workers;
    lane_function lane_of;
    error_formatter errors;        ///< empty: plain_error
    request_observer on_answered;  ///< empty: none
};

}  // namespace dirsync::http
