#pragma once

// Internal to dirsync_admin: the /tenants endpoints of the admin API.

#include "directory/directory.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// Mounts on `m` (the admin API's mount):
///   GET /tenants        every configured tenant: id, name, seats {limit, used, free}, users by status
///   GET /tenants/{id}   one tenant; 404 for an unknown one
/// `dir` must outlive the router.
void add_tenant_routes(http::router::mount& m, const directory::tenant_directory& dir);

}  // namespace dirsync::admin
