#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace dirsync::http {

/// A SCIM Error response (RFC 7644 §3.12): `Content-Type: application/scim+json` and the body
///     {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"<status>",
///      "scimType":"<scim_type>","detail":"<detail>"}
/// (on one line) with `status` as a string, `scimType` only when `scim_type` is non-empty and `detail` only
/// when `detail` is non-empty. Both strings are JSON-escaped; invalid UTF-8 is replaced by U+FFFD. `detail`
/// is sent to the client: never put internal error text in it.
response error_response(unsigned status, std::string_view detail, std::string_view scim_type = {});

/// 405 as error_response, with `Allow: <allow>` (a comma-separated list of methods such as "GET, POST") and a
/// detail naming them.
response method_not_allowed(std::string_view allow);

/// `text` as the contents of a JSON string literal (without the quotes): `"` and `\` escaped, control
/// characters as `\n`, `\t`, ... or `\u00XX`, invalid UTF-8 replaced by U+FFFD.
std::string json_escape(std::string_view text);

}  // namespace dirsync::http
