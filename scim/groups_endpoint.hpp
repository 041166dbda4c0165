#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "directory/directory.hpp"
#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// What a request under /Groups is about, after routing and authentication.
struct group_request_context {
    const http::request& req;
    std::string_view tenant;
    const directory::actor& who;
    std::string groups_url;  ///< absolute URL of the Groups collection, for locations and member $refs
    std::string_view
        raw_query;  ///< the request's query string (filter, paging, attributes, excludedAttributes)
};

/// The /Groups resource type (RFC 7643 §4.2, RFC 7644 §3.3-3.6): create, read, list and search (filter,
/// sortBy, paging, attributes/excludedAttributes, as for Users), replace, patch, delete; If-Match /
/// If-None-Match as for Users. Members are read only when the response carries them (or a filter or sortBy
/// needs them): `excludedAttributes=members`, or `attributes` without members, skip them entirely (Entra
/// asks so). A filter is answered from an index for `eq` on id, displayName (case-insensitive) or
/// externalId. PATCH answers 204 No Content with the new ETag (RFC 7644 §3.5.2 allows it, Entra and Okta
/// expect it, and it keeps a member change on a large group from rendering every member); with
/// `attributes`/`excludedAttributes` or `Prefer: return=representation` it answers 200 with the resource.
/// Attributes are looked up in `settings.schemas->groups()`; a tenant with strict_schema gets what they do
/// not declare refused (unknown_attributes.hpp). Stateless apart from its references; thread-safe.
class groups_endpoint {
  public:
    /// GET /Groups/{id} reads every member of the group (100,000 of them, possibly): a worker's job.
    static constexpr bool get_is_bounded = false;
    /// Lists render members too: never bounded.
    static bool list_is_bounded(const http::request&) { return false; }

    groups_endpoint(directory::tenant_directory& dir, const service_settings& settings)
        : dir_(dir), settings_(settings) {}

    /// POST /Groups with the request's JSON body.
    http::response create(const group_request_context& ctx) const;
    /// POST /Groups with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers.
    http::response create(const group_request_context& ctx, const nlohmann::json& body) const;
    http::response get(const group_request_context& ctx, std::string_view id) const;
    http::response list(const group_request_context& ctx) const;
    /// POST /Groups/.search (RFC 7644 §3.4.3).
    http::response search(const group_request_context& ctx) const;
    http::response replace(const group_request_context& ctx, std::string_view id) const;
    /// PUT with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers (If-Match).
    http::response replace(const group_request_context& ctx, std::string_view id,
                           const nlohmann::json& body) const;
    http::response patch(const group_request_context& ctx, std::string_view id) const;
    /// PATCH with `body` already parsed (a Bulk operation); `ctx.req` gives only the headers (If-Match,
    /// Prefer).
    http::response patch(const group_request_context& ctx, std::string_view id,
                         const nlohmann::json& body) const;
    http::response remove(const group_request_context& ctx, std::string_view id) const;

  private:
    directory::tenant_directory& dir_;
    const service_settings& settings_;
};

}  // namespace dirsync::scim
