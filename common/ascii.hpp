#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace dirsync::common {

/// ASCII case folding, for protocol names (HTTP header names, SCIM attribute names, LDAP attribute types and
/// keywords) that compare case-insensitively over ASCII only. Bytes outside A-Z are left as they are.
constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
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

/// `s` with A-Z folded to a-z.
/// The value of a hexadecimal digit (either case), or -1 for any other character.
constexpr int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

inline std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

}  // namespace dirsync::common
