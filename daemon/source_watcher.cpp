#include "daemon/source_watcher.hpp"

#include "common/clock.hpp"
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

source_watcher::source_watcher(std::string source, sync::change_watch watch, sync::run_log& log, callbacks on)
    : source_(std::move(source)), watch_(std::move(watch)), log_(log), on_(std::move(on)) {
    thread_ = std::thread([this] { loop(); });
}

source_watcher::~source_watcher() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

nlohmann::json source_watcher::status() const {
    std::lock_guard lock(mutex_);
    return {{"watching", watching_},
            {"since", since_ ? nlohmann::json(common::format_rfc3339(*since_)) : nlohmann::json()},
            {"last_error", last_error_ ? nlohmann::json(*last_error_) : nlohmann::json()}};
}

bool source_watcher::pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, d, [this] { return stop_.load(); });
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
        const auto began = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            watching_ = true;
            since_ = common::now();
        }
        common::log_info("sync " + source_ + ": watching for live changes", {{"source", source_}});
        sync::watch_end end;
        try {
            end = watch_(state->state, on_.changed, &stop_);
        } catch (const std::exception& e) {
            end.reason = std::string("internal error: ") + e.what();
        }
        {
            std::lock_guard lock(mutex_);
            watching_ = false;
            since_.reset();
            last_error_ = end.reason;
        }
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
