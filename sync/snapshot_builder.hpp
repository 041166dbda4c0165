#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sha256.hpp"
#include "sync/entry_mapper.hpp"
#include "sync/position_index.hpp"
#include "sync/source_data.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

/// Collects the entries of one complete read of a source and turns them into the snapshot the reconcile
/// diffs (sync/reconcile.hpp). Feed it every user entry and every group entry as the reader streams them
/// (any order, users and groups interleaved), then call finish() once the read reached its end; a read that
/// failed or stopped early must not be finished (it is not a short snapshot, see snapshot).
///
/// finish() resolves group members from DNs (normalize_dn) to anchors of this read's users and groups;
/// members that are neither (outside the users' base or filter, another source) are left out with a note.
/// Members listed by name (posixGroup memberUid) resolve to the users whose groups.member_name_attribute
/// (uid) has that name, case-insensitively; names that match no user, or several, are left out with a note
/// naming them.
/// With `nested: flatten` each group lists every user reachable through nested groups (cycles are harmless)
/// and no member groups; with `nested: keep`, direct member users and direct member groups. Roles by group
/// (`when_member_of`) are granted through the groups read (nesting included) in addition to memberOf.
/// Two entries with one anchor: the second is skipped. Not thread-safe; one builder per run.
class snapshot_builder {
  public:
    /// `mapper` must outlive the builder. `nested` is the source's groups.nested.
    snapshot_builder(const source_mapper& mapper, bool flatten_nested_groups);
    // Its indexes refer to its own members.
    snapshot_builder(const snapshot_builder&) = delete;
    snapshot_builder& operator=(const snapshot_builder&) = delete;

    /// Makes room for about `users` users (the last full read's count), so the snapshot does not grow by
    /// doubling, briefly holding two copies of itself.
    void reserve(std::size_t users);

    /// The digest of the text the directory stores for the record this run compares an anchor's entry with
    /// (nullptr: no such record, or its digest is not known).
    using stored_digest_lookup = std::function<const common::sha256_digest*(std::string_view anchor)>;

    /// From now on, and for the users added so far, a user whose text the directory stores as it is keeps
    /// no text (source_user::stored_as_is): a run that changes little holds no second copy of what is
    /// stored. `stored` must answer for the records the run's reconcile compares with, until finish().
    void drop_stored_texts(stored_digest_lookup stored);

    /// Maps a user record into the snapshot, or records why it was skipped.
    void add_user(const source_record& e);

    /// Maps a group record into the snapshot, or records why it was skipped.
    void add_group(const source_record& e);

    /// The snapshot, with members and group roles resolved. Call once.
    snapshot finish();

    /// What was left out of entries that were kept ("dn: ..."): values that did not convert, unresolved
    /// members. For the run's log; capped at 1000 (the count is still right in note_count()).
    const std::vector<std::string>& notes() const noexcept { return notes_; }
    std::size_t note_count() const noexcept { return note_count_; }

  private:
    void note(std::string text);
    void drop_if_stored(source_user& u) const;

    const source_mapper& mapper_;
    bool flatten_;
    stored_digest_lookup stored_;
    snapshot out_;
    std::vector<std::string> user_dns_;  // normalize_dn() of out_.users[i].dn
    // (i, member_name_of()) of the users out_.users[i] that have a name: none when members are DNs.
    std::vector<std::pair<std::size_t, std::string>> user_names_;
    // Built as users are added (on the mapping thread, while the read goes on), not after the read.
    position_index users_by_anchor_;  // out_.users by anchor: a repeated anchor is skipped when added
    position_index users_by_dn_;      // out_.users by user_dns_; the first of a repeated DN
    std::vector<mapped_group> groups_;
    std::vector<std::string> notes_;
    std::size_t note_count_ = 0;
};

}  // namespace dirsync::sync
