#pragma once

// Internal to dirsync_admin: the /tenants endpoints of the admin API (see api.hpp for the list). Every
// route on a tenant goes through tenant_actor (access.hpp) first: a tenant that is not the caller's is 404.

#include "common/json_input.hpp"
#include "directory/directory.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// Tenants, their users, user actions and role assignments. `dir` must outlive the router.
void add_tenant_routes(http::router::mount& m, directory::tenant_directory& dir,
                       common::json_input_limits json);
/// The tenants' role catalogues.
void add_role_routes(http::router::mount& m, directory::tenant_directory& dir,
                     common::json_input_limits json);
/// Invitations of each tenant, and their acceptance (POST /invitations/accept).
void add_invitation_routes(http::router::mount& m, directory::tenant_directory& dir,
                           common::json_input_limits json);
/// The tenants' outboxes: notices pending, delivered and failed, and retrying failed ones.
void add_notification_routes(http::router::mount& m, directory::tenant_directory& dir);
/// Relocations of people between tenants (/relocations).
void add_relocation_routes(http::router::mount& m, directory::tenant_directory& dir,
                           common::json_input_limits json);
/// The tenants' audit logs.
void add_audit_routes(http::router::mount& m, const directory::tenant_directory& dir);

}  // namespace dirsync::admin
