#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "directory/directory.hpp"
#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// What a request under /Users is about, after routing and authentication.
struct user_request_context {
    const http::request& req;
    std::string_view tenant;
    const directory::actor& who;
    std::string users_url;            ///< absolute URL of the Users collection, for locations
    std::string_view raw_query = {};  ///< the request's query string (filter, paging, attributes, ...)
};

/// The /Users resource type (RFC 7644 §3.3-3.6): create, read, list with filter and paging, replace, patch,
/// delete. Attributes are looked up in `settings.schemas->users()`; a tenant with strict_schema gets what
/// they do not declare refused (unknown_attributes.hpp). `password` is taken out of POST, PUT and PATCH
/// bodies (user_password.hpp), hashed before the directory's write transaction, and stored apart from the
/// resource; it is never returned. Stateless apart from its references; thread-safe.
class users_endpoint {
  public:
    /// GET /Users/{id} reads one user by key (and the groups it is in): cheap enough for the I/O thread.
    static constexpr bool get_is_bounded = true;
    /// Whether GET /Users (`req`) names at most one user by a unique key (`filter=userName eq "…"`, or `id
    /// eq`, possibly and-ed with more): answered from the index, cheap enough for the I/O thread too.
    static bool list_is_bounded(const http::request& req);

    users_endpoint(directory::tenant_directory& dir, const service_settings& settings)
        : dir_(dir), settings_(settings) {}

    /// POST /Users with the request's JSON body.
    http::response create(const user_request_context& ctx) const;
    /// POST /Users with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers.
    http::response create(const user_request_context& ctx, const nlohmann::json& body) const;
    http::response get(const user_request_context& ctx, std::string_view id) const;
    /// GET /Users: filter, sortBy/sortOrder, startIndex/count, attributes/excludedAttributes (RFC 7644
    /// §3.4.2).
    http::response list(const user_request_context& ctx) const;
    /// POST /Users/.search: the same as list() with a SearchRequest body (RFC 7644 §3.4.3).
    http::response search(const user_request_context& ctx) const;
    http::response replace(const user_request_context& ctx, std::string_view id) const;
    /// PUT with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers (If-Match).
    http::response replace(const user_request_context& ctx, std::string_view id,
                           const nlohmann::json& body) const;
    http::response patch(const user_request_context& ctx, std::string_view id) const;
    /// PATCH with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers (If-Match).
    http::response patch(const user_request_context& ctx, std::string_view id,
                         const nlohmann::json& body) const;
    http::response remove(const user_request_context& ctx, std::string_view id) const;

  private:
    directory::tenant_directory& dir_;
    const service_settings& settings_;
};

}  // namespace dirsync::scim
