#include "common/log.hpp"

#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "common/clock.hpp"
#include "common/json_escape.hpp"

namespace dirsync::common {

namespace {

std::atomic<int> g_level{static_cast<int>(log_level::info)};
std::atomic<int> g_format{static_cast<int>(log_format::logfmt)};
std::atomic<bool> g_access_log{true};

/// Whether stderr is the journal: $JOURNAL_STREAM ("<device>:<inode>") names the file stderr is, as
/// systemd.exec(5) says to check (a child of the service with stderr redirected must not pretend).
bool stderr_is_journal() {
    static const bool journal = [] {
        const char* stream = std::getenv("JOURNAL_STREAM");
        if (!stream) return false;
        unsigned long long device = 0, inode = 0;
        if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
        struct stat st {};
        if (::fstat(STDERR_FILENO, &st) != 0) return false;
        return static_cast<unsigned long long>(st.st_dev) == device &&
               static_cast<unsigned long long>(st.st_ino) == inode;
    }();
    return journal;
}

constexpr int syslog_priority(log_level l) {
    switch (l) {
        case log_level::debug:
            return 7;
        case log_level::info:
            return 6;
        case log_level::warning:
            return 4;
        case log_level::error:
            return 3;
    }
    return 6;
}

/// `value` for a logfmt line: bare when it is a plain word, else quoted with `"`, `\` and control
/// characters escaped, so no value can end its quotes or start a new line.
void append_logfmt_value(std::string& out, std::string_view value) {
    const bool bare = !value.empty() && value.find_first_of(" =\"\\") == std::string_view::npos &&
                      std::all_of(value.begin(), value.end(),
                                  [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7F; });
    if (bare) {
        out += value;
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += ch;
        }
    }
    out += '"';
}

/// KEY for the journal: upper case, [A-Z0-9_] (journal field names allow no other character).
std::string journal_key(std::string_view key) {
    std::string out;
    for (char c : key) out += is_alnum_ascii(c) ? ascii_upper(c) : '_';
    if (out.empty() || !is_alpha_ascii(out.front())) out.insert(0, "F");
    return out;
}

void write_stderr(const std::string& line) {
    std::size_t off = 0;
    while (off < line.size()) {
        auto n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
}

/// Sends the event to the journal; false when it could not (then it goes to stderr).
bool send_to_journal(log_level level, std::string_view message, std::span<const log_field> fields) {
    std::vector<std::string> items;
    items.reserve(fields.size() + 3);
    std::string text = "MESSAGE=";
    for (char c : message) text += c == '\n' ? ' ' : c;
    for (const auto& f : fields) {
        text += ' ';
        text += f.key;
        text += '=';
        append_logfmt_value(text, f.value);
    }
    items.push_back(std::move(text));
    items.push_back("PRIORITY=" + std::to_string(syslog_priority(level)));
    items.push_back("SYSLOG_IDENTIFIER=dirsyncd");
    for (const auto& f : fields) {
        std::string item = journal_key(f.key);
        item += '=';
        item += f.value;  // journal values may hold any bytes but newlines are kept out of one field per line
        for (auto& c : item)
            if (c == '\n') c = ' ';
        items.push_back(std::move(item));
    }
    std::vector<iovec> vec;
    vec.reserve(items.size());
    for (auto& i : items) vec.push_back({i.data(), i.size()});
    return ::sd_journal_sendv(vec.data(), static_cast<int>(vec.size())) >= 0;
}

void emit(log_level level, std::string_view message, std::span<const log_field> fields) {
    if (stderr_is_journal() && send_to_journal(level, message, fields)) return;
    write_stderr(format_log_line(static_cast<log_format>(g_format.load(std::memory_order_relaxed)),
                                 format_rfc3339(now()), level, message, fields));
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
void set_log_format(log_format format) noexcept { g_format.store(static_cast<int>(format)); }

void set_access_log(bool enabled) noexcept { g_access_log.store(enabled); }
bool access_log_enabled() noexcept { return g_access_log.load(std::memory_order_relaxed); }

std::string format_log_line(log_format format, std::string_view time, log_level level,
                            std::string_view message, std::span<const log_field> fields) {
    std::string line;
    line.reserve(message.size() + 64 + fields.size() * 24);
    if (format == log_format::json) {
        line += "{\"time\":\"";
        line += json_escape(time);
        line += "\",\"level\":\"";
        line += to_string(level);
        line += "\",\"msg\":\"";
        line += json_escape(message);
        line += '"';
        for (const auto& f : fields) {
            line += ",\"";
            line += json_escape(f.key);
            line += "\":\"";
            line += json_escape(f.value);
            line += '"';
        }
        line += "}\n";
        return line;
    }
    line += "time=";
    line += time;
    line += " level=";
    line += to_string(level);
    line += " msg=";
    append_logfmt_value(line, message);
    for (const auto& f : fields) {
        line += ' ';
        line += f.key;
        line += '=';
        append_logfmt_value(line, f.value);
    }
    line += '\n';
    return line;
}

void log(log_level level, std::string_view message, std::initializer_list<log_field> fields) {
    if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
    emit(level, message, std::span<const log_field>(fields.begin(), fields.size()));
}

void log_access(std::string_view message, std::span<const log_field> fields) {
    if (access_log_enabled()) emit(log_level::info, message, fields);
}

}  // namespace dirsync::common
