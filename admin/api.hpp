#pragma once

#include <string>
#include <string_view>

#include "admin/sync_control.hpp"
#include "common/json_input.hpp"
#include "directory/directory.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// The admin HTTP API, mounted at `/admin/v1` on the daemon's router, for dirsyncctl and operators' scripts.
/// Only operator admin tokens are admitted (the configuration's top-level `admin_tokens`, distinct from every
/// SCIM token); anything else, or everything when no admin token is configured, is a 401. Answers JSON
/// (`application/json`); errors use the SCIM Error shape like the rest of the server.
///
/// Endpoints:
///   GET  /admin/v1/sync/sources                          every source with its state
///   GET  /admin/v1/sync/sources/{name}                   one source
///   GET  /admin/v1/sync/sources/{name}/runs?limit=N      its runs, newest first (default 20, max 1000)
///   POST /admin/v1/sync/sources/{name}/runs              start a run: body {"dry_run":bool,"mode":"full"|
///                                                        "incremental"} (both optional) -> 202 {"run":id}
///   POST /admin/v1/sync/sources/{name}/runs/{id}/release release a blocked run
///   GET  /admin/v1/sync/runs?limit=N                     runs of every source, newest first
///   GET  /admin/v1/sync/runs/{id}                        one run
///   GET  /admin/v1/tenants                               every tenant: seats {limit, used, free}, users by
///                                                        status (admin/tenant_routes.hpp)
///   GET  /admin/v1/tenants/{id}                          one tenant
///   GET, DELETE /admin/v1/tenants/{id}/users/{user}      one user; delete it
///   POST /admin/v1/tenants/{id}/users/{user}/{action}    enable, disable, disconnect, reconnect, register
/// Thread-safe when `control` is.
class api {
  public:
    /// Request bodies are parsed under `json`.
    /// `dir` gives the tenants' records; it must outlive the api.
    api(sync_control& control, directory::tenant_directory& dir, common::json_input_limits json = {})
        : control_(control), dir_(dir), json_(json) {}

    static constexpr std::string_view base_path = "/admin/v1";

    /// Mounts the endpoints above on `r`. The api must outlive `r`. The audit actor of a request is
    /// "admin:<token id>".
    void add_routes(http::router& r);

  private:
    sync_control& control_;
    directory::tenant_directory& dir_;
    common::json_input_limits json_;
};

}  // namespace dirsync::admin
