#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::sync {

/// An indexed attribute by which a source may adopt a record that already exists (`match_existing`).
enum class match_key {
    external_id,  ///< externalId, exactly
    user_name,    ///< userName, case-insensitively
    email,        ///< any of emails[].value, case-insensitively
};

std::string_view to_string(match_key k) noexcept;

/// What happens to a record whose anchor its source no longer has.
struct orphan_policy {
    enum class first_action {
        flag,     ///< status `orphan`: still enabled, visible to admins
        disable,  ///< status `disabled` at once
    };
    first_action action = first_action::flag;
    /// Age (since the anchor was first found gone) at which an orphan is disabled; nullopt: never.
    std::optional<std::chrono::milliseconds> disable_after;
    /// Age at which an orphan is deleted; nullopt: never (the default; deleting is the admin's choice).
    std::optional<std::chrono::milliseconds> delete_after;
};

/// Thresholds above which a run's orphaning is blocked until an admin releases it. Absent: no limit.
struct safety_limits {
    std::optional<std::size_t> max_orphans;  ///< new orphans in one run
    std::optional<double> max_orphan_ratio;  ///< new orphans / users the source owns, in [0, 1]
};

/// How a source's nested groups become tenant groups.
enum class nested_groups {
    flatten,  ///< each group lists every user reachable through nesting; no group members
    keep,     ///< groups keep their member groups (member_group_anchors)
};

/// What a reconcile of one source needs to know about it: the sync side of the source's configuration
/// (the daemon converts config's settings into this).
struct policy {
    std::string source;  ///< the source's name; records it owns have it as their `source`
    std::string tenant;
    /// Keys tried in order for an entry that no record of this source has: the first key with candidates
    /// decides (one adoptable record: adopted; several: ambiguous, skipped). Empty: never adopt.
    std::vector<match_key> match_existing;
    safety_limits safety;
    orphan_policy orphans;
    nested_groups nested = nested_groups::flatten;
};

/// The sources of records a sync may adopt by `match_existing`: those pushed by SCIM or made by an admin.
/// Records of sync sources (any other `source`) are never adopted.
bool is_adoptable_source(std::string_view record_source) noexcept;

}  // namespace dirsync::sync
