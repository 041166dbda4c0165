#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::sync_run_table {

/// Rows of sync_runs (run history) and sync_state (a source's incremental state). These are the daemon's
/// records about its sources, not tenant records: they do not go through directory/. Writes throw
/// database_error.

struct run_row {
    std::int64_t id = 0;  ///< assigned on insert, increasing
    std::string source;
    std::string tenant_id;
    std::string trigger;
    std::string mode;  ///< "full" or "incremental"
    bool dry_run = false;
    std::int64_t started_ms = 0;
    std::optional<std::int64_t> ended_ms;
    std::string status;  ///< "running", "ok", "blocked" or "failed"
    std::string counts_json = "{}";
    std::optional<std::string> blocked_reason;
    std::string errors_json = "[]";
    std::optional<std::string> released_by;
    std::optional<std::int64_t> released_ms;
    std::optional<std::string> holder;  ///< the process that ran it ("host:pid"); null for older runs
    bool has_plan = false;              ///< a plan was kept (read it with `plan_of`)
};

/// Inserts a run (status and holder as given, normally "running"); returns its id.
std::int64_t insert(connection& db, const run_row& row);
/// Sets the outcome of run `id` (status, ended_ms, counts, blocked_reason, errors) and keeps `plan_json`
/// when given; false when there is no such run.
bool finish(connection& db, const run_row& row, const std::optional<std::string>& plan_json = std::nullopt);
/// The plan run `id` kept (JSON text), if any.
std::optional<std::string> plan_of(connection& db, std::int64_t id);
std::optional<run_row> find(connection& db, std::int64_t id);
/// Runs of `source` (all sources when nullopt), newest first, at most `limit`.
std::vector<run_row> latest(connection& db, std::optional<std::string_view> source, std::int64_t limit);
/// The run of `source` just before `id` (the highest id below it), if any.
std::optional<run_row> previous(connection& db, std::string_view source, std::int64_t id);
/// Deletes run `id` (a finished one: its lease is gone).
void remove(connection& db, std::int64_t id);
/// The newest blocked, not dry, run of `source`.
std::optional<run_row> latest_blocked(connection& db, std::string_view source);
/// The newest released run of `source`.
std::optional<run_row> latest_released(connection& db, std::string_view source);
/// Whether a run of `source` newer than `id`, not dry, finished ok or blocked.
bool finished_after(connection& db, std::string_view source, std::int64_t id);
/// The sum of counts.orphaned over the runs of `source` with `trigger`, not dry, started at or after
/// `since_ms`.
std::int64_t orphaned_since(connection& db, std::string_view source, std::string_view trigger,
                            std::int64_t since_ms);
/// Records who released run `id` and when.
void set_released(connection& db, std::int64_t id, std::string_view by, std::int64_t when_ms);
/// Runs still "running", oldest first.
std::vector<run_row> running(connection& db);
/// Marks run `id`, if still "running", as failed at `when_ms` with `errors_json`; whether it was.
bool fail_if_running(connection& db, std::int64_t id, std::int64_t when_ms, std::string_view errors_json);

/// Who runs a source now (sync_leases).
struct lease_row {
    std::string source;
    std::string holder;
    std::int64_t run_id = 0;
    std::int64_t expires_ms = 0;
};

std::optional<lease_row> find_lease(connection& db, std::string_view source);
/// Inserts or replaces the lease of `row.source`.
void put_lease(connection& db, const lease_row& row);
/// Extends the lease of `source` to `expires_ms` if `holder` still holds it for `run_id`; whether it did.
bool renew_lease(connection& db, std::string_view source, std::string_view holder, std::int64_t run_id,
                 std::int64_t expires_ms);
/// Drops the lease held for run `run_id`, if any.
void drop_lease(connection& db, std::int64_t run_id);

struct state_row {
    std::string source;
    std::string tenant_id;
    std::optional<std::int64_t> last_full_ms;
    std::string state_json = "{}";
};

std::optional<state_row> find_state(connection& db, std::string_view source);
/// Inserts or replaces the state of `row.source`.
void put_state(connection& db, const state_row& row);

}  // namespace dirsync::store::sync_run_table
