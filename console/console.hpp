#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http/router.hpp"

namespace dirsync::console {

/// How the console is served.
struct console_options {
    std::string path = "/console";  ///< the mount point: "/segment[/segment...]"
    std::chrono::steady_clock::duration idle_timeout = std::chrono::minutes(30);
    std::chrono::steady_clock::duration absolute_timeout = std::chrono::hours(8);
    /// The session cookie is sent over HTTPS only (TLS on the listener, or an https public_base_url).
    bool secure_cookies = false;
    std::size_t max_sessions = 10000;
    /// The time sessions age by; empty: the steady clock (tests pass their own).
    std::function<std::chrono::steady_clock::time_point()> clock = {};
};

class session_store;

/// The admin console in the browser (docs/console.md): server-rendered HTML pages for a tenant's
/// administrators and the operators, under `options.path` of the daemon's listener. Built on the admin API
/// only: every page reads and every form writes through /admin/v1 requests made in-process with the
/// signed-in session's token, so the API's access rules, refusals and audit apply unchanged, and there is
/// no second path to the store.
///
/// Sign-in takes an admin token (an operator's or a tenant's) and, optionally, the user the administrator
/// acts as; the token stays on the server in a session whose id is the only thing the browser holds (an
/// HttpOnly, SameSite=Strict cookie, Secure with `secure_cookies`). Every form carries the session's CSRF
/// token and is refused (403) without it. Pages send a Content-Security-Policy of 'self' only; the script
/// only enhances (confirmation dialogs, filters that apply on change): everything works without it.
/// A signed-in request is routed as its token's (the mount's `identify`): the tenant's lane, or the
/// operators'.
class admin_console {
  public:
    explicit admin_console(console_options options);
    ~admin_console();
    admin_console(const admin_console&) = delete;
    admin_console& operator=(const admin_console&) = delete;

    /// Mounts the console on `r`, whose /admin/v1 routes (admin::api) it calls. The console must outlive
    /// `r`'s use.
    void add_routes(http::router& r);

    /// Sessions held now (for tests and the status).
    std::size_t session_count() const;

  private:
    class impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace dirsync::console
