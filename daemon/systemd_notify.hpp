#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

namespace dirsync::daemon {

/// Sends a state string ("READY=1", "STOPPING=1", ...) to systemd (sd_notify(3)). A no-op returning false
/// when not started by systemd with Type=notify.
bool systemd_notify(std::string_view state) noexcept;

/// Tells systemd a configuration reload began (RELOADING=1 with MONOTONIC_USEC, as Type=notify-reload
/// wants); send READY=1 when it ended.
bool systemd_notify_reloading() noexcept;

/// The watchdog interval systemd asked for (sd_watchdog_enabled: $WATCHDOG_USEC, honouring $WATCHDOG_PID).
std::optional<std::chrono::microseconds> systemd_watchdog_interval() noexcept;

/// Pings the systemd watchdog (WATCHDOG=1) at half the requested interval from a thread of its own while
/// `alive(interval)` says the service is healthy (it may take up to a quarter of the interval to find out).
/// Does nothing when no watchdog was requested.
class watchdog_pinger {
  public:
    template <class Alive>
    explicit watchdog_pinger(Alive alive) {
        auto interval = systemd_watchdog_interval();
        if (!interval) return;
        thread_ = std::thread([this, alive, interval = *interval] {
            std::unique_lock lock(mutex_);
            while (!stop_) {
                lock.unlock();
                const bool healthy = alive(interval);
                lock.lock();
                if (stop_) break;
                if (healthy) systemd_notify("WATCHDOG=1");
                wake_.wait_for(lock, interval / 2);
            }
        });
    }
    ~watchdog_pinger() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    watchdog_pinger(const watchdog_pinger&) = delete;
    watchdog_pinger& operator=(const watchdog_pinger&) = delete;

  private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace dirsync::daemon
