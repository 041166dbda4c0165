#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "admin/sync_control.hpp"
#include "config/settings.hpp"
#include "directory/directory.hpp"
#include "store/instance_leases.hpp"
#include "sync/run_log.hpp"
#include "sync/source_runner.hpp"

namespace dirsync::daemon {

/// Runs every configured source on its schedule inside the daemon, and lets the admin API look at and
/// start runs. One run per source at a time; runs of different sources may overlap. Each run has a thread
/// of its own (source_runner is blocking), so SCIM requests on the I/O threads never wait for a sync.
///
/// Schedule: the first run of each source starts shortly after `start()` (plus 0..jitter), then every
/// `schedule.every` (plus 0..jitter) after the previous run's start; a run is full or incremental as
/// source_runner::next_mode decides. A release of a blocked run schedules the source's next run at once.
/// A live source (`live: true`) is also watched between runs (daemon::source_watcher, by one instance of
/// those sharing the store): each change starts an incremental run (trigger "live") 50 ms later, or after the
/// run in progress, unless the source's last run is blocked and not released; a live run that ended ok is
/// folded into the live run before it (sync::run_log::fold_live_run). Runs left "running" by a crash are
/// marked failed at construction.
class sync_scheduler : public admin::sync_control {
  public:
    /// Compiles every source's mapping rules (checked at load already; a failure here throws). `leases`
    /// decide which instance watches each live source (daemon::source_watcher).
    sync_scheduler(const config::settings& settings, directory::tenant_directory& dir, sync::run_log& log,
                   store::instance_leases& leases);
    ~sync_scheduler() override;

    /// Called on the run's thread as each run ends (for metrics): its source, whether it was a dry run,
    /// and the outcome. Set before start(); must not throw.
    using run_observer = std::function<void(std::string_view source, bool dry_run, const sync::run_outcome&)>;
    void set_run_observer(run_observer observer) { run_observer_ = std::move(observer); }

    /// The names of the configured sources, in configuration order.
    std::vector<std::string> source_names() const;

    /// Starts the schedule. With `scheduled` false, runs start only when asked through the API.
    void start(bool scheduled = true);
    /// Takes the sources of reloaded `settings`: a new source is scheduled as at start-up, a changed one
    /// runs with its new rules and schedule from its next run on (a run in progress finishes with the
    /// rules it started with, and the source still runs once at a time), a removed one is no longer
    /// scheduled or listed (its run in progress finishes). Throws, changing nothing, when a source's
    /// mapping rules do not compile (checked at load already).
    void reconfigure(const config::settings& settings);
    /// Stops the schedule, cancels runs in progress (their reads end with "cancelled", nothing more is
    /// written) and waits for them. Idempotent.
    void stop();

    nlohmann::json sources() const override;
    admin::outcome source(std::string_view name) const override;
    admin::outcome runs(std::string_view source, std::size_t limit) const override;
    admin::outcome run(std::int64_t id) const override;
    admin::outcome plan(std::int64_t id) const override;
    admin::outcome start_run(std::string_view source, const admin::run_request& request) override;
    admin::outcome release(std::string_view source, std::int64_t id, std::string_view actor) override;

  private:
    struct source_job;
    struct slot;
    /// Every source of `settings` with its compiled rules; throws for rules that do not compile.
    std::vector<std::shared_ptr<source_job>> compile(const config::settings& settings);
    /// When a source (re)configured at `now` first runs: shortly after start-up or reload.
    void schedule_first_run(slot& s, std::chrono::steady_clock::time_point now);
    slot* find(std::string_view name) const;
    nlohmann::json describe(const slot& s) const;
    /// Starts a run of `s` on a new thread unless one is running; returns its id, or nullopt when busy (with
    /// `*busy` set when another process holds the source). Called with mutex_ held.
    std::optional<std::int64_t> launch(slot& s, sync::run_options request, std::unique_lock<std::mutex>& lock,
                                       std::string* busy = nullptr);
    void schedule_loop();
    /// Starts watching `s` when its source is live. Called with mutex_ held.
    void start_watcher(slot& s);

    directory::tenant_directory& dir_;
    sync::run_log& log_;
    store::instance_leases& leases_;
    std::vector<std::unique_ptr<slot>> slots_;
    /// Sources a reload removed while their run was in progress: kept until stop() joins their threads.
    std::vector<std::unique_ptr<slot>> retired_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
    bool started_ = false;
    bool scheduled_ = false;
    std::thread scheduler_;
    run_observer run_observer_;
};

}  // namespace dirsync::daemon
