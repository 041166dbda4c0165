#pragma once

// Internal to dirsync_ldap: the request/response exchanges, as coroutines on the connection's strand.

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ldap/control.hpp"
#include "ldap/detail/connection.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/modification.hpp"
#include "ldap/search_cursor.hpp"
#include "ldap/search_request.hpp"

namespace dirsync::ldap::detail {

/// One page of a search, or one batch of a batched one.
struct search_page {
    std::vector<entry> entries;
    std::vector<intermediate_response> intermediates;
    std::vector<control> result_controls;  ///< of the SearchResultDone, without the paged-results control
    std::string cookie;     ///< RFC 2696 cookie for the next page; empty when this was the last
    bool finished = false;  ///< the SearchResultDone arrived
};

/// "search under '<base>' for '<filter>' on <url>": how errors name a search.
std::string describe_search(const connection& conn, const search_request& request);

/// Sends one search request with `request.controls` and, when `page_size` > 0, the paged-results control
/// carrying `cookie`; returns its message id. Errors: encoding, a bad filter (kind settings), connection.
boost::system::result<int, error> send_search(connection& conn, const search_request& request,
                                              std::uint32_t page_size, const std::string& cookie,
                                              std::chrono::milliseconds timeout, const std::string& what);

/// Adds the responses of the search `pending` (sent with send_search) to `page` until its SearchResultDone
/// (then `page.finished`, and `page.cookie` when `paged`) or, when `max_entries` > 0, until the page holds
/// that many entries. Search references are skipped (referrals are not chased). Errors: the result code
/// was not success (kind search, e.g. 32 noSuchObject, 4 sizeLimitExceeded), timeout at `deadline`,
/// connection failure, undecodable messages (kind protocol); the request is finished then.
boost::asio::awaitable<boost::system::result<void, error>> collect_search(
    connection& conn, pending_request& pending, search_page& page, bool paged, std::size_t max_entries,
    std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout,
    const std::string& what);

/// send_search and collect_search to the end: one whole page.
boost::asio::awaitable<boost::system::result<search_page, error>> fetch_search_page(
    std::shared_ptr<connection> conn, const search_request& request, std::uint32_t page_size,
    const std::string& cookie, std::chrono::milliseconds timeout);

/// Reads one entry by DN (base scope, no paging); nullopt when it does not exist (noSuchObject).
boost::asio::awaitable<boost::system::result<std::optional<entry>, error>> read_entry(
    std::shared_ptr<connection> conn, const std::string& dn, const std::vector<std::string>& attributes,
    std::chrono::milliseconds timeout);

/// Completes the ranged attributes of `e` (range_retrieval driven by read_entry), one read per chunk,
/// each with its own `timeout`.
boost::asio::awaitable<boost::system::result<entry, error>> resolve_ranges(std::shared_ptr<connection> conn,
                                                                           entry e,
                                                                           std::chrono::milliseconds timeout);

/// Adds `e` (its DN and attributes; its controls are ignored). Errors: kind update with the server's result
/// code (68 entryAlreadyExists, 32 noSuchObject for a missing parent, 50 insufficientAccessRights, ...),
/// timeout, connection.
boost::asio::awaitable<boost::system::result<void, error>> add_entry(std::shared_ptr<connection> conn,
                                                                     const entry& e,
                                                                     std::chrono::milliseconds timeout);

/// Applies `changes` to the entry `dn` in one Modify request. Errors as add_entry.
boost::asio::awaitable<boost::system::result<void, error>> modify_entry(
    std::shared_ptr<connection> conn, const std::string& dn, const std::vector<modification>& changes,
    std::chrono::milliseconds timeout);

/// Deletes the leaf entry `dn`. Errors as add_entry (66 notAllowedOnNonLeaf).
boost::asio::awaitable<boost::system::result<void, error>> delete_entry(std::shared_ptr<connection> conn,
                                                                        const std::string& dn,
                                                                        std::chrono::milliseconds timeout);

/// Renames or moves `dn` (Modify DN): new RDN `new_rdn`, under `new_superior` unless empty. Errors as
/// add_entry.
boost::asio::awaitable<boost::system::result<void, error>> rename_entry(
    std::shared_ptr<connection> conn, const std::string& dn, const std::string& new_rdn,
    const std::string& new_superior, bool delete_old_rdn, std::chrono::milliseconds timeout);

/// The Who am I? extended operation (RFC 4532): "dn:<DN>", "u:<name>" or "" for anonymous.
boost::asio::awaitable<boost::system::result<std::string, error>> who_am_i(std::shared_ptr<connection> conn,
                                                                           std::chrono::milliseconds timeout);

}  // namespace dirsync::ldap::detail
