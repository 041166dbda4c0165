#pragma once

#include <string_view>

#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// Answers the RFC 7644 §4 discovery endpoints, built from `settings.schemas` (see discovery.hpp):
/// GET /ServiceProviderConfig, GET /ResourceTypes and /Schemas (ListResponse of all), GET
/// /ResourceTypes/{name} and /Schemas/{urn} (one resource; 404 when unknown).
/// A `filter` parameter is 403 (RFC 7644 §4: clients must not believe a filter was applied); the other query
/// parameters (sorting, paging, attributes) are ignored. `collection` is one of the three names as spelled
/// here, `id` the percent-decoded segment after it (empty for the collection itself); `base_url` is the
/// absolute base URL for `meta.location`. The router has authenticated the request and checked the method.
http::response answer_discovery(std::string_view collection, std::string_view id, std::string_view raw_query,
                                const service_settings& settings, std::string_view base_url);

}  // namespace dirsync::scim
