#include "http/message.hpp"

#include <algorithm>

namespace dirsync::http {

namespace {
constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}
}  // namespace

std::optional<std::string_view> request::header(std::string_view name) const {
    for (const auto& field : headers)
        if (iequals(field.name, name)) return std::string_view(field.value);
    return std::nullopt;
}

}  // namespace dirsync::http
