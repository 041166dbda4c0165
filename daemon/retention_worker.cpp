#include "daemon/retention_worker.hpp"

#include <exception>
#include <functional>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "store/database.hpp"
#include "store/retention.hpp"

namespace dirsync::daemon {

namespace {

/// The first pass waits this long after start, so start-up and the first requests have the store to
/// themselves.
constexpr std::chrono::minutes first_pass_delay{1};
/// Pause after each batch, leaving the writer to others.
constexpr std::chrono::milliseconds pause_between_batches{20};

}  // namespace

retention_worker::retention_worker(store::database& db, config::retention_settings settings)
    : db_(db), settings_(settings) {}

retention_worker::~retention_worker() { stop(); }

void retention_worker::start() {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { run(); });
}

void retention_worker::stop() {
    std::thread running;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        running = std::move(thread_);
    }
    wake_.notify_all();
    if (running.joinable()) running.join();
}

void retention_worker::reconfigure(config::retention_settings settings) {
    {
        std::lock_guard lock(mutex_);
        settings_ = settings;
    }
    wake_.notify_all();
}

config::retention_settings retention_worker::current() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

retention_worker::pruned retention_worker::prune_now() {
    const auto s = current();
    const auto now_ms = common::to_epoch_ms(common::now());
    pruned out;
    // Each table batch by batch until a batch comes back short; a stop ends the pass between batches.
    auto drain = [&](std::size_t& total, const std::function<std::size_t(store::connection&)>& batch) {
        for (;;) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            const auto n = db_.write([&](store::connection& c) { return batch(c); });
            total += n;
            if (n < batch_rows) return;
            std::this_thread::sleep_for(pause_between_batches);
        }
    };
    drain(out.sync_runs, [&](store::connection& c) {
        return store::retention::prune_sync_runs(c, now_ms - s.sync_runs_max_age.count(),
                                                 s.sync_runs_max_count, batch_rows);
    });
    drain(out.audit_events, [&](store::connection& c) {
        return store::retention::prune_audit(c, now_ms - s.audit_max_age.count(), s.audit_max_count,
                                             batch_rows);
    });
    drain(out.notifications, [&](store::connection& c) {
        return store::retention::prune_delivered_notifications(c, now_ms - s.notifications_max_age.count(),
                                                               batch_rows);
    });
    if (out.sync_runs + out.audit_events + out.notifications > 0)
        common::log_info("retention: pruned " + std::to_string(out.sync_runs) + " sync run(s), " +
                         std::to_string(out.audit_events) + " audit event(s), " +
                         std::to_string(out.notifications) + " delivered notification(s)");
    return out;
}

void retention_worker::run() {
    std::unique_lock lock(mutex_);
    auto next = std::chrono::steady_clock::now() + first_pass_delay;
    while (!stopping_) {
        if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
        if (std::chrono::steady_clock::now() < next) continue;  // woken by a reconfigure
        lock.unlock();
        try {
            prune_now();
        } catch (const std::exception& e) {
            common::log_error(std::string("retention: pruning failed: ") + e.what());
        }
        lock.lock();
        next = std::chrono::steady_clock::now() + settings_.every;
    }
}

}  // namespace dirsync::daemon
