#include "http/detail/access_log.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>

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
        if (c < 0x20 || c >= 0x7F) {
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

std::array<common::log_field, 8> access_fields::fields() const {
    std::array<common::log_field, 8> out;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = {keys[i], values[i]};
    return out;
}

access_fields describe_access(const access_entry& entry) {
    auto or_dash = [](std::string s) { return s.empty() ? std::string("-") : s; };
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.2f",
                  std::chrono::duration<double, std::milli>(entry.latency).count());
    access_fields out;
    out.values = {or_dash(std::string(entry.remote)),
                  or_dash(escape_for_log(entry.method, 32)),
                  entry.target.empty() ? std::string("-")
                                       : escape_for_log(redact_target(entry.target), max_logged_target_bytes),
                  std::to_string(entry.status),
                  std::to_string(entry.bytes),
                  latency,
                  or_dash(escape_for_log(entry.tenant, 64)),
                  or_dash(std::string(entry.request_id))};
    return out;
}

void log_access_entry(const access_entry& entry) {
    if (!common::access_log_enabled()) return;
    const auto described = describe_access(entry);
    const auto fields = described.fields();
    common::log_access("access", fields);
}

std::string choose_request_id(std::optional<std::string_view> offered) {
    auto usable = [](std::string_view id) {
        if (id.empty() || id.size() > 64) return false;
        return std::all_of(id.begin(), id.end(), [](char c) {
            return common::is_alnum_ascii(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
        });
    };
    if (offered && usable(*offered)) return std::string(*offered);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(16, '0');
    auto bits = rng();
    for (auto& c : id) {
        c = hex[bits & 0xF];
        bits >>= 4;
    }
    return id;
}

}  // namespace dirsync::http::detail
