#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dirsync::common {

/// Keeps a lease alive: calls `renew` every `every` on a thread of its own for as long as the object lives.
/// When a renewal answers false (the lease expired and was taken over), `lost()` turns true and stays so,
/// `on_lost` is called once on the heartbeat's thread, and renewals stop: the holder must stop what the lease
/// covers. A renewal that throws (a store error) is logged as `what` and retried at the next beat.
class lease_heartbeat {
  public:
    lease_heartbeat(std::function<bool()> renew, std::chrono::milliseconds every, std::string what,
                    std::function<void()> on_lost = {});
    /// Stops and joins the thread; a renewal under way finishes first.
    ~lease_heartbeat();

    lease_heartbeat(const lease_heartbeat&) = delete;
    lease_heartbeat& operator=(const lease_heartbeat&) = delete;

    bool lost() const noexcept { return lost_.load(); }

  private:
    void beat();

    const std::function<bool()> renew_;
    const std::chrono::milliseconds every_;
    const std::string what_;
    const std::function<void()> on_lost_;
    std::atomic<bool> lost_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  ///< last: started once everything above is set
};

}  // namespace dirsync::common
