#include "ldap/detail/open.hpp"

#include <sys/time.h>

#include <csignal>
#include <mutex>
#include <string>

#include "common/ascii.hpp"
#include "ldap/detail/message.hpp"

namespace dirsync::ldap::detail {
namespace {

using boost::system::result;

/// libldap reads each message from the socket with two read(2) calls, its tag and length and then the rest:
/// two system calls per entry of a large search. Liblber's read-ahead layer (the one libldap puts under
/// LDAP over UDP) goes under it, below TLS and SASL layers, and fills a buffer per call instead: a read of
/// 100,000 entries makes a few thousand calls. libldap asks the layers for data they hold before it polls
/// (LBER_SB_OPT_DATA_READY), and so does the reader (connection::drain runs ldap_result until it has
/// nothing), so input held in the buffer is never left waiting for the socket.
constexpr int read_ahead_bytes = 64 * 1024;

result<void, error> read_ahead(LDAP* ld) {
    Sockbuf* sb = nullptr;
    if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS || sb == nullptr)
        return error(error_kind::connect, LDAP_LOCAL_ERROR, "the connection has no socket buffer");
    int size = read_ahead_bytes;
    if (ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, &size) != 0)
        return error(error_kind::connect, LDAP_NO_MEMORY, "cannot add a read-ahead buffer to the connection");
    return {};
}

timeval to_timeval(std::chrono::milliseconds d) {
    if (d.count() < 0) d = std::chrono::milliseconds(0);
    return timeval{static_cast<time_t>(d.count() / 1000),
                   static_cast<suseconds_t>((d.count() % 1000) * 1000)};
}

/// True when any URL of the (space- or comma-separated) list is ldaps://.
bool uses_ldaps(std::string_view urls) {
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if ((i == 0 || urls[i - 1] == ' ' || urls[i - 1] == ',') &&
            common::istarts_with_ascii(urls.substr(i), "ldaps://"))
            return true;
    }
    return false;
}

error settings_error(std::string message) {
    return error(error_kind::settings, LDAP_PARAM_ERROR, std::move(message));
}

/// The kind for a failed step whose own kind is `kind`: timeouts and lost connections say so instead.
error_kind kind_for(int code, error_kind kind) {
    if (code == LDAP_TIMEOUT) return error_kind::timeout;
    if (code == LDAP_SERVER_DOWN && kind != error_kind::connect) return error_kind::disconnected;
    return kind;
}

error step_error(LDAP* ld, int code, error_kind kind, const std::string& what) {
    return error(kind_for(code, kind), code, what + " failed: " + describe(code, diagnostic_message(ld)));
}

/// A failed TLS handshake: libldap (over GnuTLS) leaves a diagnostic that rarely says why ("(unknown error
/// code)"), so the message names what was checked against what instead.
error tls_handshake_error(LDAP* ld, int code, error_kind kind, const std::string& what,
                          const connection_settings& s) {
    std::string diagnostic = diagnostic_message(ld);
    if (diagnostic == "(unknown error code)") diagnostic.clear();
    std::string text =
        what + " failed: " + describe(code, diagnostic) + "; the TLS handshake did not complete";
    if (s.verify == tls_verify::demand || s.verify == tls_verify::if_presented)
        text += ": is the server's certificate signed by a CA in " +
                (s.ca_file.empty() ? std::string("the system CA store") : "'" + s.ca_file + "'") +
                ", valid now, and issued for the host in the URL?";
    return error(kind_for(code, kind), code, std::move(text));
}

/// Whether a failed connect or StartTLS got as far as TLS: libldap leaves a diagnostic message then, and
/// none when the TCP connect itself failed.
bool failed_in_tls(LDAP* ld, int code) {
    return (code == LDAP_CONNECT_ERROR || code == LDAP_SERVER_DOWN) && !diagnostic_message(ld).empty();
}

int require_cert_value(tls_verify v) {
    switch (v) {
        case tls_verify::demand:
            return LDAP_OPT_X_TLS_DEMAND;
        case tls_verify::if_presented:
            return LDAP_OPT_X_TLS_TRY;
        case tls_verify::allow:
            return LDAP_OPT_X_TLS_ALLOW;
        case tls_verify::never:
            return LDAP_OPT_X_TLS_NEVER;
    }
    return LDAP_OPT_X_TLS_DEMAND;
}

result<void, error> check_settings(const connection_settings& s) {
    if (s.url.empty()) return settings_error("no LDAP URL is set");
    const bool ldaps = uses_ldaps(s.url);
    if (s.start_tls && ldaps)
        return settings_error("StartTLS cannot be used with ldaps:// ('" + s.url + "' is already TLS)");
    const bool tls = ldaps || s.start_tls;
    switch (s.bind) {
        case bind_method::simple:
            if (s.bind_dn.empty())
                return settings_error("simple bind to " + s.url +
                                      " needs a bind DN (use anonymous explicitly)");
            if (s.bind_password.empty())
                return settings_error("simple bind as '" + s.bind_dn + "' to " + s.url +
                                      " needs a password (an empty one is an unauthenticated bind)");
            break;
        case bind_method::sasl_external:
            if (!tls) return settings_error("SASL EXTERNAL to " + s.url + " needs ldaps:// or StartTLS");
            if (s.client_cert_file.empty() || s.client_key_file.empty())
                return settings_error("SASL EXTERNAL to " + s.url + " needs a client certificate and key");
            break;
        case bind_method::anonymous:
            break;
    }
    if ((!s.client_cert_file.empty() || !s.ca_file.empty()) && !tls)
        return settings_error("TLS files are set for " + s.url +
                              " but it uses neither ldaps:// nor StartTLS");
    return {};
}

result<void, error> set_option(LDAP* ld, int option, const void* value, const char* name) {
    const int rc = ldap_set_option(ld, option, value);
    if (rc != LDAP_OPT_SUCCESS)
        return error(
            error_kind::settings, rc,
            std::string("cannot set the LDAP option ") + name + ": " + describe(rc, diagnostic_message(ld)));
    return {};
}

result<void, error> set_tls_options(LDAP* ld, const connection_settings& s) {
    const int require_cert = require_cert_value(s.verify);
    if (auto r = set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require_cert, "TLS_REQCERT"); !r) return r;
    const int min_protocol = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
    if (auto r = set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_protocol, "TLS_PROTOCOL_MIN"); !r) return r;
    if (!s.ca_file.empty())
        if (auto r = set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, s.ca_file.c_str(), "TLS_CACERT"); !r) return r;
    if (!s.client_cert_file.empty())
        if (auto r = set_option(ld, LDAP_OPT_X_TLS_CERTFILE, s.client_cert_file.c_str(), "TLS_CERT"); !r)
            return r;
    if (!s.client_key_file.empty())
        if (auto r = set_option(ld, LDAP_OPT_X_TLS_KEYFILE, s.client_key_file.c_str(), "TLS_KEY"); !r)
            return r;
    // A context of this handle's own, built from the options above (otherwise the process-wide one is used).
    const int is_server = 0;
    const int rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server);
    if (rc != LDAP_OPT_SUCCESS) {
        std::string files;
        if (!s.ca_file.empty()) files = "CA file '" + s.ca_file + "'";
        if (!s.client_cert_file.empty())
            files += (files.empty() ? "" : ", ") + std::string("certificate '") + s.client_cert_file +
                     "', key '" + s.client_key_file + "'";
        std::string diagnostic = diagnostic_message(ld);
        return error(error_kind::settings, rc,
                     "cannot set up TLS for " + s.url + (files.empty() ? "" : " with " + files) +
                         ": libldap could not load them (code " + std::to_string(rc) + ")" +
                         (diagnostic.empty() ? "" : ": " + diagnostic));
    }
    return {};
}

}  // namespace

void initialize_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        int version = 0;
        ldap_get_option(nullptr, LDAP_OPT_PROTOCOL_VERSION, &version);
        struct sigaction current {};
        if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
            struct sigaction ignore {};
            ignore.sa_handler = SIG_IGN;
            sigemptyset(&ignore.sa_mask);
            ::sigaction(SIGPIPE, &ignore, nullptr);
        }
    });
}

result<ldap_ptr, error> open_connection(const connection_settings& s) {
    if (auto r = check_settings(s); !r) return r.error();

    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, s.url.c_str());
    ldap_ptr ld(raw);
    if (rc != LDAP_SUCCESS || !ld)
        return settings_error("invalid LDAP URL '" + s.url + "': " + describe(rc, {}));

    const int version = LDAP_VERSION3;
    if (auto r = set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version, "PROTOCOL_VERSION"); !r)
        return r.error();
    // Referrals are not chased: libldap would follow them with an anonymous bind to wherever they point.
    if (auto r = set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "REFERRALS"); !r) return r.error();
    if (auto r = set_option(ld.get(), LDAP_OPT_RESTART, LDAP_OPT_ON, "RESTART"); !r) return r.error();
    const timeval network = to_timeval(s.network_timeout);
    if (auto r = set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &network, "NETWORK_TIMEOUT"); !r)
        return r.error();
    // The timeout of libldap's synchronous calls: StartTLS and bind.
    const timeval operation = to_timeval(s.operation_timeout);
    if (auto r = set_option(ld.get(), LDAP_OPT_TIMEOUT, &operation, "TIMEOUT"); !r) return r.error();
    if (uses_ldaps(s.url) || s.start_tls)
        if (auto r = set_tls_options(ld.get(), s); !r) return r.error();

    rc = ldap_connect(ld.get());
    if (rc != LDAP_SUCCESS) {
        const std::string what = "connecting to " + s.url;
        if (uses_ldaps(s.url) && failed_in_tls(ld.get(), rc))
            return tls_handshake_error(ld.get(), rc, error_kind::connect, what, s);
        return step_error(ld.get(), rc, error_kind::connect, what);
    }

    if (auto r = read_ahead(ld.get()); !r) return r.error();

    if (s.start_tls) {
        rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
        if (rc != LDAP_SUCCESS) {
            const std::string what = "StartTLS with " + s.url;
            if (failed_in_tls(ld.get(), rc))
                return tls_handshake_error(ld.get(), rc, error_kind::tls, what, s);
            return step_error(ld.get(), rc, error_kind::tls, what);
        }
    }

    switch (s.bind) {
        case bind_method::simple: {
            const auto password = s.bind_password.reveal();
            berval credentials{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
            rc = ldap_sasl_bind_s(ld.get(), s.bind_dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr,
                                  nullptr, nullptr);
            if (rc != LDAP_SUCCESS)
                return step_error(ld.get(), rc, error_kind::bind, "bind as '" + s.bind_dn + "' to " + s.url);
            break;
        }
        case bind_method::sasl_external: {
            // An empty initial response (no authorization identity): the certificate's identity is used.
            // A null bv_val would send no credentials at all, and the server would answer with a challenge.
            char empty[] = "";
            berval no_authzid{0, empty};
            rc = ldap_sasl_bind_s(ld.get(), nullptr, "EXTERNAL", &no_authzid, nullptr, nullptr, nullptr);
            if (rc != LDAP_SUCCESS)
                return step_error(
                    ld.get(), rc, error_kind::bind,
                    "SASL EXTERNAL bind with certificate '" + s.client_cert_file + "' to " + s.url);
            break;
        }
        case bind_method::anonymous:
            break;
    }
    return ld;
}

}  // namespace dirsync::ldap::detail
