#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/bearer_authenticator.hpp"
#include "http/message.hpp"
#include "http/principal.hpp"

namespace dirsync::http {

/// The values a route pattern's `{name}` segments captured, percent-decoded.
class path_params {
  public:
    /// The value captured for `name`; empty when the pattern has no such segment.
    std::string_view get(std::string_view name) const noexcept;

  private:
    friend class router;
    std::vector<std::pair<std::string_view, std::string>> values_;
};

/// What a route handler is given.
struct route_call {
    request& req;
    const principal& who;  ///< authenticated, and admitted by the route's mount
    const path_params& params;
    std::string_view path;   ///< the request path, without the query
    std::string_view query;  ///< the raw query string, without '?'
};

/// Answers one routed request. Same contract as http::handler: 4xx for bad input, never a throw for it.
using route_handler = std::function<response(const route_call&)>;

/// How a route's handler is run.
struct route_options {
    /// The handler is cheap and bounded (a read by key, no write, no scan): it is answered on the I/O thread
    /// (lane_of() says so), saving the hand-over to a worker and back, which costs more than such a read.
    bool on_io_thread = false;
    /// The same, decided per request (a list is bounded when its filter names one record by a unique key).
    /// Must be cheap itself and must not throw.
    std::function<bool(const request&)> on_io_thread_when = {};
};

/// A path prefix whose routes share who may call them. The mount with the longest prefix that matches the
/// request path on a segment boundary takes the request.
struct mount_point {
    std::string prefix;  ///< e.g. "/scim/v2"; empty for the root (every path). Matched case-sensitively.
    /// Literal segments of this mount's patterns match ASCII case-insensitively (SCIM's "/users" is
    /// "/Users").
    bool fold_case = false;
    /// Who may call the mount's routes; empty: everyone, anonymous included.
    std::function<bool(const principal&)> admits;
    /// The answer to a principal `admits` refuses (a 401 with WWW-Authenticate, usually); it is given before
    /// any 404 or 405, so the mount's layout is not disclosed to strangers. Required when `admits` is set.
    std::function<response(const request&, const principal&)> refuse;
    /// The mount's handlers are cheap and must answer even when every worker is busy (a health check):
    /// lane_of() sends them to the I/O thread.
    bool on_io_thread = false;
    /// Who a request to this mount is, when the mount knows its callers by something else than a bearer
    /// token (the console's session cookie); empty: the Authorization header, as everywhere. Decides the
    /// principal `admits` sees, the lane and the tenant the access log names. Must be cheap, thread-safe,
    /// and must not throw.
    std::function<principal(const request&)> identify = {};
};

/// The one table from method + path pattern to handler, for every endpoint the daemon serves. A request is
/// authenticated once (the Authorization header, by `auth`), then routed:
///   1. the mount with the longest matching prefix is chosen; none: 404;
///   2. a principal the mount does not admit gets the mount's refusal;
///   3. the rest of the path (leading and trailing '/' ignored) is matched against the mount's patterns;
///      where several match, the one with a literal segment where the others capture wins (so
///      "/Users/.search" beats "/Users/{id}"); none: 404;
///   4. the method picks the handler; HEAD is served by the GET handler where no HEAD route exists (the
///      server drops the body); no handler: 405 with `Allow` listing the pattern's methods.
/// The handler's response gets `tenant` set to the principal's tenant unless it set one itself.
/// Errors are built by `errors`. Routes are added before the router serves; then it is immutable and
/// thread-safe.
class router {
  public:
    /// The routes of one mount point, added with `route`.
    class mount {
      public:
        /// Serves `method` (as sent, e.g. "GET") on `pattern`: '/'-separated segments below the mount's
        /// prefix, each literal or `{name}` (one non-empty segment, captured), e.g. "/Users/{id}"; "/" or ""
        /// is the prefix itself. Throws std::invalid_argument for the same method and pattern twice or a
        /// malformed pattern.
        mount& route(std::string_view method, std::string_view pattern, route_handler handler,
                     route_options options = {});

      private:
        friend class router;
        struct route_entry;
        struct pattern_entry;
        explicit mount(mount_point point);
        /// The most specific pattern matching `segments` (with its captures in `params`), or null.
        const pattern_entry* match(const std::vector<std::string_view>& segments, path_params& params) const;
        mount_point point_;
        std::vector<std::unique_ptr<pattern_entry>> patterns_;
    };

    /// `auth` must outlive the router. `errors` empty: plain_error.
    router(const bearer_authenticator& auth, error_formatter errors);
    ~router();
    router(const router&) = delete;
    router& operator=(const router&) = delete;

    /// Adds a mount point; the returned reference stays valid as long as the router. Throws
    /// std::invalid_argument for a prefix mounted twice or not of the form "/a/b" (or empty).
    mount& add_mount(mount_point point);

    const bearer_authenticator& authenticator() const noexcept { return auth_; }

    /// Routes and answers `req` as described above.
    response operator()(request& req) const;

    /// The lane `req` is handled in (an http::lane_function): the principal's tenant for a tenant's
    /// credential ("tenant:<id>"), "operator" for an operator, "anonymous" otherwise. nullopt (answer on the
    /// I/O thread) where no handler runs or it is cheap: no mount, a principal the mount refuses, a mount
    /// `on_io_thread`, a route `on_io_thread`. Authenticates and matches like operator() does; touches no
    /// handler.
    std::optional<std::string> lane_of(const request& req) const;

  private:
    const mount* mount_for(std::string_view path) const noexcept;
    /// The principal of `req` on mount `m`: its `identify`, else the bearer token.
    principal who_is(const mount& m, const request& req) const;

    const bearer_authenticator& auth_;
    error_formatter errors_;
    std::vector<std::unique_ptr<mount>> mounts_;
};

}  // namespace dirsync::http
