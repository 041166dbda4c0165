#include "http/query_string.hpp"

#include "common/ascii.hpp"
#include "common/casefold.hpp"

namespace dirsync::http {

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept {
    if (auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
    auto q = target.find('?');
    if (q == std::string_view::npos) return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = common::hex_digit_value(s[i + 1]), lo = common::hex_digit_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi << 4 | lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<query_params> query_params::parse(std::string_view raw) {
    query_params out;
    while (!raw.empty()) {
        auto amp = raw.find('&');
        auto part = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto name = percent_decode(part.substr(0, eq), true);
        auto value =
            percent_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1), true);
        if (!name || !value) return std::nullopt;
        out.items_.emplace_back(std::move(*name), std::move(*value));
    }
    return out;
}

std::optional<std::string_view> query_params::get(std::string_view name) const {
    for (auto it = items_.rbegin(); it != items_.rend(); ++it)
        if (common::equal_folded(it->first, name)) return std::string_view(it->second);
    return std::nullopt;
}

std::vector<std::string_view> query_params::all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [n, v] : items_)
        if (common::equal_folded(n, name)) out.push_back(v);
    return out;
}

}  // namespace dirsync::http
