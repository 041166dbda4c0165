#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <string_view>

#include "config/value_error.hpp"

namespace dirsync::config {

/// Parses a configuration duration: a positive whole number immediately followed by one unit, `ms`, `s`, `m`,
/// `h` or `d` ("500ms", "10s", "15m", "1h", "7d"). No sign, no spaces, no fractions, no bare numbers; zero
/// and values that overflow milliseconds are rejected. The error explains the accepted forms.
boost::system::result<std::chrono::milliseconds, value_error> parse_duration(std::string_view text);

}  // namespace dirsync::config
