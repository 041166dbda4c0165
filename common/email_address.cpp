#include "common/email_address.hpp"

namespace dirsync::common {

namespace {

constexpr std::string_view local_specials = "!#$%&'*+/=?^_`{|}~-";

bool is_alnum_or_utf8(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool valid_local_part(std::string_view s) noexcept {
    if (s.empty() || s.size() > 64 || s.front() == '.' || s.back() == '.') return false;
    char previous = 0;
    for (char c : s) {
        if (c == '.' && previous == '.') return false;
        if (!is_alnum_or_utf8(c) && c != '.' && local_specials.find(c) == std::string_view::npos)
            return false;
        previous = c;
    }
    return true;
}

bool valid_label(std::string_view s) noexcept {
    if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
    for (char c : s)
        if (!is_alnum_or_utf8(c) && c != '-') return false;
    return true;
}

}  // namespace

bool is_email_address(std::string_view s) noexcept {
    if (s.size() > 254) return false;
    const auto at = s.rfind('@');
    if (at == std::string_view::npos || !valid_local_part(s.substr(0, at))) return false;
    std::string_view domain = s.substr(at + 1);
    int labels = 0;
    while (true) {
        const auto dot = domain.find('.');
        if (!valid_label(domain.substr(0, dot))) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        domain.remove_prefix(dot + 1);
    }
    return labels >= 2;
}

}  // namespace dirsync::common
