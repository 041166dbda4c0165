#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "sync/run_log.hpp"
#include "sync/source_reader.hpp"

namespace dirsync::daemon {

/// Watches one live source between its runs on a thread of its own (sync::source_access::watch: for LDAP a
/// persistent syncrepl search from the cookie of the source's last run) and reports each change through
/// `changed`, so the scheduler can start an incremental run at once. Until the source has a stored state
/// (its first run) it waits. When a watch ends (the server went away, restarted, refused) it starts again
/// after a backoff of 1 s doubling to 60 s, reset once a watch lasted a minute; meanwhile the scheduled
/// runs go on as for any source. A cookie too old for the server (e-syncRefreshRequired) is reported through
/// `refresh_required` (the scheduler then runs the source in full) before the watch starts again.
class source_watcher {
  public:
    struct callbacks {
        std::function<void()> changed;
        std::function<void()> refresh_required;
    };

    /// Starts watching. `watch` and `log` must outlive the watcher.
    source_watcher(std::string source, sync::change_watch watch, sync::run_log& log, callbacks on);
    /// Stops the watch (its connection closes within a tenth of a second) and joins the thread.
    ~source_watcher();
    source_watcher(const source_watcher&) = delete;
    source_watcher& operator=(const source_watcher&) = delete;

    /// {"watching": bool, "since": RFC 3339 or null, "last_error": text or null}: for the admin API.
    nlohmann::json status() const;

  private:
    void loop();
    /// Sleeps `d` unless stopped first; false when stopped.
    bool pause(std::chrono::milliseconds d);

    const std::string source_;
    const sync::change_watch watch_;
    sync::run_log& log_;
    const callbacks on_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool watching_ = false;
    std::optional<common::timestamp> since_;
    std::optional<std::string> last_error_;
    std::thread thread_;
};

}  // namespace dirsync::daemon
