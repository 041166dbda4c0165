#include "http/detail/access_log.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "common/ascii.hpp"
#include "http/query_string.hpp"

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

namespace {

bool is_filter_operator(std::string_view word) {
    static constexpr std::string_view operators[] = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"};
    for (auto op : operators)
        if (common::iequals_ascii(word, op)) return true;
    return false;
}

/// The filter with every comparison value replaced by `?`: quoted strings become "?", and so does the word
/// after a comparison operator. Attribute paths, operators and grouping stay.
std::string filter_shape(std::string_view filter) {
    std::string out;
    bool value_next = false;
    std::size_t i = 0;
    while (i < filter.size()) {
        const char c = filter[i];
        if (c == '"') {
            std::size_t j = i + 1;
            while (j < filter.size() && filter[j] != '"') j += filter[j] == '\\' ? 2 : 1;
            out += "\"?\"";
            i = std::min(j + 1, filter.size());
            value_next = false;
        } else if (c == ' ' || c == '(' || c == ')' || c == '[' || c == ']') {
            out.push_back(c);
            ++i;
        } else {
            std::size_t j = i;
            while (j < filter.size() && std::string_view(" ()[]\"").find(filter[j]) == std::string_view::npos)
                ++j;
            auto word = filter.substr(i, j - i);
            out += value_next ? std::string_view("?") : word;
            value_next = !value_next && is_filter_operator(word);
            i = j;
        }
    }
    return out;
}

bool value_is_loggable(std::string_view name) {
    static constexpr std::string_view names[] = {"count",      "startIndex",         "sortBy", "sortOrder",
                                                 "attributes", "excludedAttributes", "limit"};
    for (auto n : names)
        if (common::iequals_ascii(name, n)) return true;
    return false;
}

}  // namespace

std::string redact_target(std::string_view target) {
    auto [path, query] = split_target(target);
    std::string out(path);
    if (query.empty() && target.find('?') == std::string_view::npos) return out;
    out += '?';
    bool first = true;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (!first) out += '&';
        first = false;
        auto eq = pair.find('=');
        auto raw_name = pair.substr(0, eq);
        out += raw_name;
        if (eq == std::string_view::npos) continue;
        out += '=';
        auto raw_value = pair.substr(eq + 1);
        auto name = percent_decode(raw_name, true).value_or(std::string(raw_name));
        if (value_is_loggable(name)) {
            out += raw_value;
        } else if (common::iequals_ascii(name, "filter")) {
            auto value = percent_decode(raw_value, true);
            out += value ? filter_shape(*value) : std::string("?");
        } else {
            out += '?';
        }
    }
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
        line += escape_for_log(redact_target(entry.target), max_logged_target_bytes);
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
