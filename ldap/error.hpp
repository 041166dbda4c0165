#pragma once

#include <boost/assert/source_location.hpp>
#include <string>
#include <string_view>

namespace dirsync::ldap {

/// What an LDAP failure was about, for the caller's decision (retry later, reconnect, give up, alert).
enum class error_kind {
    settings,      ///< unusable connection settings or request (bad URL, StartTLS with ldaps://, bad filter)
    connect,       ///< TCP connect or the ldaps:// TLS handshake failed (refused, unreachable, untrusted)
    tls,           ///< StartTLS was refused or its handshake failed
    bind,          ///< the server rejected the bind (wrong password: code 49)
    timeout,       ///< an operation or the connect did not complete in its time (the request was abandoned)
    disconnected,  ///< not connected, or the connection was lost (closed, reset, Notice of Disconnection)
    search,        ///< the server answered a search or read with a failure result (no such object, limits)
    protocol,      ///< a response that cannot be used (undecodable entry, inconsistent range retrieval)
    update,        ///< the server refused an add, modify, delete or rename (no such object, already exists)
};

/// "settings", "connect", "tls", "bind", "timeout", "disconnected", "search", "protocol" or "update".
std::string_view to_string(error_kind kind) noexcept;

/// An expected LDAP failure. `message` says what failed, where, and the server's words
/// ("bind as 'cn=reader,dc=example,dc=com' to ldap://127.0.0.1:389 failed: Invalid credentials (49)");
/// it never contains a password and is fit for the log (not for a SCIM client).
struct error {
    error() = default;
    error(error_kind k, int c, std::string m) : kind(k), code(c), message(std::move(m)) {}

    error_kind kind = error_kind::protocol;
    /// The LDAP result code (RFC 4511, e.g. 49 invalidCredentials, 32 noSuchObject, 4 sizeLimitExceeded) or
    /// one of libldap's negative API codes (-1 server down, -5 timeout, -7 filter error, -11 connect error).
    int code = 0;
    std::string message;
};

/// True when reconnecting might help: `connect`, `tls`, `timeout` and `disconnected`.
bool is_connection_error(const error& e) noexcept;

/// libldap's text for a result or API code ("Invalid credentials", "Can't contact LDAP server").
std::string code_string(int code);

/// Lets `boost::system::result<T, error>::value()` throw: throws std::runtime_error carrying the message.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& location);

}  // namespace dirsync::ldap
