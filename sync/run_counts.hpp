#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "sync/plan.hpp"

namespace dirsync::sync {

/// What a run did (or, for a dry run, would do), as recorded in the run history.
struct run_counts {
    std::size_t read = 0;  ///< users the snapshot or delta had
    std::size_t read_groups = 0;
    std::size_t unchanged = 0;  ///< users read that needed no write
    std::size_t created = 0;
    std::size_t requested = 0;  ///< of the created or re-enabled: made `requested` by the seat limit
    std::size_t updated = 0;
    std::size_t adopted = 0;
    std::size_t orphaned = 0;
    std::size_t unorphaned = 0;
    std::size_t disabled = 0;  ///< by the orphan policy
    std::size_t deleted = 0;   ///< by the orphan policy
    std::size_t groups_created = 0;
    std::size_t groups_updated = 0;
    std::size_t groups_orphaned = 0;  ///< kept, reported
    std::size_t memberships_added = 0;
    std::size_t memberships_removed = 0;
    std::size_t skipped = 0;
    std::size_t failed = 0;
    /// New orphans the plan found (applied or not): what releasing a blocked run allows the next one.
    std::size_t orphans_planned = 0;
    /// Orphans, disables, deletes and member removals not applied because the run was blocked.
    std::size_t held_back = 0;
};

/// The counts a plan would produce if applied in full (dry runs record these).
run_counts planned_counts(const plan& p);

/// {"read": ..., "created": ..., ...}: every field, by its name.
nlohmann::json to_json(const run_counts& c);

}  // namespace dirsync::sync
