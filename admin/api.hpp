#pragma once

#include <string>
#include <string_view>

#include "admin/sync_control.hpp"
#include "common/json_input.hpp"
#include "http/bearer_authenticator.hpp"
#include "http/message.hpp"

namespace dirsync::admin {

/// The admin HTTP API, mounted at `/admin/v1`, for dirsyncctl and operators' scripts. Authenticated by the
/// admin tokens of the configuration (`Authorization: Bearer`), which are distinct from every SCIM token;
/// with no admin token configured every request is refused with 401. Answers JSON
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
/// Thread-safe when `control` is.
class api {
  public:
    /// `auth` maps admin token digests to an actor name ("admin:<digest prefix>").
    /// Request bodies are parsed under `json`.
    api(sync_control& control, const http::bearer_authenticator& auth, common::json_input_limits json = {})
        : control_(control), auth_(auth), json_(json) {}

    static constexpr std::string_view base_path = "/admin/v1";

    /// True when `target` is under base_path.
    static bool owns(std::string_view target) noexcept;

    http::response handle(http::request& req) const;

  private:
    sync_control& control_;
    const http::bearer_authenticator& auth_;
    common::json_input_limits json_;
};

}  // namespace dirsync::admin
