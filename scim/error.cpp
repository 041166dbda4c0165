#include "scim/error.hpp"

#include <stdexcept>

#include "http/error_response.hpp"

namespace dirsync::scim {

error invalid_syntax(std::string detail) { return {400, "invalidSyntax", std::move(detail)}; }
error invalid_value(std::string detail) { return {400, "invalidValue", std::move(detail)}; }
error invalid_filter(std::string detail) { return {400, "invalidFilter", std::move(detail)}; }
error mutability_error(std::string detail) { return {400, "mutability", std::move(detail)}; }
error no_target(std::string detail) { return {400, "noTarget", std::move(detail)}; }
error uniqueness_error(std::string detail) { return {409, "uniqueness", std::move(detail)}; }
error not_found(std::string detail) { return {404, "", std::move(detail)}; }

http::response to_response(const error& e) { return http::error_response(e.status, e.detail, e.scim_type); }

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error("scim error: " + e.detail);
}

}  // namespace dirsync::scim
