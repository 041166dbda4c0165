#include "store/dialect.hpp"

#include <cstdio>

namespace dirsync::store::dialect {

std::string json_array_text(std::span<const std::string> values) {
    std::string out = "[";
    for (const auto& v : values) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (unsigned char c : v) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
        out += '"';
    }
    out += ']';
    return out;
}

}  // namespace dirsync::store::dialect
