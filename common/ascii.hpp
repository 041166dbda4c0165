#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace dirsync::common {

/// ASCII case folding, for protocol names (HTTP header names, SCIM attribute names, LDAP attribute types and
/// keywords) that compare case-insensitively over ASCII only. Bytes outside A-Z are left as they are.
constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// a-z as A-Z; other bytes as they are.
constexpr char ascii_upper(char c) noexcept {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// `a` and `b` equal when A-Z are folded to a-z.
constexpr bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

/// `s` begins with `prefix` when A-Z are folded to a-z (on both sides).
constexpr bool istarts_with_ascii(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

/// A-Z or a-z.
constexpr bool is_alpha_ascii(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
/// 0-9.
constexpr bool is_digit_ascii(char c) noexcept { return c >= '0' && c <= '9'; }
/// A-Z, a-z or 0-9.
constexpr bool is_alnum_ascii(char c) noexcept { return is_alpha_ascii(c) || is_digit_ascii(c); }

/// The value of a hexadecimal digit (either case), or -1 for any other character.
constexpr int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// `s` with A-Z folded to a-z.
inline std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

/// ASCII white space: space, tab, CR, LF, FF, VT.
constexpr bool is_ascii_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// `s` without leading and trailing ASCII white space.
constexpr std::string_view trim_ascii(std::string_view s) noexcept {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

/// The longest name is_lowercase_name accepts.
inline constexpr std::size_t max_lowercase_name_length = 63;

/// A name administrators give things and refer to in files, URLs and records (tenant ids, source names, role
/// names): 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or a digit.
constexpr bool is_lowercase_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > max_lowercase_name_length) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
        if (!ok) return false;
    }
    return true;
}

}  // namespace dirsync::common
