#include "common/casefold.hpp"

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace dirsync::common {

namespace {

char32_t fold_code_point(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    if (c < 0xC0) return c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;  // Latin-1 capitals
    if (c >= 0x100 && c <= 0x137) return c | 1;                  // Latin Extended-A pairs (even = capital)
    if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;    // odd = capital
    if (c >= 0x14A && c <= 0x177) return c | 1;
    if (c == 0x178) return 0xFF;
    if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;  // Greek capitals
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;                // Cyrillic capitals
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    return c;
}

}  // namespace

std::string fold_case(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const char b = s[i];
        if (static_cast<unsigned char>(b) < 0x80) {
            out.push_back(ascii_lower(b));
            ++i;
            continue;
        }
        const std::size_t start = i;
        if (const auto c = next_code_point(s, i)) {
            append_utf8(fold_code_point(*c), out);
        } else {
            out.push_back(s[start]);  // invalid: the byte as it is (next_code_point advanced by one)
        }
    }
    return out;
}

bool equal_folded(std::string_view a, std::string_view b) {
    const auto is_ascii = [](std::string_view s) {
        for (char c : s)
            if (static_cast<unsigned char>(c) >= 0x80) return false;
        return true;
    };
    if (!is_ascii(a) || !is_ascii(b)) return fold_case(a) == fold_case(b);
    return iequals_ascii(a, b);
}

}  // namespace dirsync::common
