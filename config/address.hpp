#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "config/value_error.hpp"

namespace dirsync::config {

/// Parses `host:port`. The host is an IPv4 literal, `localhost`, or an IPv6 literal in brackets
/// ("[::1]:8080"); the brackets are not kept in `listen_address::host`. Other host names are rejected with a
/// message saying so, because the server binds to literal addresses and does not resolve names. The port is a
/// decimal number 0..65535 (0 = ephemeral) and is required.
boost::system::result<listen_address, value_error> parse_listen_address(std::string_view text);

/// Parses the absolute URL clients reach the server at (`server.public_base_url`, behind a TLS-terminating
/// proxy): `http://` or `https://`, a host (a name, an IPv4 literal or a bracketed IPv6 literal) with an
/// optional port, and an optional path prefix; no user info, query or fragment, no whitespace. Returned
/// without a trailing '/', the scheme and host lower-cased: "https://sync.example.com/dirsync".
boost::system::result<std::string, value_error> parse_public_base_url(std::string_view text);

}  // namespace dirsync::config
