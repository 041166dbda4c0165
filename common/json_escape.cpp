#include "common/json_escape.hpp"

#include <cstdint>

#include "common/utf8.hpp"

namespace dirsync::common {

std::string json_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 8);
    while (!text.empty()) {
        const auto c = static_cast<std::uint8_t>(text.front());
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence_length(text, 0);
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

}  // namespace dirsync::common
