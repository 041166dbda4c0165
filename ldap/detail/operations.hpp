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

#include "ldap/detail/connection.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/search_request.hpp"

namespace dirsync::ldap::detail {

/// One page of a search.
struct search_page {
    std::vector<entry> entries;
    std::string cookie;  ///< RFC 2696 cookie for the next page; empty when this was the last
};

/// Sends one search request (with the paged-results control when `page_size` > 0, carrying `cookie`) and
/// collects its entries and final result. Search references are skipped (referrals are not chased).
/// Errors: the result code was not success (kind search, e.g. 32 noSuchObject, 4 sizeLimitExceeded), a
/// bad filter (kind settings), timeout, connection failure, undecodable entries (kind protocol).
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

/// The Who am I? extended operation (RFC 4532): "dn:<DN>", "u:<name>" or "" for anonymous.
boost::asio::awaitable<boost::system::result<std::string, error>> who_am_i(std::shared_ptr<connection> conn,
                                                                           std::chrono::milliseconds timeout);

}  // namespace dirsync::ldap::detail
