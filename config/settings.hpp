#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/sha256.hpp"

namespace dirsync::config {

/// Where the HTTP server listens. `port == 0` asks the kernel for an ephemeral port.
/// Loaded from `server.listen` ("127.0.0.1:8080", "localhost:8080", "[::1]:8080"); other host names are
/// rejected at load because the server does not resolve names.
struct listen_address {
    std::string host = "127.0.0.1";  ///< IPv4 or IPv6 literal (no brackets), or "localhost"
    std::uint16_t port = 8080;
};

/// HTTPS key material (`server.tls`). Both files were readable at load. Paths are kept as written: a relative
/// path is relative to the working directory of the process.
struct tls_settings {
    std::string cert_file;  ///< PEM certificate chain
    std::string key_file;   ///< PEM private key
};

/// Limits that protect the server from slow, large or numerous clients.
struct http_limits {
    std::size_t max_body_bytes = 1024 * 1024;         ///< larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;         ///< larger header blocks get 431
    std::chrono::milliseconds header_timeout{10'000};  ///< time to receive a full header block
    std::chrono::milliseconds body_timeout{30'000};    ///< time to receive a body once headers are in
    std::chrono::milliseconds idle_timeout{60'000};    ///< keep-alive idle time between requests
    std::chrono::milliseconds write_timeout{30'000};   ///< time to send one response
    std::size_t max_connections = 1024;                ///< further connections are closed at accept
    std::chrono::milliseconds shutdown_grace{10'000};  ///< drain time for in-flight requests on SIGTERM
};

/// The `server:` section.
struct server_settings {
    listen_address listen;
    /// threads running the I/O loop, 1..256
    unsigned threads = 2;
    std::optional<tls_settings> tls;
    http_limits limits;
};

/// The `storage:` section. `sqlite_path` is kept as written in the configuration: a relative path is relative
/// to the working directory of the process.
struct storage_settings {
    std::string sqlite_path;  ///< resolved path of the SQLite database file
};

/// The optional `logging:` section.
struct logging_settings {
    common::log_level level = common::log_level::info;
    bool access_log = true;
};

/// A tenant as declared in the configuration. Tokens are held only as SHA-256 digests.
struct tenant_settings {
    std::string id;                           ///< [a-z0-9][a-z0-9_-]{0,62}; stable key of the tenant
    std::string name;                         ///< display name
    std::optional<std::uint32_t> seats;       ///< seat limit; absent = unlimited
    /// digests of the bearer tokens that authenticate as this tenant; no other tenant has any of them
    std::vector<common::sha256_digest> scim_tokens;
};

/// The whole validated configuration.
struct settings {
    std::string source_file;  ///< path the settings were loaded from, for messages
    server_settings server;
    storage_settings storage;
    logging_settings logging;
    std::vector<tenant_settings> tenants;
};

}  // namespace dirsync::config
