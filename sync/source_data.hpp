#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.hpp"

namespace dirsync::sync {

/// One user as a source has it, after the source's mapping rules ran: what the tenant record owned by this
/// source should look like. Produced by the mapping (sync/entry_mapper) from a source entry; consumed by the
/// reconcile (sync/reconcile).
struct source_user {
    /// The immutable id of the entry in its source (entryUUID, objectGUID in canonical GUID form, nsUniqueId,
    /// ipaUniqueID, or an IdP's id). Never empty: an entry without one is skipped with an error by the
    /// mapper.
    std::string anchor;
    /// Where the entry was (its DN), for messages and plans only; never used to identify the record.
    std::string dn;
    /// The canonical SCIM User resource the mapping built (core attributes at the top level, extension
    /// attributes under their schema URN, `schemas` filled in), without `id`, `meta` and `active`. Null once
    /// compact().
    nlohmann::json resource = nlohmann::json::object();
    /// The same resource in compact form: the text the directory stores for it (nlohmann's dump, keys sorted,
    /// `active` set to !disabled), a fifth of the tree's memory. Empty until compact(). A snapshot keeps its
    /// users compact, so a full read of 100,000 users is held as text.
    std::string text;
    /// The source says the account is disabled (AD userAccountControl bit 2, nsAccountLock, ...).
    bool disabled = false;
    /// The record this run compares the entry with (the one current_records has under `anchor`) stores
    /// exactly this text, so it was dropped (snapshot_builder::drop_stored_texts): the resource is unchanged
    /// and `text` and `resource` are empty. stored_text(), take_resource() and resource_tree() throw.
    bool stored_as_is = false;
    /// Roles granted by the source's role rules, sorted and unique.
    std::vector<std::string> roles;

    /// Replaces `resource` by `text`. Call once `disabled` is known; does nothing when already compact.
    /// When the text's SHA-256 is `*stored_digest` (the text the directory stores for the record), the
    /// text is not kept either: the user is stored_as_is. It is compared before the text is copied out of
    /// a scratch buffer, so a run that changes little allocates no text for its users.
    void compact(const common::sha256_digest* stored_digest = nullptr);
    /// The text the directory would store for this resource (`text`, or computed from `resource`).
    std::string stored_text() const;
    /// The text the directory would store for this resource is `stored` (compared without copying `text`).
    bool stored_text_is(std::string_view stored) const;
    /// The text the directory would store for this resource has the SHA-256 `digest`.
    bool stored_text_digest_is(const common::sha256_digest& digest) const;
    /// The resource as a tree, without `active` (`resource`, or `text` parsed), moved out of this user.
    nlohmann::json take_resource();
    /// A copy of the resource as a tree, without `active`.
    nlohmann::json resource_tree() const;
};

/// A resource's stored text (source_user::text, user_create::resource_text) parsed back into a tree, without
/// `active`: the status decides that, not the resource.
nlohmann::json parse_stored_resource(const std::string& text);

/// One group as a source has it, after mapping.
struct source_group {
    std::string anchor;  ///< immutable id in the source, as for users
    std::string dn;      ///< for messages and plans only
    /// The canonical SCIM Group resource (displayName, externalId, ...), without id, meta and members.
    nlohmann::json resource = nlohmann::json::object();
    /// Members that are users of this source, by anchor. With `nested: flatten` this is every user reachable
    /// through nested groups and `member_group_anchors` is empty.
    std::vector<std::string> member_user_anchors;
    /// Members that are groups of this source, by anchor (`nested: keep`).
    std::vector<std::string> member_group_anchors;
};

/// Everything a full read of a source returned. Only a read that reached its end produces a snapshot: a read
/// that failed, timed out or ended early is an error, never a short snapshot.
struct snapshot {
    std::vector<source_user> users;
    std::vector<source_group> groups;
    /// Entries the reader or mapper skipped (no anchor, a required attribute missing, ...): "dn: reason".
    /// A skipped entry that the source owns a record for is neither updated nor orphaned.
    std::vector<std::string> skipped;
    /// Anchors of skipped entries, when known, so their records are not orphaned.
    std::vector<std::string> skipped_anchors;
};

/// What an incremental read returned: entries added or changed since the stored state, and anchors deleted
/// (syncrepl only; other incremental methods cannot see deletes, full runs find them).
struct delta {
    std::vector<source_user> users;
    std::vector<source_group> groups;
    std::vector<std::string> deleted_anchors;  ///< users or groups
    std::vector<std::string> skipped;
    std::vector<std::string> skipped_anchors;
};

}  // namespace dirsync::sync
