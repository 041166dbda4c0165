#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "common/clock.hpp"

namespace dirsync::common {

namespace {
std::atomic<int> g_level{static_cast<int>(log_level::info)};
std::atomic<bool> g_access_log{true};

bool stderr_is_journal() {
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    return journal;
}

constexpr std::string_view syslog_prefix(log_level l) {
    switch (l) {
        case log_level::debug:
            return "<7>";
        case log_level::info:
            return "<6>";
        case log_level::warning:
            return "<4>";
        case log_level::error:
            return "<3>";
    }
    return "<6>";
}
}  // namespace

std::string_view to_string(log_level l) noexcept {
    switch (l) {
        case log_level::debug:
            return "debug";
        case log_level::info:
            return "info";
        case log_level::warning:
            return "warning";
        case log_level::error:
            return "error";
    }
    return "info";
}

void set_log_level(log_level level) noexcept { g_level.store(static_cast<int>(level)); }
log_level current_log_level() noexcept { return static_cast<log_level>(g_level.load()); }

void set_access_log(bool enabled) noexcept { g_access_log.store(enabled); }
bool access_log_enabled() noexcept { return g_access_log.load(std::memory_order_relaxed); }

namespace {
void write_line(log_level level, std::string_view message);
}  // namespace

void log(log_level level, std::string_view message) {
    if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
    write_line(level, message);
}

void log_access(std::string_view line) {
    if (access_log_enabled()) write_line(log_level::info, line);
}

namespace {
void write_line(log_level level, std::string_view message) {
    std::string line;
    line.reserve(message.size() + 48);
    if (stderr_is_journal()) {
        line += syslog_prefix(level);
    } else {
        line += format_rfc3339(now());
        line += ' ';
        line += to_string(level);
        line += ' ';
    }
    for (char c : message) line.push_back(c == '\n' ? ' ' : c);
    line.push_back('\n');
    std::size_t off = 0;
    while (off < line.size()) {
        auto n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace

}  // namespace dirsync::common
