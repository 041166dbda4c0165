#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

// The User `password` (RFC 7643 §4.1.1: writeOnly, returned never) never enters the stored resource: the
// Users endpoint takes it out of the request with these functions, hashes it (common::hash_password) before
// the directory's write transaction, and hands only the hash to the directory. Error details never quote
// the value.

/// Longest password accepted, in bytes.
inline constexpr std::size_t max_password_bytes = 1024;

/// What a request asks for the stored password.
struct password_write {
    std::optional<std::string> cleartext;  ///< the new password; nullopt: clear the stored one
};

/// Takes the password out of a User body (POST, PUT): the member `password` (any case), the URN-qualified
/// `urn:ietf:params:scim:schemas:core:2.0:User:password`, and `password` inside an object keyed by the core
/// User URN. A string sets it; null or "" clears it (unassigned, RFC 7643 §2.5). nullopt when the body has
/// none (or is not an object). Errors: 400 invalidValue for a value that is not a string, or longer than
/// max_password_bytes.
boost::system::result<std::optional<password_write>, error> take_password(nlohmann::json& body);

/// What take_password_operations found.
struct patch_password {
    std::optional<password_write> password;  ///< the last password write of the request; nullopt: none
    bool operations_left = true;             ///< false when every operation was about the password
};

/// Takes the password out of a PatchOp request (RFC 7644 §3.5.2), before apply_patch sees it:
///  - an operation whose path resolves (against `schemas`) to the core `password`: `remove` clears it,
///    `add`/`replace` set it (null or "" clear it); the operation is dropped;
///  - `password` members (as take_password finds them) of a path-less `add`/`replace` value, or of a value
///    for the path naming the core User schema; an operation whose value is left empty is dropped.
/// The last write wins. A request that is not a well-formed PatchOp, and operations that are malformed, are
/// left for apply_patch to explain. Errors as take_password, prefixed with the operation ("Operations[i]:").
boost::system::result<patch_password, error> take_password_operations(
    nlohmann::json& patch_request, const resource::resource_schema& schemas);

}  // namespace dirsync::scim
