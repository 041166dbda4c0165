#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "directory/group.hpp"
#include "directory/user_status.hpp"

namespace dirsync::sync {

/// Whether a run read its source in full (absence means gone) or incrementally (absence means unchanged).
enum class run_mode { full, incremental };

std::string_view to_string(run_mode m) noexcept;

/// A top-level attribute a change replaces; a null side means absent.
struct attribute_change {
    std::string name;
    nlohmann::json before;
    nlohmann::json after;
};

/// A record the source has and the tenant does not: created as `status` (provisioned, or disabled when the
/// source says so; the directory makes it `requested` when the tenant's seats are all used).
struct user_create {
    std::string anchor;
    std::string dn;
    /// The resource as compact JSON text (source_user::text: `active` in it is ignored, the status decides),
    /// parsed only when the create is applied or shown: a first run's 100,000 creates are held as text.
    std::string resource_text = "{}";
    directory::user_status status = directory::user_status::provisioned;  ///< what the source asks for
    std::vector<std::string> roles;
    /// The tenant will have no free seat for it (project_seats): it will be `requested`, as the directory
    /// decides when the create is applied. Shown in the plan; the create still asks for `status`.
    bool waits_for_seat = false;

    /// The resource to write: resource_text parsed, without id, meta and active.
    nlohmann::json resource() const;
};

/// Why an existing record is written.
enum class user_change_kind {
    update,          ///< attributes, roles or the source's disabled state changed (renames included)
    adopt,           ///< match_existing: a SCIM or admin record becomes this source's
    unorphan,        ///< the anchor is back: orphan age cleared, status restored (and any attribute changes)
    orphan,          ///< the anchor is gone: orphan age set, status `orphan` (or `disabled` by the policy)
    orphan_disable,  ///< an orphan reached the policy's disable_after
};

std::string_view to_string(user_change_kind k) noexcept;

/// A write to an existing record of this source (or one being adopted). Written only when something differs;
/// `version` is the version the plan saw, so a record changed since is not overwritten.
struct user_change {
    user_change_kind kind = user_change_kind::update;
    std::string id;
    std::int64_t version = 0;
    std::string anchor;       ///< this source's anchor (new for an adoption)
    std::string dn;           ///< where the source has it; empty when it no longer does
    std::string user_name;    ///< the record's userName before the change, for messages
    std::string from_source;  ///< adopt: the record's source before
    /// The new resource (without active) when attributes change; nullopt keeps the stored one.
    std::optional<nlohmann::json> resource;
    std::vector<attribute_change> attributes;  ///< the attributes `resource` changes, before/after
    directory::user_status status_before = directory::user_status::provisioned;
    directory::user_status status_after = directory::user_status::provisioned;
    std::vector<std::string> roles_before;
    std::optional<std::vector<std::string>> roles;  ///< the new roles when they change
    std::optional<common::timestamp> orphan_since_before;
    /// The new orphan age when it changes (an empty inner value clears it), as directory::user_write.
    std::optional<std::optional<common::timestamp>> orphan_since;
};

/// An orphan that reached the policy's delete_after.
struct user_delete {
    std::string id;
    std::int64_t version = 0;
    std::string anchor;
    std::string user_name;
    common::timestamp orphan_since{};
};

/// A member the source names, by anchor; `id` when the record exists already, nullopt when it is created in
/// the same run (resolved when the plan is applied).
struct planned_member {
    std::string anchor;
    directory::member_type type = directory::member_type::user;
    std::optional<std::string> id;
};

struct group_create {
    std::string anchor;
    std::string dn;
    nlohmann::json resource;  ///< without id, meta and members
    std::vector<planned_member> members;
};

/// A change of a group of this source: its resource and/or its members. Only members that are records of
/// this source are ever removed; members added by others are left alone.
struct group_update {
    std::string id;
    std::int64_t version = 0;
    std::string anchor;
    std::string dn;
    std::string display_name;  ///< before the change
    std::optional<nlohmann::json> resource;
    std::vector<attribute_change> attributes;
    std::vector<planned_member> add;
    std::vector<std::string> remove;  ///< member ids
};

/// A group of this source whose anchor is gone. It is kept as it is (members included) and reported: a
/// group has no status to flag, and no orphan age to count a grace period from, so deleting it is left to
/// an admin.
struct orphaned_group {
    std::string id;
    std::string anchor;
    std::string display_name;
};

/// What a reconcile of one source would do. Pure data: JSON-serialisable (to_json) for dry runs.
///
/// When `blocked` is set, the destructive part (orphans, disables, deletes, and group member removals) is
/// listed but not applied; creates, updates, adoptions, un-orphans and member additions still are.
struct plan {
    std::string source;
    std::string tenant;
    run_mode mode = run_mode::full;
    common::timestamp now{};

    std::vector<user_create> creates;
    std::vector<user_change> updates;   ///< kinds update, adopt, unorphan
    std::vector<user_change> orphans;   ///< kind orphan: new orphans of this run
    std::vector<user_change> disables;  ///< kind orphan_disable
    std::vector<user_delete> deletes;
    std::vector<group_create> group_creates;
    std::vector<group_update> group_updates;
    std::vector<orphaned_group> orphaned_groups;

    std::vector<std::string> skipped;  ///< "dn: reason": entries not written (ambiguous adoption, ...)
    std::vector<std::string> notes;    ///< informational: ignored members, kept groups, a release used

    std::size_t read_users = 0;  ///< users the snapshot or delta had
    std::size_t read_groups = 0;
    std::size_t owned_users = 0;      ///< users this source owned before the run
    std::size_t unchanged_users = 0;  ///< read and already as the source has them
    std::size_t unchanged_groups = 0;

    std::optional<std::string> blocked;  ///< why the destructive part is held back
    /// The released run whose allowance let this plan orphan above the limits.
    std::optional<std::int64_t> released_run;

    std::size_t member_removals() const noexcept;
};

/// Marks the creates of `p` that will find no free seat: with `free` seats left in the tenant (nullopt:
/// no limit), the creates into a seat-holding status beyond the first `free` of them wait in `requested`.
/// Seats the plan itself frees go to the users already waiting first, so they are not counted.
void project_seats(plan& p, std::optional<std::int64_t> free);

/// The plan as JSON: every entry with its before/after, counts, and the blocked reason. Each list holds at
/// most its first `max_per_list` entries; "totals" gives every list's full length and "truncated" whether
/// any list was cut.
nlohmann::json to_json(const plan& p, std::size_t max_per_list = SIZE_MAX);

}  // namespace dirsync::sync
