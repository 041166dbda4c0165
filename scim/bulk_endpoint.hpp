#pragma once

#include <string>
#include <string_view>

#include "directory/directory.hpp"
#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// What a request to /Bulk is about, after routing and authentication.
struct bulk_request_context {
    const http::request& req;
    std::string_view tenant;
    const directory::actor& who;
    std::string base_url;  ///< absolute URL of the SCIM base, e.g. "https://h/scim/v2", for locations
};

/// POST /Bulk (RFC 7644 §3.7): runs a BulkRequest's operations on /Users and /Groups and answers 200 with a
/// BulkResponse listing, in request order, the result of each operation that ran: method, bulkId, location
/// (but for a failed POST), version (the new ETag) and status as a string; a failed operation carries its
/// SCIM Error as `response`, a successful one no body.
///
/// Each operation runs exactly as the equivalent single request would (the same users_endpoint /
/// groups_endpoint functions, its `version` as If-Match), in its own directory transaction: Bulk is NOT
/// atomic, and a failure leaves the operations before it applied. "bulkId:<id>" references in paths and in
/// data are replaced by the ids their POSTs created; operations run in request order except that a POST runs
/// before the operations that reference it (see plan_bulk). A reference that cannot be resolved (no such
/// POST, the POST failed, or POSTs referencing each other in a cycle) fails that operation with 409. With
/// `failOnErrors` n, the operations after the n-th failure are not run and not listed.
///
/// Whole-request answers: 501 when Bulk is off (`settings.bulk.max_operations` 0); 413 when the body is
/// larger than `max_payload_bytes` or has more than `max_operations` operations; 400/415 for a body that
/// is not a BulkRequest (see read_bulk_request). Stateless apart from its references; thread-safe.
class bulk_endpoint {
  public:
    bulk_endpoint(directory::tenant_directory& dir, const service_settings& settings)
        : dir_(dir), settings_(settings) {}

    http::response handle(const bulk_request_context& ctx) const;

  private:
    directory::tenant_directory& dir_;
    const service_settings& settings_;
};

}  // namespace dirsync::scim
