#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/search_request.hpp"
#include "ldap/syncrepl.hpp"

namespace dirsync::ldap {

class client;

/// One refreshOnly Content Synchronization search (RFC 4533 §3.3): the same search every time, with the
/// cookie of the previous one.
struct sync_refresh_request {
    /// Base, scope, filter and attributes. Must be the same search the cookie came from. `page_size` is
    /// ignored: slapd refuses the paged-results control beside the Sync Request Control, so the reading
    /// account needs a size limit above the content (a sizeLimitExceeded fails the refresh). `batch_size`
    /// bounds memory as for any search; 0: the connection's page size (500 when that is 0).
    search_request search;
    /// The cookie of the last successful refresh; nullopt: an initial refresh (every entry is sent).
    std::optional<std::string> cookie;
    /// Ask the server to send everything instead of answering e-syncRefreshRequired when it cannot work out
    /// the changes since `cookie` (slapd with `syncprov-reloadhint TRUE` honours this).
    bool reload_hint = false;
};

/// What a refresh found. Apply it only when the call succeeded: a refresh that failed half-way is an error,
/// never a partial result.
struct sync_refresh_result {
    /// The server answered e-syncRefreshRequired (4096): the cookie is too old or unknown. Nothing else is
    /// set; the caller does a full read and starts over without a cookie.
    bool refresh_required = false;
    /// The newest cookie the server sent, for the next refresh; nullopt when it sent none (slapd does so
    /// when nothing changed): keep the previous one then.
    std::optional<std::string> cookie;
    /// Entries that left the content, by entryUUID (RFC 4122 text, lowercase), sorted and unique: from
    /// delete states and from syncIdSets with refreshDeletes TRUE. May name entries the caller never had.
    std::vector<std::string> deleted;
    /// The server ended the refresh (or a stage of it) with a present phase: every entry of the content it
    /// did not name in `present` (which includes the changed entries) is gone, and the caller must infer
    /// those deletes by comparing `present` with the entries it holds from this search. An initial refresh
    /// is one too: `present` then lists the whole content.
    bool present_phase = false;
    /// entryUUIDs the server reported present (present states, syncIdSets with refreshDeletes FALSE) or
    /// sent as added or changed, sorted and unique. Kept whether or not `present_phase` is set.
    std::vector<std::string> present;
    /// Entries handed to the entry handler.
    std::size_t changed = 0;
};

/// Called for each entry the server sent as added or changed, with its entryUUID (RFC 4122 text) from the
/// Sync State Control, in the server's order, on the awaiting coroutine's executor. It must not start
/// other operations on the same client and wait for them (they would queue behind the refresh).
using sync_entry_handler = std::function<void(entry&& e, const std::string& entry_uuid)>;

/// Runs a refreshOnly syncrepl search (Sync Request Control, critical) on `c`, streaming added and changed
/// entries to `on_entry` batch by batch, so memory holds one batch plus the UUID sets whatever the size of
/// the content. Errors: as for any search (kind search with the server's code: 12
/// unavailableCriticalExtension when the server has no syncprov, 4 sizeLimitExceeded, 32 noSuchObject;
/// timeout; disconnected), and kind protocol when an entry lacks its Sync State Control or a control or
/// Sync Info Message cannot be decoded. e-syncRefreshRequired is not an error: see `refresh_required`.
boost::asio::awaitable<boost::system::result<sync_refresh_result, error>> sync_refresh(
    client& c, sync_refresh_request request, sync_entry_handler on_entry);

/// Runs a refreshAndPersist syncrepl search (RFC 4533 §3.4) of `search` from `cookie` on `c` and calls
/// `on_change` once for every entry the server sends (added, changed or deleted since the cookie, in the
/// refresh stage and then as changes happen), as it arrives. It returns only when the search ends: an error
/// of kind disconnected when the connection drops (or the client is cancelled), code 4096
/// (sync_refresh_required_code) when the cookie is too old, kind search for another refusal, and kind
/// protocol when the server ends the search itself. For watching a source: what changed is read by the next
/// refresh, so entries are not handed out.
boost::asio::awaitable<boost::system::result<void, error>> sync_persist(client& c, search_request search,
                                                                        std::string cookie,
                                                                        std::function<void()> on_change);

}  // namespace dirsync::ldap
