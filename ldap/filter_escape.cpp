#include "ldap/filter_escape.hpp"

#include <cstddef>

#include "common/utf8.hpp"

namespace dirsync::ldap {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_escaped(std::string& out, unsigned char byte) {
    out += '\\';
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0x0f];
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
        } else if (std::size_t n = common::utf8_sequence_length(value, i); n != 0) {
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
