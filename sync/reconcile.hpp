#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "directory/directory.hpp"
#include "sync/plan.hpp"
#include "sync/policy.hpp"
#include "sync/safety.hpp"
#include "sync/source_data.hpp"

namespace dirsync::sync {

/// The records a source owns in its tenant before a run (see load_current in sync/apply.hpp).
struct current_records {
    std::vector<directory::user_brief> users;
    std::vector<directory::group_brief> groups;
    /// Set when `users` holds only the records an incremental run touches: how many the source owns (the
    /// safety ratio counts against it).
    std::optional<std::size_t> owned_users = {};
};

/// The records `match_existing` may consider for an entry: users whose `key` equals `value`, as
/// directory::find_user_briefs answers. Called only for entries no record of the source has.
using candidate_lookup =
    std::function<std::vector<directory::user_brief>(match_key key, std::string_view value)>;

/// The stored resource text of the tenant's records with these ids, by id (directory::stored_user_resources):
/// read for the changed records whose brief carries only a digest.
using resource_lookup =
    std::function<std::unordered_map<std::string, std::string>(std::span<const std::string> ids)>;

/// Everything a reconcile reads besides the source's data.
struct reconcile_input {
    const policy& rules;
    const current_records& current;
    candidate_lookup candidates;  ///< may be empty when rules.match_existing is
    common::timestamp now;        ///< orphan ages are counted to it
    std::optional<release_allowance> allowance;
    /// Records the source's live runs orphaned within the last schedule interval (safety_input).
    std::size_t recent_orphans = 0;
    /// Must be set when a brief of `current` carries only a resource digest.
    resource_lookup stored_resources = {};
};

/// Plans a full run: diffs the snapshot against the records the source owns, by anchor.
///
/// - An entry whose anchor a record has: the record is updated when its resource (compared as canonical
///   JSON), roles or status differ; an unchanged record is not in the plan at all. A rename is an update.
///   Status follows the source's disabled state: disabled stays or becomes `disabled`; enabled turns a
///   `disabled` or `orphan` record `provisioned` and keeps any other status (active, requested, ...). An
///   orphan whose anchor is back is un-orphaned.
/// - An entry no record has: adopted by `match_existing` (first key with candidates decides; several
///   candidates, or one of a sync source, is skipped with a reason), otherwise created.
/// - A record whose anchor the snapshot lacks (and did not skip): newly orphaned (age set to `now`; status
///   `orphan`, or `disabled` when the policy's action says so; a disabled or requested record keeps its
///   status); an orphan already is disabled at `disable_after` and deleted at `delete_after`.
/// - Groups are planned likewise; members resolve from anchors to this source's records (others are ignored
///   with a note) and only members that are this source's records are ever removed. A group whose anchor is
///   gone is kept and reported (orphaned_groups).
/// - Safety (check_safety) may block the plan; see `plan`.
plan reconcile(snapshot s, const reconcile_input& in);

/// Plans an incremental run: the delta's entries are upserted as above; records are orphaned only for the
/// delta's deleted anchors (never for absence), and orphan ages are not acted on (full runs do that).
plan reconcile(delta d, const reconcile_input& in);

}  // namespace dirsync::sync
