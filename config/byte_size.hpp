#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <string_view>

#include "config/value_error.hpp"

namespace dirsync::config {

/// Parses a configuration size in bytes: a positive whole number of bytes ("1048576"), or one immediately
/// followed by a binary unit `KiB`, `MiB` or `GiB` ("16KiB", "1MiB"). Decimal units (KB, MB) are rejected as
/// ambiguous; zero, signs, spaces and values that overflow std::size_t are rejected.
boost::system::result<std::size_t, value_error> parse_byte_size(std::string_view text);

}  // namespace dirsync::config
