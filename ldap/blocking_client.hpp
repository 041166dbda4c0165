#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ldap/connection_settings.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/modification.hpp"
#include "ldap/search_request.hpp"
#include "ldap/source_query.hpp"
#include "ldap/source_reader.hpp"
#include "ldap/sync_search.hpp"

namespace dirsync::ldap {

/// The asynchronous client behind a blocking interface, for callers that are not on an event loop (the
/// daemon's sync runs, which have a thread each, and the one-shot `dirsyncd sync`). Each call runs a private
/// io_context on the calling thread until the operation ends; connect, TLS and bind run on a private
/// two-thread pool as the asynchronous client requires. Not thread-safe: one thread at a time.
///
/// Includes no Asio header, so its users compile none.
class blocking_client {
  public:
    explicit blocking_client(connection_settings settings);
    ~blocking_client();
    blocking_client(const blocking_client&) = delete;
    blocking_client& operator=(const blocking_client&) = delete;

    /// While `*flag` is true every call ends soon (within about 100 ms) with an error of kind disconnected
    /// ("cancelled"): for stopping the daemon during a long read. The flag must outlive the client.
    void set_cancel_flag(const std::atomic<bool>* flag) noexcept;

    /// client::connect.
    boost::system::result<void, error> connect();

    /// Runs `request` page by page (RFC 2696) and hands every entry to `on_entry` as its page arrives, so
    /// memory holds one page. Succeeds only when the search reached its end; an error at any page is
    /// returned as such (the entries already handed out are then not a complete result). `deadline`, when
    /// set, bounds the whole search (kind timeout when it passes).
    boost::system::result<std::size_t, error> search(
        search_request request, const std::function<void(entry&&)>& on_entry,
        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

    /// ldap::sync_refresh on this connection.
    boost::system::result<sync_refresh_result, error> sync_refresh(
        sync_refresh_request request, sync_entry_handler on_entry,
        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

    /// ldap::sync_persist on this connection, without a deadline: it returns when the search ends, the
    /// connection drops or the cancel flag is set.
    boost::system::result<void, error> sync_persist(search_request search, std::string cookie,
                                                    std::function<void()> on_change);

    /// ldap::read_full on this connection.
    boost::system::result<full_read_result, error> read_full(
        const source_query& query, incremental_method method, source_handlers handlers,
        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

    /// ldap::read_incremental on this connection.
    boost::system::result<incremental_result, error> read_incremental(
        const source_query& query, const incremental_state& previous, source_handlers handlers,
        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

    /// client::read: one entry by DN.
    boost::system::result<std::optional<entry>, error> read(std::string dn,
                                                            std::vector<std::string> attributes);

    /// client::add, client::modify, client::remove and client::rename (tools and tests that change a
    /// directory).
    boost::system::result<void, error> add(entry e);
    boost::system::result<void, error> modify(std::string dn, std::vector<modification> changes);
    boost::system::result<void, error> remove(std::string dn);
    boost::system::result<void, error> rename(std::string dn, std::string new_rdn,
                                              std::string new_superior = {});

  private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace dirsync::ldap
