#include "ldap/filter_escape.hpp"

#include <cstddef>

namespace dirsync::ldap {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_escaped(std::string& out, unsigned char byte) {
    out += '\\';
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0x0f];
}

/// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF)
/// starting at `s[i]`, a byte >= 0x80; 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3;
        if (b0 == 0xe0) low = 0xa0;   // overlong
        if (b0 == 0xed) high = 0x9f;  // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4;
        if (b0 == 0xf0) low = 0x90;   // overlong
        if (b0 == 0xf4) high = 0x8f;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > s.size()) return 0;
    if (byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
    return length;
}

}  // namespace

std::string escape_filter_value(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 8);
    for (std::size_t i = 0; i < value.size();) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7f) {
            append_escaped(out, c);
            ++i;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
        } else if (std::size_t n = utf8_sequence_length(value, i); n != 0) {
            out.append(value.substr(i, n));
            i += n;
        } else {
            append_escaped(out, c);
            ++i;
        }
    }
    return out;
}

std::string escape_filter_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 3);
    for (char c : bytes) append_escaped(out, static_cast<unsigned char>(c));
    return out;
}

}  // namespace dirsync::ldap
