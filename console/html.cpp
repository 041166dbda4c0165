#include "console/html.hpp"

#include "common/utf8.hpp"

namespace dirsync::console {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const std::size_t n = common::utf8_sequence_length(text, pos);
            if (n == 0) {
                out += "\xEF\xBF\xBD";  // U+FFFD
                ++pos;
            } else {
                out.append(text.substr(pos, n));
                pos += n;
            }
            continue;
        }
        ++pos;
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            case '\0':
                out += "\xEF\xBF\xBD";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string link(std::string_view href, std::string_view text) {
    return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
}

std::string table_start(std::string_view id, std::initializer_list<column> columns) {
    std::string out = "<table id=\"" + escape(id) + "\"><thead><tr>";
    for (const auto& c : columns)
        out += std::string("<th scope=\"col\"") + (c.numeric ? " class=\"num\"" : "") + ">" +
               escape(c.label) + "</th>";
    return out + "</tr></thead><tbody>";
}

std::string counted(long long n, std::string_view noun, std::string_view plural) {
    std::string out = std::to_string(n) + " ";
    if (n == 1) return out + std::string(noun);
    return out + (plural.empty() ? std::string(noun) + "s" : std::string(plural));
}

}  // namespace dirsync::console
