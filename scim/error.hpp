#pragma once

#include <boost/assert/source_location.hpp>
#include <string>

#include "http/message.hpp"

namespace dirsync::scim {

/// An expected SCIM failure, answered as a SCIM Error resource (RFC 7644 §3.12). `detail` goes to the client
/// and must say what is wrong with the request, never internal state.
struct error {
    error() = default;
    error(unsigned s, std::string type, std::string d)
        : status(s), scim_type(std::move(type)), detail(std::move(d)) {}

    unsigned status = 400;
    std::string
        scim_type;  ///< invalidFilter, invalidSyntax, invalidValue, uniqueness, mutability, noTarget, ...
    std::string detail;
};

error invalid_syntax(std::string detail);
error invalid_value(std::string detail);
error invalid_filter(std::string detail);
error mutability_error(std::string detail);
error no_target(std::string detail);
error uniqueness_error(std::string detail);
error not_found(std::string detail);

http::response to_response(const error& e);

[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace dirsync::scim
