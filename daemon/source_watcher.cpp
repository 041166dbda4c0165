#include "daemon/source_watcher.hpp"

#include "common/clock.hpp"
#include "common/lease_heartbeat.hpp"
#include "common/log.hpp"

namespace dirsync::daemon {

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds first_backoff = 1s;
constexpr std::chrono::milliseconds max_backoff = 60s;
/// A watch that lasted this long was working: the next failure starts the backoff over.
constexpr std::chrono::milliseconds healthy_watch = 60s;
/// How often a source without a stored state yet is looked at.
constexpr std::chrono::milliseconds state_poll = 1s;

}  // namespace

source_watcher::source_watcher(std::string source, sync::change_watch watch, sync::run_log& log,
                               store::instance_leases& leases, callbacks on)
    : source_(std::move(source)),
      watch_(std::move(watch)),
      log_(log),
      leases_(leases),
      lease_name_("watch/" + source_),
      on_(std::move(on)) {
    thread_ = std::thread([this] { loop(); });
}

source_watcher::~source_watcher() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        halt_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

nlohmann::json source_watcher::status() const {
    std::lock_guard lock(mutex_);
    return {{"watching", watching_},
            {"since", since_ ? nlohmann::json(common::format_rfc3339(*since_)) : nlohmann::json()},
            {"last_error", last_error_ ? nlohmann::json(*last_error_) : nlohmann::json()},
            {"watched_by", watched_by_ ? nlohmann::json(*watched_by_) : nlohmann::json()}};
}

bool source_watcher::pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, d, [this] { return stop_.load(); });
}

bool source_watcher::take_lease() {
    std::optional<std::string> other;
    try {
        // A read first: standing by costs no write.
        other = leases_.holder_of(lease_name_);
        if (!other || *other == leases_.holder()) other = leases_.take(lease_name_, lease_time);
    } catch (const std::exception& e) {
        common::log_warning("sync " + source_ + ": live watch cannot take its lease: " + e.what(),
                            {{"source", source_}});
        std::lock_guard lock(mutex_);
        watched_by_.reset();
        return false;
    }
    std::lock_guard lock(mutex_);
    if (other) {
        if (watched_by_ != other)
            common::log_info("sync " + source_ + ": live changes are watched by " + *other + "; standing by",
                             {{"source", source_}});
        watched_by_ = std::move(other);
        return false;
    }
    watched_by_ = leases_.holder();
    return true;
}

sync::watch_end source_watcher::watch_holding_lease(const nlohmann::json& state) {
    // Set under the mutex unless stopping: a stop from here on ends the watch (the destructor sets halt_).
    bool stopping = false;
    {
        std::lock_guard lock(mutex_);
        stopping = stop_;
        if (!stopping) {
            halt_ = false;
            watching_ = true;
            since_ = common::now();
        }
    }
    sync::watch_end end;
    bool lost = false;
    if (!stopping) {
        common::lease_heartbeat heartbeat([this] { return leases_.renew(lease_name_, lease_time); },
                                          lease_time / 3, "sync " + source_ + ": live watch",
                                          [this] {
                                              common::log_warning(
                                                  "sync " + source_ +
                                                      ": live watch lost its lease (not renewed "
                                                      "in time); another instance may watch now",
                                                  {{"source", source_}});
                                              halt_ = true;
                                          });
        common::log_info("sync " + source_ + ": watching for live changes", {{"source", source_}});
        try {
            end = watch_(state, on_.changed, &halt_);
        } catch (const std::exception& e) {
            end.reason = std::string("internal error: ") + e.what();
        }
        lost = heartbeat.lost();
    }
    if (lost)
        end.reason = "lost the watch's lease";
    else {
        try {
            leases_.release(lease_name_);  // another instance may watch at once
        } catch (const std::exception& e) {
            common::log_warning("sync " + source_ + ": live watch cannot give its lease up (" + e.what() +
                                    "); it expires in " + std::to_string(lease_time.count() / 1000) + " s",
                                {{"source", source_}});
        }
    }
    std::lock_guard lock(mutex_);
    watching_ = false;
    since_.reset();
    watched_by_.reset();
    last_error_ = end.reason;
    return end;
}

void source_watcher::loop() {
    std::chrono::milliseconds backoff = first_backoff;
    while (!stop_) {
        std::optional<sync::source_state> state;
        try {
            state = log_.get_state(source_);
        } catch (const std::exception& e) {
            common::log_warning(
                "sync " + source_ + ": live watch cannot read the source's state: " + e.what(),
                {{"source", source_}});
        }
        if (!state) {
            if (!pause(state_poll)) return;
            continue;
        }
        if (!take_lease()) {
            if (!pause(standby_poll)) return;
            continue;
        }
        const auto began = std::chrono::steady_clock::now();
        const sync::watch_end end = watch_holding_lease(state->state);
        if (stop_) return;
        if (std::chrono::steady_clock::now() - began >= healthy_watch) backoff = first_backoff;
        common::log_warning("sync " + source_ + ": live watch ended (" + end.reason +
                                "); scheduled runs go on, "
                                "watching again in " +
                                std::to_string(backoff.count() / 1000) + " s",
                            {{"source", source_}});
        if (end.refresh_required && on_.refresh_required) on_.refresh_required();
        if (!pause(backoff)) return;
        backoff = std::min(backoff * 2, max_backoff);
    }
}

}  // namespace dirsync::daemon
