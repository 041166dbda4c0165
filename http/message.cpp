#include "http/message.hpp"

#include "common/ascii.hpp"

namespace dirsync::http {

std::optional<std::string_view> request::header(std::string_view name) const {
    for (const auto& field : headers)
        if (common::iequals_ascii(field.name, name)) return std::string_view(field.value);
    return std::nullopt;
}

response plain_error(unsigned status, std::string_view detail) {
    response res;
    res.status = status;
    res.content_type = "text/plain; charset=utf-8";
    res.body = std::string(detail) + "\n";
    return res;
}

}  // namespace dirsync::http
