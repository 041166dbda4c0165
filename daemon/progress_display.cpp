#include "daemon/progress_display.hpp"

#include <utility>

namespace dirsync::daemon {

namespace {

using phase = sync::run_progress::phase;

/// 1234567 as "1,234,567".
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

/// 75 s as "1 min 15 s".
std::string duration_text(std::uint64_t seconds) {
    if (seconds < 60) return std::to_string(seconds) + " s";
    if (seconds < 3600) return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
    return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

}  // namespace

std::string progress_display::describe(const sync::run_progress& p,
                                       std::chrono::steady_clock::duration elapsed,
                                       std::uint64_t done_at_phase_start) {
    const auto at = p.at.load(std::memory_order_relaxed);
    const bool reading = at == phase::reading;
    const bool applying = at == phase::applying;
    std::string line(sync::to_string(at));
    if (!reading && !applying) {
        if (at == phase::mapping || at == phase::planning)
            line += " (" + grouped(p.read.load(std::memory_order_relaxed)) + " entries read)";
        return line;
    }
    const std::uint64_t done =
        reading ? p.read.load(std::memory_order_relaxed) : p.applied.load(std::memory_order_relaxed);
    const std::uint64_t total =
        reading ? p.expected.load(std::memory_order_relaxed) : p.to_apply.load(std::memory_order_relaxed);
    const char* unit = reading ? "entries" : "changes";
    line += " " + grouped(done);
    // While reading, the total is the last full run's count: a likely figure, not a promise.
    if (total != 0) line += std::string(" of ") + (reading ? "~" : "") + grouped(total);
    line += std::string(" ") + unit;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    const std::uint64_t progressed = done > done_at_phase_start ? done - done_at_phase_start : 0;
    if (seconds >= 1.0 && progressed > 0) {
        const double rate = static_cast<double>(progressed) / seconds;
        line += " (" + grouped(static_cast<std::uint64_t>(rate)) + "/s";
        if (total > done)
            line +=
                ", about " + duration_text(static_cast<std::uint64_t>((total - done) / rate + 0.5)) + " left";
        line += ")";
    }
    return line;
}

progress_display::progress_display(const sync::run_progress& progress, std::string source, std::FILE* out,
                                   bool terminal, std::chrono::milliseconds every)
    : progress_(progress),
      source_(std::move(source)),
      out_(out),
      terminal_(terminal),
      every_(terminal ? std::chrono::milliseconds(200) : every),
      thread_([this] { show(); }) {}

progress_display::~progress_display() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (terminal_ && drawn_) {
        std::fputs("\r\033[K", out_);
        std::fflush(out_);
    }
}

void progress_display::show() {
    std::unique_lock lock(mutex_);
    auto current = progress_.at.load();
    auto phase_start = std::chrono::steady_clock::now();
    std::uint64_t done_at_start = 0;
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
        const auto at = progress_.at.load();
        if (at != current) {
            current = at;
            phase_start = std::chrono::steady_clock::now();
            done_at_start = at == phase::applying ? progress_.applied.load() : progress_.read.load();
        }
        if (at == phase::done || at == phase::starting) continue;
        const auto line = source_ + ": " +
                          describe(progress_, std::chrono::steady_clock::now() - phase_start, done_at_start);
        if (terminal_)
            std::fprintf(out_, "\r\033[K%s", line.c_str());
        else
            std::fprintf(out_, "progress: %s\n", line.c_str());
        std::fflush(out_);
        drawn_ = true;
    }
}

}  // namespace dirsync::daemon
