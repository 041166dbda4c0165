#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace dirsync::http {

/// Where and how `send_request` reaches a server.
struct client_options {
    /// "http://host:port" or "https://host:port", with an optional path prefix the request targets are
    /// appended to. Hosts are names, IPv4 literals or bracketed IPv6 literals ("[::1]").
    std::string base_url;
    /// PEM CA file for https; empty: the system's store.
    std::string ca_file;
    /// Verify the server's certificate and host name (https). Off only for tests and self-signed set-ups.
    bool verify_peer = true;
    /// Connect, send and receive together.
    std::chrono::milliseconds timeout{30'000};
};

/// The answer, or why there is none.
struct client_result {
    std::optional<response> answer;  ///< set when a response was received, whatever its status
    std::string error;               ///< set otherwise: a one-line reason ("connection refused", ...)
};

/// Splits "http://host:port/prefix" into its parts; nullopt when it is not an http(s) URL.
struct parsed_url {
    bool tls = false;
    std::string host;    ///< without brackets
    std::string port;    ///< "80"/"443" when absent
    std::string prefix;  ///< "" or "/prefix" without a trailing slash
};
std::optional<parsed_url> parse_base_url(std::string_view url);

/// Sends one HTTP/1.1 request (`Connection: close`) and waits for the whole response. Blocking; for command
/// line tools, not for the daemon's I/O threads. `target` is appended to the URL's prefix. Headers in
/// `headers` are sent as given (e.g. Authorization); Host, Content-Length and Content-Type (when `body` is
/// not empty: `content_type`) are set here.
client_result send_request(const client_options& options, std::string_view method, std::string_view target,
                           const std::vector<header_field>& headers = {}, std::string_view body = {},
                           std::string_view content_type = "application/json");

}  // namespace dirsync::http
