#include "daemon/server_settings.hpp"

#include <algorithm>

#include "scim/error.hpp"

namespace dirsync::daemon {

http::server_settings http_server_settings(const config::settings& s) {
    http::server_settings out;
    out.host = s.server.listen.host;
    out.port = s.server.listen.port;
    out.threads = s.server.threads;
    out.workers.threads = s.server.workers;
    out.workers.lane_share = s.server.tenant_concurrency.value_or(std::max(1u, s.server.workers / 2));
    if (s.server.tls) out.tls = http::tls_files{s.server.tls->cert_file, s.server.tls->key_file};
    const config::http_limits& in = s.server.limits;
    out.limits.max_body_bytes = in.max_body_bytes;
    out.limits.max_header_bytes = in.max_header_bytes;
    out.limits.max_header_count = in.max_header_count;
    out.limits.header_timeout = in.header_timeout;
    out.limits.body_timeout = in.body_timeout;
    out.limits.idle_timeout = in.idle_timeout;
    out.limits.write_timeout = in.write_timeout;
    out.limits.max_connections = in.max_connections;
    out.limits.shutdown_grace = in.shutdown_grace;
    out.errors = scim_error_formatter();
    return out;
}

http::error_formatter scim_error_formatter() {
    return [](unsigned status, std::string_view detail) { return scim::error_response(status, detail); };
}

}  // namespace dirsync::daemon
