#include "ldap/guid.hpp"

#include <array>
#include <cstddef>

#include "common/ascii.hpp"

namespace dirsync::ldap {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

/// Positions of the dashes in the 36-character form.
constexpr std::array<std::size_t, 4> dash_positions{8, 13, 18, 23};

bool is_dash_position(std::size_t i) {
    for (auto p : dash_positions)
        if (p == i) return true;
    return false;
}

/// The 16 bytes written in `text` (36 characters, 8-4-4-4-12), in text order; nullopt if malformed.
std::optional<std::array<unsigned char, 16>> parse_canonical(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    std::array<unsigned char, 16> out{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (is_dash_position(i)) {
            if (text[i] != '-') return std::nullopt;
            ++i;
            continue;
        }
        const int high = common::hex_digit_value(text[i]);
        const int low = common::hex_digit_value(text[i + 1]);
        if (high < 0 || low < 0 || is_dash_position(i + 1)) return std::nullopt;
        out[n++] = static_cast<unsigned char>(high * 16 + low);
        i += 2;
    }
    return out;
}

/// `bytes` (16, in text order) as lowercase 8-4-4-4-12.
std::string format_canonical(const std::array<unsigned char, 16>& bytes) {
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex_digits[bytes[i] >> 4];
        out += hex_digits[bytes[i] & 0x0f];
    }
    return out;
}

/// Windows GUID byte order <-> text order: the first three fields are little-endian. Its own inverse.
constexpr std::array<std::size_t, 16> guid_order{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

}  // namespace

std::optional<std::string> format_guid(std::string_view bytes) {
    if (bytes.size() != 16) return std::nullopt;
    std::array<unsigned char, 16> text_order{};
    for (std::size_t i = 0; i < 16; ++i) text_order[i] = static_cast<unsigned char>(bytes[guid_order[i]]);
    return format_canonical(text_order);
}

std::optional<std::string> parse_guid(std::string_view text) {
    if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
    auto parsed = parse_canonical(text);
    if (!parsed) return std::nullopt;
    std::string bytes(16, '\0');
    for (std::size_t i = 0; i < 16; ++i) bytes[guid_order[i]] = static_cast<char>((*parsed)[i]);
    return bytes;
}

std::optional<std::string> format_uuid(std::string_view text) {
    auto parsed = parse_canonical(text);
    if (!parsed) return std::nullopt;
    return format_canonical(*parsed);
}

}  // namespace dirsync::ldap
