#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dirsync::common {

/// A random (version 4) UUID in canonical lower-case 8-4-4-4-12 form, from the OpenSSL CSPRNG.
std::string random_uuid();

/// `bytes` random bytes from the OpenSSL CSPRNG as lower-case hex (2 * bytes characters): secrets handed to
/// people, such as invite codes.
std::string random_hex(std::size_t bytes);

/// True when `s` is a canonical 8-4-4-4-12 hex UUID (any case).
bool is_uuid(std::string_view s) noexcept;

}  // namespace dirsync::common
