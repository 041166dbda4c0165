#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace dirsync::common {

enum class log_level { debug = 0, info = 1, warning = 2, error = 3 };

/// "debug", "info", "warning", "error": the names `logging.level` takes.
std::string_view to_string(log_level level) noexcept;

/// How a line is written when the journal is not the destination (`logging.format`).
enum class log_format {
    logfmt,  ///< time=... level=info msg="..." key=value ...
    json,    ///< {"time":"...","level":"info","msg":"...","key":"value",...}
};

/// A structured field of a log event: `key` is lower-case [a-z0-9_] (tenant, request_id, source, run_id);
/// `value` any text, escaped by the writer. Never a secret.
struct log_field {
    std::string_view key;
    std::string_view value;
};

/// Process-wide minimum level; messages below it are dropped. Thread-safe.
void set_log_level(log_level level) noexcept;
log_level current_log_level() noexcept;
/// Process-wide line format for stderr; thread-safe. logfmt by default.
void set_log_format(log_format format) noexcept;

/// Writes one event. When stderr is the journal (started by systemd: $JOURNAL_STREAM names stderr's device
/// and inode), it goes through sd_journal_send with PRIORITY, MESSAGE (the message, then the fields as
/// key=value) and each field as an upper-case journal field (TENANT=, REQUEST_ID=, SOURCE=, RUN_ID=), so
/// `journalctl TENANT=acme` finds it; otherwise one line on stderr in the configured format, written with one
/// write(2) so threads never interleave. Control characters never split a line. Callers must never pass
/// secrets (tokens, passwords).
void log(log_level level, std::string_view message, std::initializer_list<log_field> fields = {});

/// Whether access lines (one per HTTP request, `logging.access_log`) are written; thread-safe, so a reload
/// can turn them on and off. On by default.
void set_access_log(bool enabled) noexcept;
bool access_log_enabled() noexcept;
/// Writes an access event at info priority when access lines are on, whatever the level: an operator who
/// sets `level: warning` to quiet the daemon keeps the record of requests unless `access_log` is off.
void log_access(std::string_view message, std::span<const log_field> fields);

/// One stderr line as `log` writes it (with its newline), for `time` (RFC 3339).
std::string format_log_line(log_format format, std::string_view time, log_level level,
                            std::string_view message, std::span<const log_field> fields);

inline void log_debug(std::string_view m, std::initializer_list<log_field> f = {}) {
    log(log_level::debug, m, f);
}
inline void log_info(std::string_view m, std::initializer_list<log_field> f = {}) {
    log(log_level::info, m, f);
}
inline void log_warning(std::string_view m, std::initializer_list<log_field> f = {}) {
    log(log_level::warning, m, f);
}
inline void log_error(std::string_view m, std::initializer_list<log_field> f = {}) {
    log(log_level::error, m, f);
}

}  // namespace dirsync::common
