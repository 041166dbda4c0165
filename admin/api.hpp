#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "admin/sync_control.hpp"
#include "common/json_input.hpp"
#include "directory/directory.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace dirsync::admin {

/// The request header naming the person an admin request is made for: the user id of a signed-in
/// administrator of the tenant the request acts on.
inline constexpr std::string_view acting_user_header = "Dirsync-Acting-User";

/// The admin HTTP API, mounted at `/admin/v1` on the daemon's router, for dirsyncctl, operators' scripts and
/// the product's administration screens. Admitted: operator tokens (the configuration's top-level
/// `admin_tokens`, every tenant) and tenant admin tokens (a tenant's `admin_tokens`, that tenant only: every
/// other tenant, and its sources and runs, is 404 to them); anything else is a 401. A request may name the
/// person it is made for in the `Dirsync-Acting-User` header (access.hpp). Answers JSON
/// (`application/json`); errors are the SCIM Error shape with a machine-readable `code` (response.hpp).
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
///                                                        status
///   GET  /admin/v1/tenants/{t}                           one tenant
///   GET /admin/v1/tenants/{t}/users?status=&role=&search=&match=prefix|substring&id=&subject=&cursor=&limit=
///                                                        users in list order, {"users":[...],"next":cursor}
///   POST /admin/v1/tenants/{t}/users                     create (starts provisioned): {"userName", ...}
///   GET, DELETE /admin/v1/tenants/{t}/users/{user}       one user; delete it
///   POST /admin/v1/tenants/{t}/users/{user}/{action}     enable, disable, disconnect, reconnect, register
///   POST /admin/v1/tenants/{t}/registrations             a first sign-in: {"userId"|"email"|"subject": ...}
///   PUT, DELETE /admin/v1/tenants/{t}/users/{user}/roles/{role}   assign, remove a role
///   GET, POST /admin/v1/tenants/{t}/roles                the role catalogue with holders; create a role
///   PATCH, DELETE /admin/v1/tenants/{t}/roles/{role}     change its description; delete it (?force=true
///                                                        when users hold it)
///   GET  /admin/v1/tenants/{t}/audit?user=&actor=&action=&since=&until=&cursor=&limit=
///                                                        events newest first, {"events":[...],"next":cursor}
///   GET, POST /admin/v1/tenants/{t}/invitations          list (?state=open|pending|expired|accepted|revoked|
///                                                        all&after=&limit=); invite {"emails","roles"}
///   GET, DELETE /admin/v1/tenants/{t}/invitations/{id}   one invitation; revoke it
///   POST /admin/v1/tenants/{t}/invitations/{id}/resend   a new code and expiry
///   POST /admin/v1/invitations/accept                    {"code","givenName","familyName","accountName"}
///   GET  /admin/v1/tenants/{t}/notifications?state=&before=&limit=   the outbox, newest first, no bodies
///   POST /admin/v1/tenants/{t}/notifications/{id}/retry  a failed message queued again
///   POST /admin/v1/tenants/{t}/departures                the person leaves: {"userId"|"email"|"subject":
///   ...} GET  /admin/v1/people?email=                         a person's records in every tenant (operators)
///   GET, POST /admin/v1/relocations                      requests (?state=&tenant=&before=&limit=); ask
///                                                        {"tenant","userId","to","reason","roles"}
///                                                        (operators)
///   GET  /admin/v1/relocations/{id}                      one request
///   POST /admin/v1/relocations/{id}/{verb}               authorise, refuse (an admin of the destination,
///                                                        named in Dirsync-Acting-User), remind, withdraw
///   POST /admin/v1/reload                                read the configuration file again and apply it
///                                                        (operators; daemon_control::reload)
///   GET  /admin/v1/status                                version, uptime, tenants, sources, store size
///                                                        (operators; daemon_control::status)
/// docs/invitations.md has the invitation endpoints' answers and codes.
/// Thread-safe when `control` is.
class api {
  public:
    /// Request bodies are parsed under `json`.
    /// `dir` gives the tenants' records; it must outlive the api.
    api(sync_control& control, directory::tenant_directory& dir, common::json_input_limits json = {})
        : control_(control), dir_(dir), json_(json) {}

    static constexpr std::string_view base_path = "/admin/v1";

    /// What /reload and /status ask; unset: they answer 503. `control` must outlive the api.
    void set_daemon_control(daemon_control* control) noexcept { daemon_ = control; }

    /// Mounts the endpoints above on `r`. The api must outlive `r`. The audit actor of a request is
    /// "admin:<token id>", with the acting user beside it when the request names one.
    void add_routes(http::router& r);

  private:
    /// The actor of a request on the source named in the call's path (the source's tenant decides what the
    /// caller may do and whom it may act for), or the answer refusing it.
    std::variant<directory::actor, http::response> source_actor(const http::route_call& call) const;

    sync_control& control_;
    daemon_control* daemon_ = nullptr;
    directory::tenant_directory& dir_;
    common::json_input_limits json_;
};

}  // namespace dirsync::admin
