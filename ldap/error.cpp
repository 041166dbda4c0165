#include "ldap/error.hpp"

#include <ldap.h>

#include <stdexcept>

namespace dirsync::ldap {

std::string_view to_string(error_kind kind) noexcept {
    switch (kind) {
        case error_kind::settings:
            return "settings";
        case error_kind::connect:
            return "connect";
        case error_kind::tls:
            return "tls";
        case error_kind::bind:
            return "bind";
        case error_kind::timeout:
            return "timeout";
        case error_kind::disconnected:
            return "disconnected";
        case error_kind::search:
            return "search";
        case error_kind::protocol:
            return "protocol";
        case error_kind::update:
            return "update";
    }
    return "unknown";
}

bool is_connection_error(const error& e) noexcept {
    return e.kind == error_kind::connect || e.kind == error_kind::tls || e.kind == error_kind::timeout ||
           e.kind == error_kind::disconnected;
}

std::string code_string(int code) {
    const char* text = ldap_err2string(code);
    return text ? std::string(text) : "unknown result code " + std::to_string(code);
}

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error(e.message);
}

}  // namespace dirsync::ldap
