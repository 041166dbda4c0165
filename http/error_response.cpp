#include "http/error_response.hpp"

#include <cstdint>

namespace dirsync::http {

namespace {

/// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 if it is malformed (RFC 3629:
/// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s) noexcept {
    auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
    auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
    const std::uint8_t b0 = byte(0);
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (!continuation(1) || !continuation(2)) return 0;
        const std::uint8_t b1 = byte(1);
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
        const std::uint8_t b1 = byte(1);
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

std::string json_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 8);
    while (!text.empty()) {
        const auto c = static_cast<std::uint8_t>(text.front());
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence_length(text);
            if (n == 0) {
                out += "\xEF\xBF\xBD";  // U+FFFD
                text.remove_prefix(1);
            } else {
                out.append(text.substr(0, n));
                text.remove_prefix(n);
            }
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    out += "\\u00";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 0xF]);
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
        text.remove_prefix(1);
    }
    return out;
}

response error_response(unsigned status, std::string_view detail, std::string_view scim_type) {
    response res;
    res.status = status;
    res.content_type = "application/scim+json";
    res.body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":")";
    res.body += std::to_string(status);
    res.body += '"';
    if (!scim_type.empty()) {
        res.body += R"(,"scimType":")";
        res.body += json_escape(scim_type);
        res.body += '"';
    }
    if (!detail.empty()) {
        res.body += R"(,"detail":")";
        res.body += json_escape(detail);
        res.body += '"';
    }
    res.body += '}';
    return res;
}

}  // namespace dirsync::http
