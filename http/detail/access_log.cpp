#include "http/detail/access_log.hpp"

#include <cstdint>
#include <cstdio>

namespace dirsync::http::detail {

std::string escape_for_log(std::string_view text, std::size_t max_bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    const bool truncated = text.size() > max_bytes;
    if (truncated) text = text.substr(0, max_bytes);
    std::string out;
    out.reserve(text.size() + 3);
    for (char ch : text) {
        const auto c = static_cast<std::uint8_t>(ch);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (c < 0x20 || c >= 0x7F) {
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        } else {
            out.push_back(ch);
        }
    }
    if (truncated) out += "...";
    return out;
}

std::string format_access_line(const access_entry& entry) {
    auto or_dash = [](std::string_view s) { return s.empty() ? std::string_view("-") : s; };
    const double latency_ms = std::chrono::duration<double, std::milli>(entry.latency).count();
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.2f", latency_ms);

    std::string line = "access remote=";
    line += or_dash(entry.remote);
    line += " method=";
    line += entry.method.empty() ? std::string("-") : escape_for_log(entry.method, 32);
    line += " target=";
    if (entry.target.empty()) {
        line += '-';
    } else {
        line += '"';
        line += escape_for_log(entry.target, max_logged_target_bytes);
        line += '"';
    }
    line += " status=";
    line += std::to_string(entry.status);
    line += " bytes=";
    line += std::to_string(entry.bytes);
    line += " latency_ms=";
    line += latency;
    line += " tenant=";
    line += entry.tenant.empty() ? std::string("-") : escape_for_log(entry.tenant, 64);
    return line;
}

}  // namespace dirsync::http::detail
