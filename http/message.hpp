#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dirsync::http {

/// A header field as received; names compare case-insensitively through `request::header`.
struct header_field {
    std::string name;
    std::string value;
};

/// A fully received HTTP request, independent of the transport (no Beast types), so protocol modules
/// (scim/, admin/) can be written and tested without sockets.
struct request {
    std::string method;  ///< as sent, e.g. "GET"
    std::string target;  ///< origin-form target including the query, e.g. "/scim/v2/Users?count=10"
    std::vector<header_field> headers;
    std::string body;
    std::string remote;  ///< peer address, for logs
    /// Names this request in logs and in the `X-Request-Id` response header: the client's own X-Request-Id
    /// when it sent a usable one (1..64 of A-Z a-z 0-9 - _ . : @), else 16 random hex digits.
    std::string id{};
    /// Requested when the server gives up waiting for handlers (the shutdown grace period is over, or
    /// server::stop_now): a handler doing long work checks it between steps and stops, answering 503.
    std::stop_token stop{};

    /// First header named `name` (case-insensitive), or nullopt.
    std::optional<std::string_view> header(std::string_view name) const;
};

/// A response to send. `content_type` empty means no body type is sent.
struct response {
    unsigned status = 200;
    std::string content_type;
    std::vector<header_field> headers;
    std::string body;

    /// Set on the response by the handler so the access log can name the tenant (never a credential).
    std::string tenant;
    /// The route template that answered ("/scim/v2/Users/{id}"), set by the router; empty when no route
    /// matched. Points into the router, which outlives every response. For metrics: bounded, unlike paths.
    std::string_view route{};
};

/// Builds the response for a failure the server or the router answers itself (a malformed request, a body
/// over the limit, a handler that threw, no such route): `status` and a `detail` safe to show a client. Lets
/// the application give those answers the error shape its clients parse. Must not throw.
using error_formatter = std::function<response(unsigned status, std::string_view detail)>;

/// A `text/plain` body holding `detail` and a newline: the answer when no error_formatter is given.
response plain_error(unsigned status, std::string_view detail);

/// Application entry point called once per request, on an I/O thread or a worker (server_settings::workers).
/// Must not throw for input-dependent failures (answer 4xx instead); an exception is turned into a generic
/// 500 by the server and logged.
using handler = std::function<response(request&)>;

}  // namespace dirsync::http
