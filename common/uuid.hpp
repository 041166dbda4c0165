#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// A random (version 4) UUID in canonical lower-case 8-4-4-4-12 form, from the OpenSSL CSPRNG.
std::string random_uuid();

/// True when `s` is a canonical 8-4-4-4-12 hex UUID (any case).
bool is_uuid(std::string_view s) noexcept;

}  // namespace dirsync::common
