#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "http/query_string.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// Paging and filtering of a list request (RFC 7644 §3.4.2), from the query string or a /.search body.
struct list_request {
    std::optional<std::string> filter;
    std::int64_t start_index = 1;  ///< 1-based; values below 1 are taken as 1 (RFC 7644 §3.4.2.4)
    std::int64_t count = 0;        ///< page size after defaults and the cap; 0 asks for totalResults only
};

/// Reads `filter`, `startIndex` and `count`. `count` defaults to `default_count`, is capped at `max_count`,
/// and a negative value is taken as 0 (RFC 7644 §3.4.2.4). A non-integer is 400 invalidValue.
boost::system::result<list_request, error> parse_list_request(const http::query_params& params,
                                                              std::size_t default_count,
                                                              std::size_t max_count);

}  // namespace dirsync::scim
