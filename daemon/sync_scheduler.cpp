#include "daemon/sync_scheduler.hpp"

#include <malloc.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "common/log.hpp"
#include "daemon/source_access.hpp"
#include "daemon/source_watcher.hpp"
#include "sync/source_check.hpp"

namespace dirsync::daemon {

/// A source's settings and its runner (which refers to them), as one configuration defined them.
struct sync_scheduler::source_job {
    source_job(config::source_settings s, const sync::source_mapper& m, directory::tenant_directory& dir,
               sync::run_log& log)
        : settings(std::move(s)), access(access_for(settings, m)), runner(settings, access, m, dir, log) {}
    config::source_settings settings;
    sync::source_access access;  ///< `watch` is set for a live source
    sync::source_runner runner;  // its mapper is a copy sharing the compiled rules
};

struct sync_scheduler::slot {
    std::shared_ptr<source_job> job;      ///< replaced by a reload; a run holds the job it started with
    std::optional<std::int64_t> running;  ///< id of the run in progress
    bool launching = false;               ///< a run thread started but has no id yet
    std::shared_ptr<sync::run_progress> progress;  ///< of the latest run (shared with its thread)
    std::thread worker;                            ///< the latest run's thread (joined before the next)
    std::chrono::steady_clock::time_point next_due{};
    common::timestamp next_wall{};  ///< next_due as wall-clock time, for display
    /// Live sources: watches between runs; replaced with the job.
    std::unique_ptr<source_watcher> watcher;
    /// A live change arrived: run incrementally at this time (changes arriving meanwhile join the run).
    std::optional<std::chrono::steady_clock::time_point> live_at;
    bool live_full = false;  ///< the watch said the stored cookie is too old: the live run reads in full
};

namespace {

std::chrono::milliseconds random_up_to(std::chrono::milliseconds max) {
    if (max.count() <= 0) return std::chrono::milliseconds(0);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(0, max.count())(rng));
}

/// Delay of the first scheduled run after start-up: the daemon is serving before any sync starts.
constexpr std::chrono::milliseconds startup_delay{2000};

/// A live change waits this long for the changes that come with it (a rename is a delete and an add for
/// some servers; a bulk load sends many), so they are applied by one run.
constexpr std::chrono::milliseconds live_gather{50};

/// Whether the newest finished real run of `source` was blocked and nobody released it.
bool blocked_unreleased(const sync::run_log& log, std::string_view source) {
    for (const auto& r : log.list_runs(source, 50)) {
        if (r.dry_run || r.status == sync::run_status::running) continue;
        return r.status == sync::run_status::blocked && !r.released_by;
    }
    return false;
}

}  // namespace

sync_scheduler::sync_scheduler(const config::settings& settings, directory::tenant_directory& dir,
                               sync::run_log& log, store::instance_leases& leases)
    : dir_(dir), log_(log), leases_(leases) {
    if (auto n = log_.fail_interrupted(); n > 0)
        common::log_warning("sync: " + std::to_string(n) +
                            " run(s) interrupted by the last stop marked failed");
    for (auto& job : compile(settings)) {
        slots_.push_back(std::make_unique<slot>());
        slots_.back()->job = std::move(job);
    }
}

std::vector<std::shared_ptr<sync_scheduler::source_job>> sync_scheduler::compile(
    const config::settings& settings) {
    std::vector<std::shared_ptr<source_job>> jobs;
    for (const auto& source : settings.sources) {
        std::vector<config::diagnostic> problems;
        auto mapper = sync::compile_source(settings, source, problems);
        if (!mapper) {
            std::string text = "source " + source.name + ": invalid mapping rules";
            if (!problems.empty()) text += ": " + problems.front().message;
            throw std::runtime_error(text);
        }
        jobs.push_back(std::make_shared<source_job>(source, *mapper, dir_, log_));
        jobs.back()->runner.set_cancel_flag(&stopping_);
    }
    return jobs;
}

void sync_scheduler::schedule_first_run(slot& s, std::chrono::steady_clock::time_point now) {
    auto delay = startup_delay + random_up_to(s.job->settings.schedule.jitter);
    s.next_due = scheduled_ ? now + delay : std::chrono::steady_clock::time_point::max();
    s.next_wall = common::now() + delay;
}

void sync_scheduler::reconfigure(const config::settings& settings) {
    auto jobs = compile(settings);
    bool start_loop = false;
    std::vector<std::unique_ptr<source_watcher>> old_watchers;  // stopped outside the lock
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        const auto now = std::chrono::steady_clock::now();
        for (auto& s : slots_)
            if (s->watcher) old_watchers.push_back(std::move(s->watcher));
        std::vector<std::unique_ptr<slot>> kept;
        for (auto& job : jobs) {
            auto it = std::find_if(slots_.begin(), slots_.end(), [&](const auto& s) {
                return s && s->job->settings.name == job->settings.name;
            });
            if (it == slots_.end()) {
                kept.push_back(std::make_unique<slot>());
                kept.back()->job = std::move(job);
                if (started_) schedule_first_run(*kept.back(), now);
                continue;
            }
            auto& s = **it;
            const auto every = job->settings.schedule.every;
            s.job = std::move(job);
            // A shorter interval applies from now rather than after the old, longer one.
            if (started_ && scheduled_ && s.next_due != std::chrono::steady_clock::time_point::max() &&
                s.next_due > now + every) {
                s.next_due = now + every;
                s.next_wall = common::now() + every;
            }
            kept.push_back(std::move(*it));
        }
        for (auto& s : slots_) {
            if (!s) continue;  // moved to kept
            if (s->running || s->launching || s->worker.joinable()) retired_.push_back(std::move(s));
        }
        slots_ = std::move(kept);
        if (started_ && scheduled_)
            for (auto& s : slots_) start_watcher(*s);
        start_loop = started_ && scheduled_ && !scheduler_.joinable() && !slots_.empty();
        if (start_loop) scheduler_ = std::thread([this] { schedule_loop(); });
    }
    wake_.notify_all();
    old_watchers.clear();
}

sync_scheduler::~sync_scheduler() { stop(); }

void sync_scheduler::start(bool scheduled) {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    scheduled_ = scheduled;
    auto now = std::chrono::steady_clock::now();
    for (auto& s : slots_) {
        schedule_first_run(*s, now);
        if (scheduled) start_watcher(*s);
    }
    if (scheduled && !slots_.empty()) scheduler_ = std::thread([this] { schedule_loop(); });
}

void sync_scheduler::start_watcher(slot& s) {
    if (!s.job->access.watch) return;
    const std::string name = s.job->settings.name;
    auto mark = [this, name](bool full) {
        {
            std::lock_guard lock(mutex_);
            slot* target = find(name);
            if (target == nullptr) return;
            if (!target->live_at) target->live_at = std::chrono::steady_clock::now() + live_gather;
            target->live_full = target->live_full || full;
        }
        wake_.notify_all();
    };
    // The watch refers to the job's settings: it keeps the job alive while it runs.
    sync::change_watch watch =
        [job = s.job](const nlohmann::json& state, const std::function<void()>& changed,
                      const std::atomic<bool>* cancel) { return job->access.watch(state, changed, cancel); };
    s.watcher = std::make_unique<source_watcher>(
        name, std::move(watch), log_, leases_,
        source_watcher::callbacks{[mark] { mark(false); }, [mark] { mark(true); }});
}

void sync_scheduler::stop() {
    std::vector<std::unique_ptr<source_watcher>> watchers;
    {
        std::lock_guard lock(mutex_);
        if (stopping_.exchange(true)) return;
        for (auto& s : slots_)
            if (s->watcher) watchers.push_back(std::move(s->watcher));
    }
    wake_.notify_all();
    watchers.clear();  // outside the lock: a watcher's callback takes it
    if (scheduler_.joinable()) scheduler_.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(mutex_);
        for (auto* list : {&slots_, &retired_})
            for (auto& s : *list)
                if (s->worker.joinable()) workers.push_back(std::move(s->worker));
    }
    for (auto& w : workers) w.join();
}

sync_scheduler::slot* sync_scheduler::find(std::string_view name) const {
    for (const auto& s : slots_)
        if (s->job->settings.name == name) return s.get();
    return nullptr;
}

std::optional<std::int64_t> sync_scheduler::launch(slot& s, sync::run_options request,
                                                   std::unique_lock<std::mutex>& lock, std::string* busy) {
    if (s.running || s.launching || stopping_) return std::nullopt;
    if (s.worker.joinable()) {
        // The previous run has ended (running is clear); its thread is finishing its last statement.
        auto previous = std::move(s.worker);
        lock.unlock();
        previous.join();
        lock.lock();
        if (s.running || s.launching || stopping_) return std::nullopt;
    }
    s.launching = true;
    // Shared with the run's thread, which outlives this call.
    struct handshake {
        std::int64_t id = 0;
        std::string busy;  ///< why the run did not start: another holds the source
        bool done = false;
        std::condition_variable cv;
    };
    auto hs = std::make_shared<handshake>();
    s.progress = std::make_shared<sync::run_progress>();
    request.progress = s.progress.get();
    s.worker = std::thread([this, &s, job = s.job, request, hs, progress = s.progress] {
        auto on_started = [&](std::int64_t run_id) {
            std::lock_guard l(mutex_);
            s.running = run_id;
            s.launching = false;
            hs->id = run_id;
            hs->done = true;
            hs->cv.notify_all();
        };
        try {
            const auto outcome = job->runner.run(request, on_started);
            // Live changes read as one continuous run in the history (run_log::fold_live_run).
            if (!outcome.busy && request.trigger == "live" && outcome.status == sync::run_status::ok)
                log_.fold_live_run(job->settings.name, outcome.id);
            if (outcome.busy) {
                std::lock_guard l(mutex_);
                hs->busy = outcome.busy->message;
            } else if (run_observer_) {
                run_observer_(job->settings.name, request.dry_run, outcome);
            }
            // A full run of a large source allocates hundreds of MiB that malloc keeps: give them back.
            ::malloc_trim(0);
        } catch (const std::exception& e) {
            common::log_error("sync " + job->settings.name + ": run failed to start: " + e.what());
        }
        std::lock_guard l(mutex_);
        if (!hs->done) {  // the run could not even be recorded
            hs->done = true;
            hs->cv.notify_all();
        }
        s.running.reset();
        s.launching = false;
        wake_.notify_all();
    });
    hs->cv.wait(lock, [&] { return hs->done; });
    if (hs->id == 0) {
        if (busy) *busy = hs->busy;
        return std::nullopt;
    }
    return hs->id;
}

void sync_scheduler::schedule_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto now = std::chrono::steady_clock::now();
        auto next = std::chrono::steady_clock::time_point::max();
        for (auto& s : slots_) {
            if (s->next_due <= now && !s->running && !s->launching) {
                const auto& schedule = s->job->settings.schedule;
                auto delay = schedule.every + random_up_to(schedule.jitter);
                s->next_due = now + delay;
                s->next_wall = common::now() + delay;
                launch(*s, sync::run_options{"schedule", std::nullopt, false}, lock);
                if (stopping_) return;
                now = std::chrono::steady_clock::now();
            }
            if (s->live_at && *s->live_at <= now && !s->running && !s->launching) {
                const bool full = s->live_full;
                s->live_at.reset();
                s->live_full = false;
                // A held burst of deletes waits for an admin: live changes do not run into it again and
                // again (the scheduled runs still do).
                if (full || !blocked_unreleased(log_, s->job->settings.name)) {
                    launch(*s,
                           sync::run_options{
                               "live", full ? sync::run_mode::full : sync::run_mode::incremental, false},
                           lock);
                    if (stopping_) return;
                    now = std::chrono::steady_clock::now();
                }
            }
            if (!s->running && !s->launching) {
                next = std::min(next, s->next_due);
                if (s->live_at) next = std::min(next, *s->live_at);
            }
        }
        // With a run in progress its slot is not counted; its end wakes the loop.
        if (next == std::chrono::steady_clock::time_point::max())
            wake_.wait(lock);
        else
            wake_.wait_until(lock, next);
    }
}

nlohmann::json sync_scheduler::describe(const slot& s) const {
    const auto& cfg = s.job->settings;
    nlohmann::json j;
    j["name"] = cfg.name;
    j["tenant"] = cfg.tenant;
    j["type"] = config::type_name(cfg.kind);
    j["url"] = config::address_of(cfg.kind);
    j["schedule"] = {{"every_seconds", cfg.schedule.every.count() / 1000},
                     {"jitter_seconds", cfg.schedule.jitter.count() / 1000},
                     {"full_every_seconds", cfg.schedule.full_every.count() / 1000}};
    j["running_run"] = s.running ? nlohmann::json(*s.running) : nlohmann::json();
    if (s.running && s.progress) j["progress"] = sync::to_json(*s.progress);
    const bool scheduled = s.next_due != std::chrono::steady_clock::time_point::max() && started_;
    j["next_run"] = scheduled ? nlohmann::json(common::format_rfc3339(s.next_wall)) : nlohmann::json();
    j["next_mode"] = std::string(sync::to_string(s.job->runner.next_mode(common::now())));
    // The source's state is its runs that were not trials: a dry run (a trial configuration's included)
    // never becomes its last run; the newest dry run is shown apart.
    nlohmann::json last_run, last_dry_run;
    bool blocked = false, blocked_known = false;
    for (const auto& r : log_.list_runs(cfg.name, 50)) {
        if (r.dry_run) {
            if (last_dry_run.is_null()) last_dry_run = sync::to_json(r);
        } else {
            if (last_run.is_null()) last_run = sync::to_json(r);
            // Blocked: the newest finished real run was blocked and nobody released it.
            if (!blocked_known && r.status != sync::run_status::running) {
                blocked = r.status == sync::run_status::blocked && !r.released_by;
                blocked_known = true;
            }
        }
        if (blocked_known && !last_dry_run.is_null()) break;
    }
    j["last_run"] = std::move(last_run);
    j["last_dry_run"] = std::move(last_dry_run);
    j["blocked"] = blocked;
    if (s.watcher) j["live"] = s.watcher->status();
    return j;
}

std::vector<std::string> sync_scheduler::source_names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& s : slots_) out.push_back(s->job->settings.name);
    return out;
}

nlohmann::json sync_scheduler::sources() const {
    std::lock_guard lock(mutex_);
    auto out = nlohmann::json::array();
    for (const auto& s : slots_) out.push_back(describe(*s));
    return out;
}

admin::outcome sync_scheduler::source(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto* s = find(name);
    if (!s) return admin::refusal{404, "no source '" + std::string(name) + "'"};
    return describe(*s);
}

admin::outcome sync_scheduler::runs(std::string_view source, std::size_t limit) const {
    if (!source.empty() && !find(source))
        return admin::refusal{404, "no source '" + std::string(source) + "'"};
    auto out = nlohmann::json::array();
    for (const auto& r : log_.list_runs(source, limit)) out.push_back(sync::to_json(r));
    return out;
}

admin::outcome sync_scheduler::run(std::int64_t id) const {
    auto r = log_.get_run(id);
    if (!r) return admin::refusal{404, "no run " + std::to_string(id)};
    return sync::to_json(*r);
}

namespace {

/// The 409 for a source whose run `id` is under way in this process.
admin::refusal in_progress(std::int64_t id, std::string_view source) {
    return admin::refusal{409,
                          "run " + std::to_string(id) + " of " + std::string(source) +
                              " is in progress; one run per source at a time",
                          "run_in_progress"};
}

}  // namespace

admin::outcome sync_scheduler::plan(std::int64_t id) const {
    auto r = log_.get_run(id);
    if (!r) return admin::refusal{404, "no run " + std::to_string(id)};
    auto kept = log_.plan(id);
    if (!kept)
        return admin::refusal{404, "run " + std::to_string(id) + " kept no plan (" +
                                       (r->dry_run ? (r->status == sync::run_status::running
                                                          ? std::string("it is still running")
                                                          : std::string("its read failed"))
                                                   : std::string("only dry runs keep theirs")) +
                                       ")"};
    return std::move(*kept);
}

admin::outcome sync_scheduler::start_run(std::string_view source, const admin::run_request& request) {
    std::unique_lock lock(mutex_);
    auto* s = find(source);
    if (!s) return admin::refusal{404, "no source '" + std::string(source) + "'"};
    if (stopping_) return admin::refusal{503, "the daemon is stopping"};
    if (s->running) return in_progress(*s->running, source);
    sync::run_options r;
    r.trigger = "manual";
    r.dry_run = request.dry_run;
    if (request.mode)
        r.mode = *request.mode == "incremental" ? sync::run_mode::incremental : sync::run_mode::full;
    std::string busy;
    auto id = launch(*s, r, lock, &busy);
    if (!id) {
        if (s->running) return in_progress(*s->running, source);
        if (!busy.empty()) return admin::refusal{409, busy, "run_in_progress"};
        return admin::refusal{503, "the run could not be started"};
    }
    common::log_info("sync " + std::string(source) + ": run " + std::to_string(*id) + " started by " +
                     request.actor);
    return nlohmann::json{{"run", *id}, {"source", std::string(source)}, {"dry_run", request.dry_run}};
}

admin::outcome sync_scheduler::release(std::string_view source, std::int64_t id, std::string_view actor) {
    {
        std::lock_guard lock(mutex_);
        if (!find(source)) return admin::refusal{404, "no source '" + std::string(source) + "'"};
    }
    auto released = log_.release(source, id, actor);
    if (!released) {
        auto status = released.error().what == sync::release_error::code::not_found ? 404u : 409u;
        return admin::refusal{status, released.error().message};
    }
    common::log_warning("sync " + std::string(source) + ": blocked run " + std::to_string(id) +
                        " released by " + std::string(actor) + "; the next run may orphan what it planned");
    {
        std::lock_guard lock(mutex_);
        if (auto* s = find(source);
            s && started_ && s->next_due != std::chrono::steady_clock::time_point::max()) {
            s->next_due = std::chrono::steady_clock::now();
            s->next_wall = common::now();
        }
    }
    wake_.notify_all();
    return sync::to_json(*released);
}

}  // namespace dirsync::daemon
