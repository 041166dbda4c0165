#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "sync/plan.hpp"
#include "sync/safety.hpp"

namespace dirsync::store {
class database;
}

namespace dirsync::sync {

enum class run_status { running, ok, blocked, failed };

std::string_view to_string(run_status s) noexcept;
std::optional<run_status> parse_run_status(std::string_view s) noexcept;

/// One run of a source, as the history keeps it.
struct run_record {
    std::int64_t id = 0;
    std::string source;
    std::string tenant;
    std::string trigger;  ///< "schedule", "manual", "startup", "cli", "live"
    run_mode mode = run_mode::full;
    bool dry_run = false;
    common::timestamp started{};
    std::optional<common::timestamp> ended;  ///< nullopt while running
    run_status status = run_status::running;
    nlohmann::json counts = nlohmann::json::object();  ///< to_json(run_counts) as the run recorded it
    std::optional<std::string> blocked_reason;
    std::vector<std::string> errors;
    std::optional<std::string> released_by;
    std::optional<common::timestamp> released;
    std::optional<std::string> holder;  ///< the process that ran it ("host:pid"); null for older runs
    bool has_plan = false;              ///< its plan was kept (dry runs): run_log::plan
};

/// {"id", "source", "tenant", "trigger", "mode", "dry_run", "status", "started", "ended", "counts",
///  "blocked_reason", "errors", "released_by", "released", "holder", "has_plan"}; times in RFC 3339, absent
///  values null.
nlohmann::json to_json(const run_record& r);

/// A source's incremental state between runs.
struct source_state {
    std::string tenant;
    std::optional<common::timestamp> last_full;       ///< end of the last successful full run
    nlohmann::json state = nlohmann::json::object();  ///< syncrepl cookie, highest uSNChanged, ...
};

/// Why a release was refused.
struct release_error {
    enum class code {
        not_found,   ///< no run with this id of this source
        not_latest,  ///< not blocked, a dry run, or a blocked run older than the source's latest blocked one
    };
    code what = code::not_found;
    std::string message;  ///< one line for the operator
};

/// Why a run could not start: another run of the source is under way, here or in another process.
struct source_busy {
    std::string holder;       ///< the process running it ("host:pid")
    std::int64_t run_id = 0;  ///< its run
    std::string message;      ///< one line for the operator
};

/// The run history and incremental state of the sync sources, in the store's tables (sync_runs,
/// sync_state) through its writer and reader connections. These are the daemon's records about its sources,
/// not tenant records, so they do not go through directory/. Thread-safe like store::database.
///
/// One run per source, whoever starts it (the daemon's scheduler, `dirsyncd sync`, another instance on the
/// same store): a run holds its source's lease (sync_leases) from start_run to finish_run, renewed while it
/// goes on (`renew`). A lease is free once it expires (`lease_time` after the last renewal), or at once when
/// its holder was a process on this host that has ended.
class run_log {
  public:
    /// How long a lease lasts without renewal; holders renew it at a third of that.
    static constexpr std::chrono::milliseconds lease_time{std::chrono::seconds(60)};

    /// `holder`: how this process is named in leases and runs (common::instance_name()).
    explicit run_log(store::database& db, std::string holder = {});

    const std::string& holder() const noexcept { return holder_; }

    /// Takes the source's lease and records a run as started ("running"), in one transaction; returns its
    /// id, increasing. When the lease is held by a run under way (of this process or another), nothing is
    /// recorded and the holder is returned. A lease left by a run whose process ended is taken over and that
    /// run is marked failed ("interrupted").
    boost::system::result<std::int64_t, source_busy> start_run(std::string_view source,
                                                               std::string_view tenant,
                                                               std::string_view trigger, run_mode mode,
                                                               bool dry_run,
                                                               common::timestamp now = common::now());
    /// Extends the lease of run `id` of `source`; false when the run no longer holds it (it expired and was
    /// taken over): the run must end without writing more.
    bool renew(std::string_view source, std::int64_t id, common::timestamp now = common::now());
    /// Records how run `id` ended and releases its lease. `status` is ok, blocked or failed; `errors` are the
    /// first error messages; `plan` (a dry run's, as sync::to_json cut to size) is kept for `plan(id)`.
    void finish_run(std::int64_t id, run_status status, const nlohmann::json& counts,
                    const std::optional<std::string>& blocked_reason, const std::vector<std::string>& errors,
                    const std::optional<nlohmann::json>& plan = std::nullopt,
                    common::timestamp now = common::now());
    /// The plan run `id` kept; nullopt when there is no such run or it kept none.
    std::optional<nlohmann::json> plan(std::int64_t id) const;

    /// Live runs read as one continuous run: when finished run `id` of `source` is a live run that ended ok
    /// and orphaned nothing, and the run just before it is one too, of the same holder, `id`'s counts are
    /// added to that run, its end moves to `id`'s and `id` is removed. Returns the id the run's changes now
    /// stand under. Runs that orphaned stay apart, so the safety rules can count the orphans of recent live
    /// runs by their start; so do the runs of another instance (the watch moved), so the history says who
    /// ran each.
    std::int64_t fold_live_run(std::string_view source, std::int64_t id);

    /// Runs of `source` (all sources when empty), newest first, at most `limit`.
    std::vector<run_record> list_runs(std::string_view source, std::size_t limit) const;
    std::optional<run_record> get_run(std::int64_t id) const;
    /// How many records the live runs (trigger "live") of `source` that started at or after `since`
    /// orphaned, dry runs aside.
    std::size_t live_orphans_since(std::string_view source, common::timestamp since) const;

    /// An admin releases blocked run `id` of `source`: the next run of the source may orphan up to the number
    /// of records run `id` planned to (counts.orphans_planned). Only the source's latest blocked run that is
    /// not a dry run can be released; releasing it again changes nothing. Returns the run as released.
    boost::system::result<run_record, release_error> release(std::string_view source, std::int64_t id,
                                                             std::string_view actor,
                                                             common::timestamp now = common::now());
    /// What the next run of `source` may orphan beyond the safety limits: the allowance of the latest
    /// released run, unless a run after it (not a dry run) already finished ok or blocked.
    std::optional<release_allowance> allowance(std::string_view source) const;

    /// At daemon start: runs left "running" by a process that ended (a crash, kill -9) are marked failed
    /// ("interrupted"); a run whose lease is still held (a `dirsyncd sync` under way) is left alone. Returns
    /// how many were marked.
    std::int64_t fail_interrupted(common::timestamp now = common::now());

    std::optional<source_state> get_state(std::string_view source) const;
    /// Replaces the state of `source`.
    void put_state(std::string_view source, const source_state& state);

  private:
    store::database& db_;
    std::string holder_;
};

}  // namespace dirsync::sync
