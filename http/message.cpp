#include "http/message.hpp"

#include "common/ascii.hpp"

namespace dirsync::http {

std::optional<std::string_view> request::header(std::string_view name) const {
    for (const auto& field : headers)
        if (common::iequals_ascii(field.name, name)) return std::string_view(field.value);
    return std::nullopt;
}

}  // namespace dirsync::http
