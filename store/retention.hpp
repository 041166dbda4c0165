#pragma once

#include <cstddef>
#include <cstdint>

#include "store/connection.hpp"

// Pruning of the tables that grow with time: sync run history, the audit log and delivered notifications.
// Each call deletes at most `limit` rows, so that a caller holding the writer for one call holds it briefly;
// the caller repeats until a call deletes fewer than `limit`.
namespace dirsync::store::retention {

/// Runs of any source that ended before `cutoff_ms`, and runs of a source beyond its newest `keep_newest`;
/// never a run in progress, nor a blocked run nobody released (what a source's safety state rests on).
std::size_t prune_sync_runs(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest,
                            std::size_t limit);

/// Audit events older than `cutoff_ms` (among the oldest `limit` events: the log is in time order), and the
/// events of a tenant beyond its newest `keep_newest`.
std::size_t prune_audit(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest, std::size_t limit);

/// Notifications delivered before `cutoff_ms` (pending and failed ones are kept: they are still work).
std::size_t prune_delivered_notifications(connection& db, std::int64_t cutoff_ms, std::size_t limit);

}  // namespace dirsync::store::retention
