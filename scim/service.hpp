#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/json_input.hpp"
#include "directory/directory.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "resource/schema.hpp"
#include "resource/service_schemas.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

/// Limits of POST /Bulk (RFC 7644 §3.7), as /ServiceProviderConfig reports them: Bulk is offered only when
/// `max_operations` is above 0.
struct bulk_limits {
    std::size_t max_operations = 1000;            ///< most operations in one request; 0: Bulk not supported
    std::size_t max_payload_bytes = 1024 * 1024;  ///< largest request body accepted by /Bulk
};

/// How the service treats one tenant's requests.
struct tenant_options {
    /// Refuse (400 invalidValue) attributes and schema URNs the served schemas do not declare, in POST, PUT
    /// and PATCH (paths included), instead of keeping them as sent; see unknown_attributes.hpp.
    bool strict_schema = false;
};

/// Settings of the SCIM endpoints.
struct service_settings {
    std::string base_path = "/scim/v2";  ///< where the endpoints are mounted
    /// Absolute URL clients reach `base_path` at, for `meta.location` and `Location`, e.g.
    /// "https://sync.example.com/scim/v2". Empty: derived from the request's Host header and the transport.
    std::string public_base_url;
    bool tls = false;                     ///< whether the transport is HTTPS (for derived URLs)
    std::size_t default_page_size = 100;  ///< `count` when the client gives none
    std::size_t max_page_size = 1000;     ///< larger `count` values are lowered to this
    /// A list page stops early once its resources reach about this many bytes (at least one is returned;
    /// RFC 7644 §3.4.2.4 lets a page hold fewer than `count`, and itemsPerPage says how many it holds), so
    /// that a page of large records is bounded in size and memory. 0: no bound.
    std::size_t max_page_bytes = 4 * 1024 * 1024;
    /// Longest a filtered or sorted list may visit resources before it is refused with 400 tooMany (an
    /// unindexed filter or a sort over a large tenant); 0: no limit. See list_query::time_limit.
    std::chrono::milliseconds search_time_limit{10'000};
    /// Hashes a password a request sets, for `tenant` (common::hash_password: slow and memory-hard on
    /// purpose). The daemon runs it on a small pool of its own, one hash per tenant at a time, so one
    /// tenant's Bulk of passwords cannot take every core. Unset: common::hash_password on the calling thread.
    std::function<std::string(std::string_view tenant, std::string_view password)> password_hasher;
    filter_limits filter;
    bulk_limits bulk;
    common::json_input_limits json;  ///< applied to every request body
    /// The schemas of the resource types: built-in ones and configured extensions. Never null.
    std::shared_ptr<const resource::service_schemas> schemas = resource::default_service_schemas();
    /// Options per tenant id; a tenant not listed gets the defaults.
    std::map<std::string, tenant_options, std::less<>> tenants;

    /// The options of `tenant`.
    const tenant_options& options_for(std::string_view tenant) const;
};

/// The SCIM 2.0 service provider for one process (RFC 7644): the endpoints under `base_path`, mounted on the
/// daemon's router. Only SCIM tokens are admitted, each to exactly its own tenant; anything else is a 401
/// SCIM Error with `WWW-Authenticate: Bearer`. Every failure is a SCIM Error response; no handler throws for
/// bad input. Thread-safe: may be called concurrently from all I/O threads.
class service {
  public:
    service(directory::tenant_directory& dir, service_settings settings);

    /// Mounts the endpoints on `r` at `base_path` (collection names case-insensitive):
    ///   GET, POST /Users; POST /Users/.search; GET, PUT, PATCH, DELETE /Users/{id}; the same for /Groups;
    ///   POST /Bulk; POST /.search; GET /ServiceProviderConfig, /ResourceTypes[/{name}], /Schemas[/{urn}].
    /// The service must outlive `r`.
    void add_routes(http::router& r) const;

    /// The settings requests are served with now.
    std::shared_ptr<const service_settings> settings() const { return settings_.load(); }

    /// Serves every request from now on with `settings` (a configuration reload: schemas, tenants' options,
    /// limits, the public URL); requests under way finish with the settings they started with. The mount
    /// point stays where add_routes put it: `base_path` is not changed.
    void reconfigure(service_settings settings);

  private:
    /// Who is calling and where the resources are: the tenant, the audit actor and the absolute base URL.
    struct scope;
    scope scope_of(const http::route_call& call) const;

    /// The routes of one resource type at `collection` ("/Users"): GET and POST on it, POST .search, and GET,
    /// PUT, PATCH, DELETE on `{id}`, served by an `Endpoint` with a `Context` per request.
    template <class Endpoint, class Context>
    void add_resource_routes(http::router::mount& m, const std::string& collection) const;

    /// `settings` with the trailing '/' of its paths removed and the mounted base path.
    service_settings normalized(service_settings settings) const;

    directory::tenant_directory& dir_;
    std::string base_path_;  ///< where add_routes mounts the endpoints, fixed at construction
    std::atomic<std::shared_ptr<const service_settings>> settings_;
};

}  // namespace dirsync::scim
