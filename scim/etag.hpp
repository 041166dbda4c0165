#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// A precondition from If-Match / If-None-Match (RFC 7232) over our weak ETags W/"<version>".
struct etag_condition {
    bool any = false;                    ///< "*"
    std::vector<std::int64_t> versions;  ///< listed versions (weak or strong form accepted)

    bool matches(std::int64_t version) const noexcept;
};

/// Parses a header value such as `W/"3"`, `"3", W/"4"` or `*`. An ETag that is not one of ours can never
/// match and is skipped; a syntactically broken list is 400 invalidValue.
boost::system::result<etag_condition, error> parse_etag_condition(std::string_view header);

/// The request's If-Match condition; nullopt when it sends none, 400 invalidValue when it is malformed.
boost::system::result<std::optional<etag_condition>, error> if_match_condition(const http::request& req);

/// 412 for an If-Match that does not name the current version.
error stale_version(std::int64_t current_version);

}  // namespace dirsync::scim
