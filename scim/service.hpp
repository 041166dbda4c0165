#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/json_input.hpp"
#include "directory/directory.hpp"
#include "http/bearer_authenticator.hpp"
#include "http/message.hpp"
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

/// The SCIM 2.0 service provider for one process: authenticates the bearer token to exactly one tenant,
/// routes requests under `base_path` and answers them (RFC 7644). Every failure is a SCIM Error response; the
/// handler never throws for bad input. Thread-safe: may be called concurrently from all I/O threads.
class service {
  public:
    service(directory::tenant_directory& dir, const http::bearer_authenticator& auth,
            service_settings settings);

    /// True when `target` is under `base_path`.
    bool owns(std::string_view target) const noexcept;

    /// Answers one request under `base_path`.
    http::response handle(http::request& req) const;

  private:
    directory::tenant_directory& dir_;
    const http::bearer_authenticator& auth_;
    service_settings settings_;
};

}  // namespace dirsync::scim
