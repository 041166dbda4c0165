#pragma once

#include <boost/assert/source_location.hpp>
#include <string>
#include <string_view>

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
/// 400 tooMany: a filter or search that would cost more than the server is willing to spend (RFC 7644 §3.12).
error too_many(std::string detail);

/// A SCIM Error response (RFC 7644 §3.12): `Content-Type: application/scim+json` and the body
///     {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"<status>",
///      "scimType":"<scim_type>","detail":"<detail>"}
/// (on one line) with `status` as a string, `scimType` only when `scim_type` is non-empty and `detail` only
/// when `detail` is non-empty. Both strings are JSON-escaped; invalid UTF-8 is replaced by U+FFFD. `detail`
/// is sent to the client: never put internal error text in it. The error shape of every answer dirsyncd
/// gives, the admin API's and the HTTP server's own included.
http::response error_response(unsigned status, std::string_view detail, std::string_view scim_type = {});

/// `e` as error_response.
http::response to_response(const error& e);

[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace dirsync::scim
