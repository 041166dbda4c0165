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
#include "ldap/source_query.hpp"

namespace dirsync::ldap {

class client;

/// Where a read streams what it finds, called in order on the awaiting coroutine's executor. Only the entry
/// in hand and the current page are in memory: a 100,000-entry directory is never held whole. A handler
/// must not start operations on the same client and wait for them. Any handler may be empty.
struct source_handlers {
    /// A user entry (the users search's attributes, plus the anchor attribute) with its anchor.
    std::function<void(entry&& e, std::string anchor)> on_user;
    /// A group entry with its anchor; `member_attribute` complete (ranged values retrieved).
    std::function<void(entry&& e, std::string anchor)> on_group;
    /// The user with `anchor` matches role filter number `role` of source_query::role_filters.
    std::function<void(std::size_t role, std::string anchor)> on_role_member;
    /// A user or group that cannot be used, and why ("no usable entryUUID").
    std::function<void(std::string dn, std::string reason)> on_skipped;
};

/// What a full read did; its handlers got the data.
struct full_read_result {
    std::size_t users = 0;
    std::size_t groups = 0;
    std::size_t skipped = 0;
    std::vector<std::size_t> role_members;  ///< per role filter
    /// The state for the next incremental read, taken before the entries were read (a change made during
    /// the read is seen again by the next incremental read, never missed).
    incremental_state state;
};

/// Reads a source whole: the users (paged, `query.users` with the anchor attribute added), then the groups
/// (paged, with `member_attribute`, ranged values completed), then, for each role filter, the users
/// matching `(&(<users filter>)(<role filter>))` (anchor attribute only). It also takes the state that an
/// incremental read with `method` starts from: syncrepl cookies (which requires the anchor attribute to be
/// entryUUID), the highestCommittedUSN of the domain controller serving the read, or the modifyTimestamp
/// high-water mark (modifyTimestamp is then requested too).
///
/// Any failure (connection lost, timeout, a size or time limit, a server error, a page that cannot be
/// decoded) is an error: a read that did not reach its end never looks complete. Handlers have been called
/// for what came before; the caller drops it. Errors: those of the searches; kind settings for syncrepl
/// with another anchor attribute; kind protocol when the RootDSE lacks highestCommittedUSN (not Active
/// Directory).
boost::asio::awaitable<boost::system::result<full_read_result, error>> read_full(client& c,
                                                                                 const source_query& query,
                                                                                 incremental_method method,
                                                                                 source_handlers handlers);

/// What an incremental read found; its handlers got the added and changed entries.
struct incremental_result {
    /// The state cannot serve an incremental read: the syncrepl cookie is too old (e-syncRefreshRequired),
    /// the domain controller has no high-water mark or was restored (another invocationId), or there is no
    /// state for the method. Nothing was read; do a full read. `reason` says which.
    bool full_read_required = false;
    std::string reason;

    std::size_t users = 0;   ///< users handed to on_user (added or changed)
    std::size_t groups = 0;  ///< groups handed to on_group
    std::size_t skipped = 0;
    /// Role memberships of the users handed to on_user: each of them that on_role_member did not name
    /// for a role does not hold it. When many users changed (over 1,000), the role filters are evaluated
    /// over all users, so on_role_member may also name unchanged users (correctly). Roles of unchanged users
    /// are unchanged, with one exception the caller must know about: a role filter on a back-link such as
    /// Active Directory's memberOf does not change the user's uSNChanged or modifyTimestamp, so such role
    /// changes wait for a full read.
    std::vector<std::size_t> role_members;
    /// syncrepl only: anchors (entryUUIDs) of users and groups that left their search (deleted, moved out,
    /// no longer matching), sorted. May name entries the caller never had. Other methods cannot see
    /// deletes; full reads find them.
    std::vector<std::string> deleted_anchors;
    /// syncrepl only, when the server used a present phase for the users (resp. groups) search: every user
    /// (group) of this source not listed here is gone. Sorted.
    std::optional<std::vector<std::string>> present_users;
    std::optional<std::vector<std::string>> present_groups;
    /// The state for the next incremental read; `previous` when full_read_required.
    incremental_state state;
};

/// Reads what changed since `previous` (whose method decides how): syncrepl refreshOnly with the stored
/// cookies; Active Directory `(&(<filter>)(uSNChanged>=<N+1>))` with N the high-water mark of the DC
/// serving this connection (RootDSE dnsHostName); or `(&(<filter>)(modifyTimestamp>=<since>))`. Users and
/// groups changed are streamed like a full read; then the role filters are evaluated for the changed users
/// only. Errors as read_full: a failed incremental read is an error, and the stored state stays valid.
boost::asio::awaitable<boost::system::result<incremental_result, error>> read_incremental(
    client& c, const source_query& query, const incremental_state& previous, source_handlers handlers);

}  // namespace dirsync::ldap
