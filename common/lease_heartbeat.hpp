#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace dirsync::sync {

class run_log;

/// Keeps a run's source lease (run_log) alive: renews it every `every` on a thread of its own for as long as
/// the object lives. `lost()` turns true once a renewal finds the lease taken over (it had expired), and
/// stays so; the run must then end without writing more. A renewal that fails on a store error is retried at
/// the next beat.
class lease_heartbeat {
  public:
    lease_heartbeat(run_log& log, std::string source, std::int64_t run_id, std::chrono::milliseconds every);
    /// Stops and joins the thread; a renewal under way finishes first.
    ~lease_heartbeat();

    lease_heartbeat(const lease_heartbeat&) = delete;
    lease_heartbeat& operator=(const lease_heartbeat&) = delete;

    bool lost() const noexcept { return lost_.load(); }

  private:
    void beat();

    run_log& log_;
    const std::string source_;
    const std::int64_t run_id_;
    const std::chrono::milliseconds every_;
    std::atomic<bool> lost_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  ///< last: started once everything above is set
};

}  // namespace dirsync::sync
