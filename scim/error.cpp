#include "scim/error.hpp"

#include <stdexcept>

#include "common/json_escape.hpp"

namespace dirsync::scim {

error invalid_syntax(std::string detail) { return {400, "invalidSyntax", std::move(detail)}; }
error invalid_value(std::string detail) { return {400, "invalidValue", std::move(detail)}; }
error invalid_filter(std::string detail) { return {400, "invalidFilter", std::move(detail)}; }
error mutability_error(std::string detail) { return {400, "mutability", std::move(detail)}; }
error no_target(std::string detail) { return {400, "noTarget", std::move(detail)}; }
error uniqueness_error(std::string detail) { return {409, "uniqueness", std::move(detail)}; }
error not_found(std::string detail) { return {404, "", std::move(detail)}; }
error too_many(std::string detail) { return {400, "tooMany", std::move(detail)}; }

http::response error_response(unsigned status, std::string_view detail, std::string_view scim_type) {
    http::response res;
    res.status = status;
    res.content_type = "application/scim+json";
    res.body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":")";
    res.body += std::to_string(status);
    res.body += '"';
    if (!scim_type.empty()) {
        res.body += R"(,"scimType":")";
        res.body += common::json_escape(scim_type);
        res.body += '"';
    }
    if (!detail.empty()) {
        res.body += R"(,"detail":")";
        res.body += common::json_escape(detail);
        res.body += '"';
    }
    res.body += '}';
    return res;
}

http::response to_response(const error& e) { return error_response(e.status, e.detail, e.scim_type); }

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error("scim error: " + e.detail);
}

}  // namespace dirsync::scim
