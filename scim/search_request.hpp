#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/query_string.hpp"
#include "scim/error.hpp"
#include "scim/sort_spec.hpp"

namespace dirsync::scim {

/// Schema URN of an RFC 7644 §3.4.3 SearchRequest body.
inline constexpr std::string_view search_request_urn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// A list or search request: the RFC 7644 §3.4.2 query parameters of a GET on a collection, or the §3.4.3
/// SearchRequest body of a POST to `.search`. Checked for form only; the attribute paths, sortBy and filter
/// are resolved against a resource type's schema later (projection::make, validate_sort_spec, parse_filter).
struct search_request {
    std::vector<std::string> attributes;           ///< `attributes`, as given (elements may hold commas)
    std::vector<std::string> excluded_attributes;  ///< `excludedAttributes`, as given
    std::optional<std::string> filter;             ///< the filter text, not yet parsed
    std::optional<sort_spec> sort;                 ///< present when `sortBy` was given
    std::int64_t start_index = 1;                  ///< 1-based; values below 1 are taken as 1
    std::int64_t count = 0;                        ///< page size after the default and the cap; 0: count only
};

/// Reads a GET list request: `filter`, `startIndex`, `count` (as parse_list_request), `attributes`,
/// `excludedAttributes`, `sortBy` and `sortOrder` (a sortOrder without sortBy is ignored). Parameter names
/// are case-insensitive. Errors: 400 invalidValue for a non-integer startIndex/count, a sortBy that is not an
/// attribute path, or a sortOrder other than ascending/descending (any case).
boost::system::result<search_request, error> parse_search_query(const http::query_params& params,
                                                                std::size_t default_count,
                                                                std::size_t max_count);

/// Reads a SearchRequest body (RFC 7644 §3.4.3). Member names are case-insensitive and unknown members are
/// ignored. `count` defaults to `default_count`, is capped at `max_count`, and negative is 0; `startIndex`
/// below 1 is 1. `startIndex`/`count` may be JSON integers or strings of digits; `attributes` and
/// `excludedAttributes` arrays of strings (a single comma-separated string is accepted too).
/// Errors: 400 invalidSyntax when the body is not an object, `schemas` does not list search_request_urn, or a
/// member has the wrong JSON type; 400 invalidValue for a bad sortBy/sortOrder value.
boost::system::result<search_request, error> parse_search_body(const nlohmann::json& body,
                                                               std::size_t default_count,
                                                               std::size_t max_count);

}  // namespace dirsync::scim
