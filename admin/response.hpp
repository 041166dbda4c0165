#pragma once

// Internal to dirsync_admin: what every admin endpoint answers with and acts as.

#include <nlohmann/json.hpp>

#include "directory/actor.hpp"
#include "http/message.hpp"
#include "http/principal.hpp"

namespace dirsync::admin {

/// `body` as `application/json` with `status` (invalid UTF-8 replaced, never a throw).
http::response json_response(unsigned status, const nlohmann::json& body);

/// Who an admin request acts as in the audit log and run history: "admin:<token id>".
directory::actor admin_actor(const http::principal& who);

}  // namespace dirsync::admin
