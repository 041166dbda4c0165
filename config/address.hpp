#pragma once

#include <boost/system/result.hpp>
#include <string_view>

#include "config/settings.hpp"
#include "config/value_error.hpp"

namespace dirsync::config {

/// Parses `host:port`. The host is an IPv4 literal, `localhost`, or an IPv6 literal in brackets
/// ("[::1]:8080"); the brackets are not kept in `listen_address::host`. Other host names are rejected with a
/// message saying so, because the server binds to literal addresses and does not resolve names. The port is a
/// decimal number 0..65535 (0 = ephemeral) and is required.
boost::system::result<listen_address, value_error> parse_listen_address(std::string_view text);

}  // namespace dirsync::config
