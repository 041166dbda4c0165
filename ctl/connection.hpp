#pragma once

#include <optional>
#include <string>

#include "http/client.hpp"

namespace dirsync::ctl {

/// How dirsyncctl was told to reach the daemon (flags win over the environment, which wins over the
/// configuration file).
struct connection_flags {
    std::optional<std::string> url;         ///< --url
    std::optional<std::string> token_file;  ///< --token-file
    std::optional<std::string> config;      ///< --config
    std::optional<std::string> ca_file;     ///< --ca-file
    bool insecure = false;                  ///< --insecure: do not verify the server's certificate
    /// --credentials-directory: where `credential:` secrets are read outside the systemd unit
    std::optional<std::string> credentials_directory;
};

/// Where the daemon is and the admin token to present.
struct connection {
    http::client_options http;
    std::string token;  ///< never printed
};

/// Resolves the daemon's URL and the admin token:
///   URL:   --url, else $DIRSYNCD_URL, else server.listen (and server.tls) of the configuration
///   token: --token-file, else $DIRSYNCD_ADMIN_TOKEN, else $DIRSYNCD_ADMIN_TOKEN_FILE, else the first
///          admin token the configuration reads from a file or a systemd credential
///   configuration: --config, else $DIRSYNCD_CONFIG, else /etc/dirsyncd/dirsyncd.yaml when it exists.
/// On failure returns nullopt and sets `error` to a one-line reason.
std::optional<connection> resolve_connection(const connection_flags& flags, std::string& error);

}  // namespace dirsync::ctl
