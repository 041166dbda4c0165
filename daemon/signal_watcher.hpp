#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace dirsync::daemon {

/// The process's SIGINT, SIGTERM and SIGHUP, turned into calls made on a thread of the watcher's own:
/// the first SIGINT or SIGTERM calls `stop` (begin a graceful shutdown), every later one `stop_now` (give up
/// draining), each SIGHUP `reload`. The callbacks run one at a time, never in signal-handler context, so they
/// may lock, allocate and log; an exception from one is logged and the watcher goes on.
///
/// The signals are blocked in the constructing thread and read from a signalfd: every thread must have them
/// blocked, so construct the watcher before starting any other thread (threads inherit the mask), and
/// destroy it on the same thread. The destructor stops the watcher's thread, drops signals not yet handled
/// and restores that thread's mask.
class signal_watcher {
  public:
    struct actions {
        std::function<void()> stop;
        std::function<void()> stop_now;
        std::function<void()> reload;  ///< empty: SIGHUP is logged and ignored
    };

    /// Throws std::system_error when the signals cannot be blocked or the descriptors cannot be created.
    explicit signal_watcher(actions on_signal);
    ~signal_watcher();

    signal_watcher(const signal_watcher&) = delete;
    signal_watcher& operator=(const signal_watcher&) = delete;

  private:
    void watch();
    void dispatch(int signo);

    actions actions_;
    sigset_t previous_mask_{};
    int signal_fd_ = -1;
    int wake_fd_ = -1;  ///< an eventfd the destructor writes to end watch()
    bool stop_requested_ = false;
    std::thread thread_;
};

}  // namespace dirsync::daemon
