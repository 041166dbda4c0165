#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <memory>
#include <vector>

#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/search_request.hpp"

namespace dirsync::ldap {

namespace detail {
class session;
struct cursor_state;
}  // namespace detail

/// A search in progress, read one page at a time (RFC 2696 paged results), so a directory of 100,000
/// entries never sits in memory whole: only the page being handed out does.
///
///     auto cursor = client.search(request);
///     while (cursor.has_more()) {
///         auto page = co_await cursor.next_page();
///         if (!page) return page.error();
///         for (auto& e : *page) ...
///     }
///
/// The pages come from the connection that was current at the first `next_page()`; if the client
/// reconnects in between, the next call fails (kind disconnected) and the search must start over, since
/// the server's paging state belonged to the old connection. A failed page ends the cursor. Abandoning a
/// cursor before its last page leaves the server to expire its paging state (OpenLDAP keeps one per
/// connection and replaces it with the next paged search; Active Directory times it out).
/// One `next_page()` at a time per cursor; a cursor may outlive its client (its pages then fail).
class search_cursor {
  public:
    /// An exhausted cursor.
    search_cursor();
    ~search_cursor();
    search_cursor(search_cursor&&) noexcept;
    search_cursor& operator=(search_cursor&&) noexcept;
    search_cursor(const search_cursor&) = delete;
    search_cursor& operator=(const search_cursor&) = delete;

    /// False once the last page was returned or a page failed.
    bool has_more() const noexcept;

    /// The next page of entries, ranged attributes completed when the request asks for it. May be empty
    /// while more follow (Active Directory sends empty pages on sparse filters). Each request/response
    /// exchange has the connection's operation timeout (on expiry the request is abandoned and the error
    /// is of kind timeout). Errors: see `error_kind`; a result code other than success (e.g.
    /// noSuchObject for a missing base, sizeLimitExceeded for an unpaged search) is of kind search.
    /// Returns an empty page when `!has_more()`.
    boost::asio::awaitable<boost::system::result<std::vector<entry>, error>> next_page();

    /// Entries returned so far.
    std::size_t entries_returned() const noexcept;
    /// Pages returned so far.
    std::size_t pages_returned() const noexcept;

  private:
    friend class client;
    search_cursor(std::shared_ptr<detail::session> session, search_request request);

    std::shared_ptr<detail::cursor_state> state_;
};

}  // namespace dirsync::ldap
