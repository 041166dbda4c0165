#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

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

}  // namespace dirsync::scim
