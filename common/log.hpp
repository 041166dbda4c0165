#pragma once

#include <string_view>

namespace dirsync::common {

enum class log_level { debug = 0, info = 1, warning = 2, error = 3 };

/// "debug", "info", "warning", "error": the names `logging.level` takes.
std::string_view to_string(log_level level) noexcept;

/// Process-wide minimum level; messages below it are dropped. Thread-safe.
void set_log_level(log_level level) noexcept;
log_level current_log_level() noexcept;

/// Writes one line to stderr, prefixed for journald (`<N>` syslog priority) when stderr is the journal,
/// otherwise with a UTC timestamp. Lines are written with one write(2) so threads never interleave.
/// Callers must never pass secrets (tokens, passwords).
void log(log_level level, std::string_view message);

/// Whether access lines (one per HTTP request, `logging.access_log`) are written; thread-safe, so a reload
/// can turn them on and off. On by default.
void set_access_log(bool enabled) noexcept;
bool access_log_enabled() noexcept;
/// Writes an access line at info priority when access lines are on, whatever the level: an operator who
/// sets `level: warning` to quiet the daemon keeps the record of requests unless `access_log` is off.
void log_access(std::string_view line);

inline void log_debug(std::string_view m) { log(log_level::debug, m); }
inline void log_info(std::string_view m) { log(log_level::info, m); }
inline void log_warning(std::string_view m) { log(log_level::warning, m); }
inline void log_error(std::string_view m) { log(log_level::error, m); }

}  // namespace dirsync::common
