#pragma once

#include "config/settings.hpp"
#include "http/server_settings.hpp"

namespace dirsync::daemon {

/// What the HTTP server is told by the configuration `s` (validated): the `server:` section (listen address,
/// threads, TLS files, limits). Errors the server answers itself are SCIM Errors,
/// the one error shape every client of dirsyncd parses.
http::server_settings http_server_settings(const config::settings& s);

/// SCIM Errors without a scimType (scim::error_response): the shape of the answers the server and the
/// router give themselves.
http::error_formatter scim_error_formatter();

}  // namespace dirsync::daemon
