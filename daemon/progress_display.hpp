#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "sync/run_progress.hpp"

namespace dirsync::daemon {

/// Shows a run's progress on `out` (stderr) while it lives, from a thread of its own: on a terminal one line
/// redrawn five times a second (phase, entries or changes so far, per second, and an estimate of the time
/// left when the total is known), cleared at the end; otherwise a plain line every `every` seconds (a log
/// file or journal gets a heartbeat, not a flood).
class progress_display {
  public:
    progress_display(const sync::run_progress& progress, std::string source, std::FILE* out, bool terminal,
                     std::chrono::milliseconds every = std::chrono::seconds(5));
    /// Stops the thread; on a terminal, erases the line.
    ~progress_display();

    progress_display(const progress_display&) = delete;
    progress_display& operator=(const progress_display&) = delete;

    /// The line for the run's state now, `elapsed` into its current phase, `done_at_phase_start` the
    /// figure the phase began with (for the rate). Exposed for tests.
    static std::string describe(const sync::run_progress& p, std::chrono::steady_clock::duration elapsed,
                                std::uint64_t done_at_phase_start);

  private:
    void show();

    const sync::run_progress& progress_;
    const std::string source_;
    std::FILE* out_;
    const bool terminal_;
    const std::chrono::milliseconds every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool drawn_ = false;
    std::thread thread_;  ///< last: starts once the members above are set
};

}  // namespace dirsync::daemon
