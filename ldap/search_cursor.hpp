#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ldap/control.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/search_request.hpp"

namespace dirsync::ldap {

namespace detail {
class session;
struct cursor_state;
}  // namespace detail

/// An IntermediateResponse (RFC 4511 §4.13) the server sent while a search ran, e.g. a Sync Info Message.
struct intermediate_response {
    std::string oid;                   ///< responseName; empty when the server sent none
    std::optional<std::string> value;  ///< responseValue, raw bytes
    std::vector<control> controls;     ///< response controls attached to it
    /// How many entries of the same page came before it: entries[0, entries_before) preceded it.
    std::size_t entries_before = 0;

    friend bool operator==(const intermediate_response&, const intermediate_response&) = default;
};

/// Everything one `next_results()` returned, in the server's order.
struct search_results {
    std::vector<entry> entries;  ///< each with the controls the server attached to it
    std::vector<intermediate_response> intermediates;
    /// The response controls of the SearchResultDone that ended this page (without the paged-results
    /// control, which the cursor consumes), e.g. the Sync Done Control. Empty when the page is a batch
    /// that did not reach the end of the search.
    std::vector<control> result_controls;
};

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
/// One `next_page()` at a time per cursor; a cursor may outlive its client (its pages then fail). A cursor
/// over a batched search (`search_request::batch_size`) holds its request open between batches: destroy it
/// before the io_context (its request is then abandoned).
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
    /// noSuchObject for a missing base, sizeLimitExceeded for an unpaged search) is of kind search. In a
    /// batched search each batch has the operation timeout, counted from the call.
    /// Returns an empty page when `!has_more()`.
    boost::asio::awaitable<boost::system::result<std::vector<entry>, error>> next_page();

    /// `next_page()` with the intermediate responses and the result controls as well. The same errors; a
    /// failed result code ends the cursor with an error (kind search) whatever controls came with it.
    boost::asio::awaitable<boost::system::result<search_results, error>> next_results();

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
