#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "config/settings.hpp"

namespace dirsync::store {
class database;
}

namespace dirsync::daemon {

/// Prunes what grows with time (run history, the audit log, delivered notifications) to the ages and counts
/// of `retention:`, on a thread of its own: a pass a minute after start, then every `retention.every`. Rows
/// go in batches of `batch_rows`, each its own short write with a pause after it, so the writer is never
/// held for long and requests' writes go in between.
class retention_worker {
  public:
    /// Rows deleted by one write: small enough that a batch takes milliseconds.
    static constexpr std::size_t batch_rows = 500;

    retention_worker(store::database& db, config::retention_settings settings);
    ~retention_worker();
    retention_worker(const retention_worker&) = delete;
    retention_worker& operator=(const retention_worker&) = delete;

    void start();
    /// Stops after the batch in progress; joins.
    void stop();
    /// Prunes with `settings` from the next pass on (a configuration reload).
    void reconfigure(config::retention_settings settings);

    /// What one pass deleted.
    struct pruned {
        std::size_t sync_runs = 0;
        std::size_t audit_events = 0;
        std::size_t notifications = 0;
    };
    /// One whole pass now, on the calling thread (the loop's, or a test's); logs what it deleted.
    pruned prune_now();

  private:
    void run();
    config::retention_settings current() const;

    store::database& db_;
    config::retention_settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace dirsync::daemon
