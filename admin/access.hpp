#pragma once

// Internal to dirsync_admin: which tenants an admin request may act on, and as whom.

#include <functional>
#include <string_view>
#include <variant>

#include "admin/api.hpp"
#include "directory/actor.hpp"
#include "directory/directory.hpp"
#include "http/message.hpp"
#include "http/principal.hpp"
#include "http/query_string.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// Whether `who` may see and change `tenant`: operators every tenant, a tenant admin its own only.
bool may_access(const http::principal& who, std::string_view tenant) noexcept;

/// The actor of a request on `tenant`, or the answer refusing it:
/// - 404 (code "unknown_tenant") when the tenant does not exist or is not the caller's to see, the same
///   answer for both so a tenant admin learns nothing of other tenants;
/// - when the request carries the acting-user header: 403 (code "acting_user_not_admin") unless that user
///   exists in `tenant`, is `active` and holds the `admin` role; the actor then names it.
std::variant<directory::actor, http::response> tenant_actor(const http::route_call& call,
                                                            std::string_view tenant,
                                                            const directory::tenant_directory& dir);

/// What a route on one tenant works with once the caller may act there: the tenant (the path's {id}), the
/// actor (token and acting user), and the request's query parameters.
struct tenant_call {
    std::string_view tenant;
    directory::actor who;
    http::query_params query;
};

/// Answers one request on a tenant; same contract as http::route_handler.
using tenant_handler = std::function<http::response(const http::route_call&, const tenant_call&)>;

/// Mounts `handler` for `method` `pattern` (a pattern with {id}, the tenant) on `m`: it runs only after
/// tenant_actor admitted the caller and the query string parsed (else their refusal, or 400 code
/// "invalid_query", is the answer). `dir` must outlive the router.
void tenant_route(http::router::mount& m, std::string_view method, std::string_view pattern,
                  const directory::tenant_directory& dir, tenant_handler handler);

}  // namespace dirsync::admin
