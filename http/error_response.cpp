#include "http/error_response.hpp"

#include <cstdint>

#include "common/utf8.hpp"

namespace dirsync::http {

std::string json_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 8);
    while (!text.empty()) {
        const auto c = static_cast<std::uint8_t>(text.front());
        if (c >= 0x80) {
            const std::size_t n = common::utf8_sequence_length(text, 0);
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

response method_not_allowed(std::string_view allow) {
    auto res = error_response(405, "method not allowed here; allowed: " + std::string(allow));
    res.headers.push_back({"Allow", std::string(allow)});
    return res;
}

}  // namespace dirsync::http
