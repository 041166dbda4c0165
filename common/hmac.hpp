#pragma once

#include <string>
#include <string_view>

#include "common/sha256.hpp"

namespace dirsync::common {

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) of `data` keyed with `key` (any length, empty included).
sha256_digest hmac_sha256(std::string_view key, std::string_view data);

/// Lower-case hex (64 characters) of hmac_sha256(key, data). Compare received MACs with digest_from_hex and
/// digest_equal, never as strings.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace dirsync::common
