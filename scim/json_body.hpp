#pragma once

#include <boost/system/result.hpp>

#include <nlohmann/json.hpp>

#include "http/message.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// The JSON body of a request. The Content-Type must be application/scim+json or application/json (any
/// parameters, e.g. charset) or absent; anything else is 415. An empty or malformed body is 400 invalidSyntax
/// with the byte offset of the problem.
boost::system::result<nlohmann::json, error> parse_json_body(const http::request& req);

/// A SCIM JSON response: Content-Type application/scim+json, invalid UTF-8 replaced rather than thrown on.
http::response json_response(unsigned status, const nlohmann::json& body);

}  // namespace dirsync::scim
