#pragma once

// Internal to dirsync_admin: the /tenants endpoints of the admin API.

#include "directory/directory.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// Mounts on `m` (the admin API's mount):
///   GET    /tenants                          every tenant: id, name, seats {limit, used, free}, users by
///   status GET    /tenants/{id}                     one tenant; 404 for an unknown one GET
///   /tenants/{id}/users/{user}        one user: status, seat, roles, source and subject, groups, times
///   DELETE /tenants/{id}/users/{user}        deletes it (204)
///   POST   /tenants/{id}/users/{user}/{action}  enable, disable, disconnect, reconnect, register: the user
///                                            after the change; 409 when its status does not allow it
/// Changes are made as actor "admin:<token id>". `dir` must outlive the router.
void add_tenant_routes(http::router::mount& m, directory::tenant_directory& dir);

}  // namespace dirsync::admin
