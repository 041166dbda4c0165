#pragma once

// Internal to dirsync_admin: a user as the admin API shows it.

#include <nlohmann/json.hpp>

#include "directory/user.hpp"

namespace dirsync::admin {

/// The directory's view of `u`, not the SCIM resource: id, userName, displayName, givenName, familyName,
/// emails, status, seat (whether it holds one), roles, source, subject (the source anchor, else the IdP's
/// externalId), externalId, groups, created, lastModified, statusSince, registered, version.
nlohmann::json user_json(const directory::user& u);

}  // namespace dirsync::admin
