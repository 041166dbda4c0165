#pragma once

// Internal to dirsync_admin: what every admin endpoint answers with and acts as.

#include <nlohmann/json.hpp>
#include <string_view>

#include "directory/actor.hpp"
#include "directory/error.hpp"
#include "http/message.hpp"
#include "http/principal.hpp"

namespace dirsync::admin {

/// `body` as `application/json` with `status` (invalid UTF-8 replaced, never a throw).
http::response json_response(unsigned status, const nlohmann::json& body);

/// An admin API error: the SCIM Error shape every dirsyncd answer uses, with a stable machine-readable
/// `code` beside the human `detail`:
///     {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","code":"last_admin",
///      "detail":"..."}
/// An empty `code` becomes the generic one of `status` (bad_request, unauthorized, forbidden, not_found,
/// conflict, precondition_failed, too_large, unavailable, ...).
http::response error_response(unsigned status, std::string_view code, std::string_view detail);

/// A directory refusal as an admin error: 404 not found (or another tenant's), 409 rule violations and
/// uniqueness, 412 stale version, 413 too large, 400 otherwise; code: the rule's reason, else the error code.
http::response refusal_response(const directory::error& e);

/// Who an admin request acts as in the audit log and run history: "admin:<token id>".
directory::actor admin_actor(const http::principal& who);

}  // namespace dirsync::admin
