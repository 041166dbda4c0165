#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include "common/json_input.hpp"
#include "http/message.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// The JSON body of a request, parsed under `limits`. The Content-Type must be application/scim+json or
/// application/json (any parameters, e.g. charset) or absent; anything else is 415. An empty or malformed
/// body, one nested deeper than the limit, or one whose object names collide case-insensitively is 400
/// invalidSyntax; a number that does not fit a double is 400 invalidValue naming its attribute.
boost::system::result<nlohmann::json, error> parse_json_body(const http::request& req,
                                                             const common::json_input_limits& limits);

/// A SCIM JSON response: Content-Type application/scim+json, invalid UTF-8 replaced rather than thrown on.
http::response json_response(unsigned status, const nlohmann::json& body);

}  // namespace dirsync::scim
