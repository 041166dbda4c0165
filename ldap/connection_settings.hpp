#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "ldap/secret.hpp"

namespace dirsync::ldap {

/// How the server's certificate is checked (libldap's LDAP_OPT_X_TLS_REQUIRE_CERT).
enum class tls_verify {
    demand,        ///< required; must verify against the CA and match the host name: the default
    if_presented,  ///< libldap's "try": a certificate that is sent must verify; none is accepted too
    allow,         ///< a certificate is requested; a bad one is accepted
    never,         ///< nothing is checked (tests only: anyone can pose as the server)
};

/// How the client authenticates after connecting (and after StartTLS).
enum class bind_method {
    simple,         ///< simple bind with `bind_dn` and `bind_password` (RFC 4513 §5.1.3)
    sasl_external,  ///< SASL EXTERNAL: the TLS client certificate (`client_cert_file`) is the identity
    anonymous,      ///< no bind
};

/// Where and how to connect to one directory. Validating these from YAML is the configuration's job; the
/// client rejects unusable combinations at `connect()` with an error of kind `settings`.
/// Holds the resolved bind password: never log this struct whole.
struct connection_settings {
    /// "ldap://host:port" or "ldaps://host:port" (port optional: 389 / 636). libldap also takes a
    /// space-separated list of URLs and tries them in order.
    std::string url;
    /// Send StartTLS (RFC 4513 §3) right after connecting; ldap:// only. The connect fails if the server
    /// refuses it: there is no fallback to plain text.
    bool start_tls = false;
    /// PEM file of the CA certificates that may sign the server's certificate; empty: the system's store.
    std::string ca_file;
    tls_verify verify = tls_verify::demand;

    bind_method bind = bind_method::simple;
    std::string bind_dn;   ///< simple bind only
    secret bind_password;  ///< simple bind only; already resolved from its file, variable or credential
    /// PEM client certificate and key, offered in the TLS handshake (required for SASL EXTERNAL).
    std::string client_cert_file;
    std::string client_key_file;

    /// Entries per page of a paged search (RFC 2696). Active Directory returns at most its MaxPageSize
    /// (1000) whatever is asked. 0 disables paging.
    std::uint32_t page_size = 500;

    /// TCP connect and TLS handshake, per address tried (LDAP_OPT_NETWORK_TIMEOUT).
    std::chrono::milliseconds network_timeout{10'000};
    /// The whole `connect()`: connect, StartTLS and bind. On expiry `connect()` returns a timeout; the
    /// blocked libldap call ends on its own network or operation timeout on the pool thread.
    std::chrono::milliseconds connect_timeout{30'000};
    /// One request/response exchange: each page of a search, each range step, the bind, StartTLS. Also sent
    /// to the server as the search time limit (rounded up to seconds).
    std::chrono::milliseconds operation_timeout{60'000};
};

}  // namespace dirsync::ldap
