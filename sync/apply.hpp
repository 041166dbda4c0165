#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/directory.hpp"
#include "sync/plan.hpp"
#include "sync/reconcile.hpp"
#include "sync/run_counts.hpp"

namespace dirsync::sync {

/// The records `source` owns in `tenant`, as a reconcile reads them: users and groups, each from one
/// consistent snapshot, through the directory's (tenant, source) indexes. The users' briefs carry their
/// resources' digests, not the texts (a reconcile reads the texts it needs with directory_resources).
current_records load_current(const directory::tenant_directory& dir, std::string_view tenant,
                             std::string_view source);

/// Only the records `source` owns in `tenant` under `anchors` (users and groups; anchors nothing has are left
/// out), and how many users it owns: what an incremental run's reconcile needs when it neither lists every
/// present entry nor orphans by absence. One indexed read per anchor, so its cost follows the change, not
/// the source.
current_records load_anchored(const directory::tenant_directory& dir, std::string_view tenant,
                              std::string_view source, const std::vector<std::string>& anchors);

/// A candidate_lookup answered by the directory's indexes (externalId exactly, userName and emails
/// case-insensitively), for `tenant`.
candidate_lookup directory_candidates(const directory::tenant_directory& dir, std::string tenant);

/// A resource_lookup answered by the directory, for `tenant`.
resource_lookup directory_resources(const directory::tenant_directory& dir, std::string tenant);

struct apply_options {
    std::size_t chunk_size = 1000;  ///< changes per write transaction (readers wait for none of them long)
    std::size_t max_errors = 20;    ///< error messages kept; all failures are counted
    /// Called after each committed chunk with the number of the plan's changes it held (for a progress
    /// display; `applied_changes(plan)` in all).
    std::function<void(std::size_t)> on_chunk{};
    /// Asked before each chunk; false stops the apply with `apply_stopped` (the chunks before stay).
    std::function<bool()> proceed{};
};

/// Thrown by apply() when `proceed` said no.
struct apply_stopped {};

/// How many changes apply() reports through on_chunk for `p`: creates, updates, group creates and updates,
/// and unless the plan is blocked, orphans, disables and deletes.
std::size_t applied_changes(const plan& p) noexcept;

struct apply_result {
    run_counts counts;
    std::vector<std::string> errors;  ///< "dn: reason" for the first failed entries
};

/// Executes `p` through the directory's write path, as actor "source:<p.source>", in transactions of
/// `chunk_size` changes each: user creates, updates, adoptions and un-orphans first, then groups (created
/// ones, then changed ones), then orphans, policy disables and deletes. Each change is written only if the
/// record still has the version the plan saw.
///
/// A blocked plan's destructive part (orphans, disables, deletes, member removals) is not applied and is
/// counted `held_back`. An entry whose write fails (userName taken by an unrelated record, a record changed
/// since the plan, ...) is counted `failed` with "dn: reason" and the run goes on. Members whose record
/// could not be created are left out. Store failures throw; the chunks committed before stay.
apply_result apply(directory::tenant_directory& dir, const plan& p, const apply_options& opts = {});

}  // namespace dirsync::sync
