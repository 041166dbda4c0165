#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scim/error.hpp"

namespace dirsync::scim {

/// The BulkRequest and BulkResponse message URNs (RFC 7644 §3.7).
inline constexpr std::string_view bulk_request_urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
inline constexpr std::string_view bulk_response_urn = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

enum class bulk_method { post, put, patch, remove };
enum class bulk_resource { users, groups };

/// "POST", "PUT", "PATCH" or "DELETE".
std::string_view to_string(bulk_method m) noexcept;

/// One operation of a BulkRequest. When `failure` is set the operation was malformed: it is reported with
/// that error and never run, and only `method` (as sent) and `bulk_id` (when a string) are meaningful.
struct bulk_operation {
    std::string method;                  ///< upper case when valid, as sent otherwise, for the response
    std::optional<std::string> bulk_id;  ///< the client's transient id; required for POST
    std::optional<std::string> version;  ///< an entity tag, applied as If-Match (PUT, PATCH, DELETE only)
    bulk_method verb = bulk_method::post;
    bulk_resource resource = bulk_resource::users;
    std::string id;       ///< the resource id of the path ("" for POST); may be a "bulkId:<id>" reference
    nlohmann::json data;  ///< the request body; null for DELETE
    std::optional<error> failure;
};

/// A BulkRequest, its envelope and every operation's shape checked.
struct bulk_request {
    std::optional<std::size_t> fail_on_errors;  ///< stop once this many operations failed; absent: never
    std::vector<bulk_operation> operations;
};

/// Reads a BulkRequest body. Member names, `method` values and the resource type of `path` are
/// case-insensitive.
///
/// Whole-request errors: not an object, `schemas` not listing the BulkRequest URN, `Operations` not a
/// non-empty array, `failOnErrors` not an integer >= 1 (400 invalidSyntax / invalidValue); more than
/// `max_operations` operations (413, RFC 7644 §3.7.4).
///
/// Per-operation errors (set as `failure`, 400 invalidSyntax / invalidValue, the detail prefixed with
/// "Operations[i]: "): not an object; `method` not POST, PUT, PATCH or DELETE; `path` not "/Users",
/// "/Groups" (POST) or "/Users/{id}", "/Groups/{id}" (the others); a POST without a non-empty string
/// `bulkId`; a `bulkId` already used by an earlier operation; `version` not a string; `data` not an object
/// for POST, PUT and PATCH.
boost::system::result<bulk_request, error> read_bulk_request(const nlohmann::json& body,
                                                             std::size_t max_operations);

}  // namespace dirsync::scim
