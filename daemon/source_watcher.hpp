#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "store/instance_leases.hpp"
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
///
/// One watch per source across the instances sharing the store: a watcher watches only while it holds the
/// source's lease "watch/<source>" (store::instance_leases, `lease_time`, renewed at a third of it). The
/// others stand by, looking every `standby_poll`, and take the watch over once the lease is free: when
/// the holder stops, its watch ends (it gives the lease up), or it dies (at once on the same host, after
/// `lease_time` on another). A watcher that loses its lease (it could not renew it in time) ends its watch.
class source_watcher {
  public:
    struct callbacks {
        std::function<void()> changed;
        std::function<void()> refresh_required;
    };

    static constexpr std::chrono::milliseconds lease_time{std::chrono::seconds(30)};
    static constexpr std::chrono::milliseconds standby_poll{std::chrono::seconds(2)};

    /// Starts watching. `watch`, `log` and `leases` must outlive the watcher.
    source_watcher(std::string source, sync::change_watch watch, sync::run_log& log,
                   store::instance_leases& leases, callbacks on);
    /// Stops the watch (its connection closes within a tenth of a second) and joins the thread.
    ~source_watcher();
    source_watcher(const source_watcher&) = delete;
    source_watcher& operator=(const source_watcher&) = delete;

    /// {"watching": bool, "since": RFC 3339 or null, "last_error": text or null, "watched_by": the instance
    /// holding the watch (this one while watching) or null}: for the admin API.
    nlohmann::json status() const;

  private:
    void loop();
    /// Sleeps `d` unless stopped first; false when stopped.
    bool pause(std::chrono::milliseconds d);
    /// Takes the source's watch lease; false (with watched_by_ set) while another instance holds it.
    bool take_lease();
    /// Watches from `state` while holding the lease; returns how the watch ended.
    sync::watch_end watch_holding_lease(const nlohmann::json& state);

    const std::string source_;
    const sync::change_watch watch_;
    sync::run_log& log_;
    store::instance_leases& leases_;
    const std::string lease_name_;
    const callbacks on_;
    std::atomic<bool> stop_{false};
    /// Ends the watch under way: set when stopping or when the lease is lost.
    std::atomic<bool> halt_{false};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool watching_ = false;
    std::optional<common::timestamp> since_;
    std::optional<std::string> last_error_;
    std::optional<std::string> watched_by_;
    std::thread thread_;
};

}  // namespace dirsync::daemon
