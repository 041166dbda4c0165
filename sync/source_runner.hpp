#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/source_settings.hpp"
#include "directory/directory.hpp"
#include "sync/entry_mapper.hpp"
#include "sync/plan.hpp"
#include "sync/policy.hpp"
#include "sync/run_log.hpp"
#include "sync/run_progress.hpp"
#include "sync/source_reader.hpp"

namespace dirsync::sync {

/// What a run is asked to do, and who asked (the admin API's admin::run_request becomes one of these).
struct run_options {
    std::string trigger = "manual";  ///< "schedule", "manual", "startup", "cli", "live"
    std::optional<run_mode> mode;    ///< nullopt: what next_mode() says; for a dry run, full
    bool dry_run = false;
    /// Updated as the run goes on when set (a progress display); must outlive the run.
    run_progress* progress = nullptr;
};

/// How a run ended.
struct run_outcome {
    /// The run did not start: another run of the source is under way (here or in another process). No run
    /// was recorded (id 0); this says which and where.
    std::optional<source_busy> busy;
    std::int64_t id = 0;
    run_mode mode = run_mode::full;
    run_status status = run_status::failed;
    nlohmann::json counts = nlohmann::json::object();
    std::optional<std::string> blocked_reason;
    std::vector<std::string> errors;
    /// The plan, when the read succeeded (what `dirsyncd sync --dry-run` prints).
    std::optional<sync::plan> plan;
};

/// Runs one source end to end, whatever its kind: open a reader (`access.open`), read, map the records,
/// reconcile them with the records the source owns, check safety, apply the plan through the directory, and
/// record the run in the run log. Blocking: runs on the caller's thread (the scheduler gives each run a
/// thread). One run at a time per runner; `run` serializes callers.
///
/// Modes: a full run reads everything and may orphan; an incremental run reads what changed since the stored
/// state and orphans only what the source reports deleted (or no longer lists). A run is full when asked,
/// when the reader cannot continue from the stored state, when the last full run is older than
/// `schedule.full_every`, or when the source reads no changes. A read that fails at any point fails the run
/// before anything is written.
///
/// One run per source across processes: the run holds its source's lease in the run log (renewed by a
/// lease_heartbeat); when another run holds it, `run` records nothing and returns `busy`. A run that loses
/// its lease (not renewed for run_log::lease_time) stops before writing more and fails. A dry run keeps its
/// plan in the run log, lists cut to `kept_plan_entries` each.
class source_runner {
  public:
    /// Entries per list of a dry run's plan kept in the run log (the admin API's run plan).
    static constexpr std::size_t kept_plan_entries = 1000;

    /// `source` (its name, tenant, schedule and sync rules) must outlive the runner; `access` is how its
    /// kind is read.
    source_runner(const config::source_settings& source, source_access access, source_mapper mapper,
                  directory::tenant_directory& dir, run_log& log);

    const config::source_settings& settings() const noexcept { return source_; }

    /// While `*flag` is true a run's reads end at once ("cancelled") and the run fails without writing.
    void set_cancel_flag(const std::atomic<bool>* flag) noexcept { cancel_ = flag; }

    /// The mode the next run would have without an explicit one.
    run_mode next_mode(common::timestamp now) const;

    /// Performs a run. `on_started` is called with the run id as soon as it is recorded.
    run_outcome run(const run_options& request, const std::function<void(std::int64_t)>& on_started = {});

  private:
    /// next_mode for an already read state.
    run_mode mode_for(const std::optional<source_state>& stored, common::timestamp now) const;

    /// Whether a read of changes can continue from `stored`.
    bool continuable(const std::optional<source_state>& stored) const;

    const config::source_settings& source_;
    source_access access_;
    source_mapper mapper_;
    policy policy_;
    directory::tenant_directory& dir_;
    run_log& log_;
    std::mutex running_;
    const std::atomic<bool>* cancel_ = nullptr;
};

}  // namespace dirsync::sync
