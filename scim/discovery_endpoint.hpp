#pragma once

#include <string_view>

#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// True for the first path segments answered by answer_discovery: ServiceProviderConfig, ResourceTypes and
/// Schemas (ASCII case-insensitive).
bool is_discovery_endpoint(std::string_view collection) noexcept;

/// Answers the RFC 7644 §4 discovery endpoints, built from `settings.schemas` (see discovery.hpp):
/// GET /ServiceProviderConfig, GET /ResourceTypes and /Schemas (ListResponse of all), GET
/// /ResourceTypes/{name} and /Schemas/{urn} (one resource; the id may be percent-encoded; 404 when unknown).
/// A `filter` parameter is 403 (RFC 7644 §4: clients must not believe a filter was applied); the other query
/// parameters (sorting, paging, attributes) are ignored. Other methods are 405 with `Allow: GET`.
/// `collection` and `id` are the path segments after the base path; `base_url` is the absolute base URL for
/// `meta.location`. The caller has authenticated the request.
http::response answer_discovery(const http::request& req, std::string_view collection, std::string_view id,
                                std::string_view raw_query, const service_settings& settings,
                                std::string_view base_url);

}  // namespace dirsync::scim
