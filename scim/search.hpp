#pragma once

#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string_view>

#include "http/message.hpp"
#include "scim/attribute_projection.hpp"
#include "scim/filter.hpp"
#include "scim/resource_collection.hpp"
#include "scim/search_request.hpp"
#include "scim/service.hpp"
#include "scim/sort_spec.hpp"

namespace dirsync::scim {

/// What one search asks of a resource type, for sources that can load less than everything.
struct search_needs {
    const projection& shape;  ///< how the resources will be returned (see is_returned)
    const filter* match;      ///< the filter, nullptr when none: what it tests must still be loaded
    const sort_spec* sort;    ///< sortBy, nullptr when none: its attribute must still be loaded
};

/// A resource type that a list or search covers: its schemas and how to open its resources of the request's
/// tenant. Listing several gives a search across resource types (POST /.search at the service root).
struct search_target {
    const resource::resource_schema* schema = nullptr;
    std::function<std::unique_ptr<resource_collection>(const search_needs& needs)> open;
};

/// Answers a list or search over `targets` in order, as a ListResponse (see list_resources). The filter is
/// parsed with `settings.filter` (400 invalidFilter) and evaluated against each target's schema; the
/// projection is made against each target's schema (400 invalidValue, see projection::make); sortBy must be
/// valid for at least one target (400 invalidValue, see validate_sort_spec); resources of a target that lacks
/// the attribute have no value and sort as such. startIndex and count are used as given.
/// The list gets `settings.search_time_limit` and stops at `stop` (see list_query).
http::response answer_search(const search_request& request, std::span<const search_target> targets,
                             const service_settings& settings, std::stop_token stop = {});

/// A GET on a collection (RFC 7644 §3.4.2): parse_search_query on `raw_query`, then answer_search.
http::response answer_search_query(std::string_view raw_query, std::span<const search_target> targets,
                                   const service_settings& settings, std::stop_token stop = {});

/// A POST to `.search` (RFC 7644 §3.4.3): parse_json_body and parse_search_body, then answer_search (with
/// `req.stop`).
http::response answer_search_body(const http::request& req, std::span<const search_target> targets,
                                  const service_settings& settings);

}  // namespace dirsync::scim
