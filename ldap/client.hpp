#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ldap/connection_settings.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/modification.hpp"
#include "ldap/search_cursor.hpp"
#include "ldap/search_request.hpp"

namespace boost::asio {
class thread_pool;
}  // namespace boost::asio

namespace dirsync::ldap {

namespace detail {
class session;
}  // namespace detail

/// An asynchronous LDAP client on the Asio event loop: one libldap handle at a time, living on a strand
/// of the given executor with a single reader that waits for the socket to be readable and drains
/// libldap's buffered messages. Connect, TLS handshakes and bind block inside libldap, so `connect()` runs
/// them on `blocking_pool`. Referrals are never chased.
///
/// Every operation may be awaited from any executor (it hops to the client's strand and back); several
/// may be outstanding at once. Expected failures come back as `ldap::error` values; exceptions mean bugs
/// or memory exhaustion.
///
/// No reconnection happens by itself: after an error for which `is_connection_error()` holds, the owner
/// waits (see `backoff`) and calls `connect()` again.
///
/// Lifetime: destroy the client before the io_context; join `blocking_pool` before destroying the
/// io_context (a connect still running there posts its outcome to the strand). Destroying the client
/// closes its connection; operations still outstanding complete with kind disconnected.
///
/// The first client of the process sets SIGPIPE to be ignored if it has its default action (libldap
/// writes with write(2), which would otherwise kill the process when a server resets the connection).
class client {
  public:
    /// Nothing is connected until `connect()`. `blocking_pool` must outlive the client.
    client(boost::asio::any_io_executor executor, boost::asio::thread_pool& blocking_pool,
           connection_settings settings);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// Connects: initializes a handle (LDAPv3, referrals off, network and operation timeouts, TLS options
    /// with a context of its own), connects (the TLS handshake for ldaps://), sends StartTLS when asked,
    /// binds, then starts reading. Replaces the current connection, if any (its operations fail).
    /// Bounded by `connect_timeout`. Errors: kind settings (also: another connect() is in progress),
    /// connect, tls, bind (a wrong password is code 49, invalidCredentials), timeout.
    boost::asio::awaitable<boost::system::result<void, error>> connect();

    /// Closes the connection (unbind) and abandons a connect in progress; outstanding operations complete
    /// with kind disconnected. `connect()` may be called again afterwards.
    boost::asio::awaitable<void> disconnect();

    /// Whether the last connect succeeded and the connection has not been lost or closed since, as far as
    /// the reader has noticed. Thread-safe.
    bool connected() const noexcept;

    /// A cursor over the results of `request`. Nothing is sent until its first `next_page()`.
    search_cursor search(search_request request);

    /// Reads one entry by DN with the given attributes (empty: all user attributes), ranged attributes
    /// completed; nullopt when there is no such entry.
    boost::asio::awaitable<boost::system::result<std::optional<entry>, error>> read(
        std::string dn, std::vector<std::string> attributes = {});

    /// Adds an entry with `e.dn` and `e.attributes` (the values of each under its description as given).
    /// Errors: kind update with the server's result code (68 entryAlreadyExists, 32 noSuchObject when the
    /// parent is missing, 50 insufficientAccessRights, 65 objectClassViolation), timeout, disconnected.
    boost::asio::awaitable<boost::system::result<void, error>> add(entry e);

    /// Applies `changes`, in order, to the entry `dn` in one Modify request (all or nothing). Errors as add
    /// (16 noSuchAttribute, 20 attributeOrValueExists).
    boost::asio::awaitable<boost::system::result<void, error>> modify(std::string dn,
                                                                      std::vector<modification> changes);

    /// Deletes the leaf entry `dn`. Errors as add (66 notAllowedOnNonLeaf).
    boost::asio::awaitable<boost::system::result<void, error>> remove(std::string dn);

    /// Modify DN: renames `dn` to `new_rdn` ("uid=new"), moving it under `new_superior` unless that is empty;
    /// the old RDN value is removed from the entry when `delete_old_rdn`. Errors as add.
    boost::asio::awaitable<boost::system::result<void, error>> rename(std::string dn, std::string new_rdn,
                                                                      std::string new_superior = {},
                                                                      bool delete_old_rdn = true);

    /// The identity the server sees (RFC 4532 Who am I?): "dn:cn=reader,dc=example,dc=com", or "" when
    /// anonymous.
    boost::asio::awaitable<boost::system::result<std::string, error>> who_am_i();

    /// The settings given at construction.
    const connection_settings& settings() const noexcept;

  private:
    std::shared_ptr<detail::session> session_;
};

}  // namespace dirsync::ldap
