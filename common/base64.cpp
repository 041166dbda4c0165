#include "common/base64.hpp"

#include <cstdint>

namespace dirsync::common {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int digit_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

}  // namespace

std::string encode_base64(std::string_view bytes, base64_padding padding) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t left = bytes.size() - i;
        std::uint32_t n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (left > 1) n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        if (left > 2) n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (left > 1)
            out += alphabet[(n >> 6) & 63];
        else if (padding == base64_padding::required)
            out += '=';
        if (left > 2)
            out += alphabet[n & 63];
        else if (padding == base64_padding::required)
            out += '=';
    }
    return out;
}

std::optional<std::string> decode_base64(std::string_view text, base64_padding padding) {
    if (padding == base64_padding::required) {
        if (text.size() % 4 != 0) return std::nullopt;
        std::size_t pads = 0;
        while (pads < 2 && pads < text.size() && text[text.size() - 1 - pads] == '=') ++pads;
        text.remove_suffix(pads);
    }
    if (text.size() % 4 == 1) return std::nullopt;  // 6 bits cannot end a byte
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : text) {
        const int d = digit_value(c);
        if (d < 0) return std::nullopt;  // '=' included: padding only at the end, and only when required
        bits = (bits << 6) | static_cast<std::uint32_t>(d);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
    return out;
}

}  // namespace dirsync::common
