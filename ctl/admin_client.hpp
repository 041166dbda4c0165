#pragma once

// What every dirsyncctl command that talks to the admin API shares: the connection flags, the call, and the
// one-line error.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctl/connection.hpp"
#include "http/query_string.hpp"

namespace dirsync::ctl {

/// When args[i] is one of the connection flags (--url, --token-file, --config/-c, --ca-file, --insecure),
/// takes it (and its value, advancing `i`) into `flags` and returns true; a flag without its value sets
/// `error`.
bool take_connection_flag(const std::vector<std::string>& args, std::size_t& i, connection_flags& flags,
                          std::string& error);

/// When args[i] is an output flag (--json, -o json|table, --output=...), sets `json` from it and returns
/// true; another format sets `error`.
bool take_output_flag(const std::vector<std::string>& args, std::size_t& i, bool& json, std::string& error);

/// The value of the flag at args[i] ("--name=value", or the next word, advancing `i`); nullopt and `error`
/// set when there is none.
std::optional<std::string> flag_value(const std::vector<std::string>& args, std::size_t& i,
                                      std::string& error);

using http::percent_encode;

/// One admin API call (`target` after /admin/v1). On success the JSON answer (null for an empty one). On
/// failure prints one line to stderr — the daemon's status, machine-readable code and detail, or why it
/// could not be reached — and returns nullopt. `acting_user` is sent as the Dirsync-Acting-User header.
std::optional<nlohmann::json> call(const connection& conn, std::string_view method, const std::string& target,
                                   const std::string& body = {}, const std::string& acting_user = {});

/// The string at `key` of `j` (other JSON values dumped), `fallback` when absent or null.
std::string text(const nlohmann::json& j, const char* key, const char* fallback = "-");

}  // namespace dirsync::ctl
