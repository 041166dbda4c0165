#include "common/casefold.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace dirsync::common {

namespace {

bool is_ascii(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

/// Appends the NFKC_Casefold of `valid`, which is valid UTF-8.
void append_folded(std::string_view valid, std::string& out) {
    if (valid.empty()) return;
    utf8proc_uint8_t* folded = nullptr;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                        UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                                static_cast<utf8proc_ssize_t>(valid.size()), &folded, options);
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(folded, &std::free);
    if (n < 0) {
        // Not expected for valid input; keep the text rather than lose it.
        for (char c : valid) out.push_back(ascii_lower(c));
        return;
    }
    out.append(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
}

/// Each code point of `s` through `map`; invalid bytes as they are.
std::string map_code_points(std::string_view s, utf8proc_int32_t (*map)(utf8proc_int32_t)) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        if (auto c = next_code_point(s, i))
            append_utf8(static_cast<char32_t>(map(static_cast<utf8proc_int32_t>(*c))), out);
        else
            out.append(s.substr(start, i - start));
    }
    return out;
}

}  // namespace

std::string to_lower(std::string_view s) { return map_code_points(s, &utf8proc_tolower); }

std::string to_upper(std::string_view s) { return map_code_points(s, &utf8proc_toupper); }

std::string fold_case(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    if (is_ascii(s)) {
        for (char c : s) out.push_back(ascii_lower(c));
        return out;
    }
    // Fold each run of valid UTF-8; copy an invalid byte as it is.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : utf8_sequence_length(s, i);
        if (n > 0) {
            i += n;
            continue;
        }
        append_folded(s.substr(run, i - run), out);
        out.push_back(s[i]);
        run = ++i;
    }
    append_folded(s.substr(run), out);
    return out;
}

bool equal_folded(std::string_view a, std::string_view b) {
    if (!is_ascii(a) || !is_ascii(b)) return fold_case(a) == fold_case(b);
    return iequals_ascii(a, b);
}

}  // namespace dirsync::common
