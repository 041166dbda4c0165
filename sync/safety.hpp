#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sync/plan.hpp"
#include "sync/policy.hpp"

namespace dirsync::sync {

/// An admin's release of a blocked run: the next run of the source may orphan up to `orphans` records
/// (the count the released run planned) whatever the limits say.
struct release_allowance {
    std::int64_t run_id = 0;
    std::size_t orphans = 0;
};

/// The numbers the safety rules look at.
struct safety_input {
    run_mode mode = run_mode::full;
    std::size_t owned_users = 0;  ///< users the source owned before the run (orphans included)
    std::size_t read_users = 0;   ///< users the snapshot had (full runs)
    std::size_t new_orphans = 0;  ///< records the run would newly orphan
    /// Records the source's live runs orphaned shortly before (reconcile_input::recent_orphans): they count
    /// with this run's, so that deletes arriving one by one are held like a burst read at once.
    std::size_t recent_orphans = 0;
};

struct safety_verdict {
    /// Why the run's destructive part must wait for an admin; nullopt when it may proceed. Several broken
    /// rules are joined with "; ".
    std::optional<std::string> blocked;
    /// Set when the limits were broken but `allowance` covered the run.
    std::optional<std::int64_t> released_run;
};

/// The safety rules. A run is blocked when it would newly orphan more than `max_orphans` records, or more
/// than `max_orphan_ratio` of the users the source owns (its new orphans and the recent ones together, when
/// it has new ones), or when a full read returned no users at all while the source owns some. An allowance
/// covering the run's new orphans lets it proceed. A read that failed
/// never gets here: it has no snapshot. Pure.
safety_verdict check_safety(const safety_limits& limits, const safety_input& in,
                            const std::optional<release_allowance>& allowance);

}  // namespace dirsync::sync
