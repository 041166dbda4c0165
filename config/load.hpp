#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <string_view>

#include "config/diagnostic.hpp"
#include "config/settings.hpp"

namespace dirsync::config {

/// Reads and validates the YAML configuration file at `file` (see examples/dirsyncd.yaml for the shape).
///
/// Everything is checked at load: unknown, duplicate and missing keys, types, ranges, durations, sizes, the
/// listen address, that TLS files are readable, tenant ids, and tokens. Token items given as `file:`, `env:`
/// or `credential:` are read and hashed here, so the result holds digests only and no plain token is kept,
/// logged or put in a message. Relative paths (sqlite, TLS, token files) are kept as written, that is
/// relative to the working directory of the process, not to the configuration file.
///
/// Every problem found is returned at once, each with its 1-based line and column; an unreadable file gives
/// one diagnostic without a position. Reads files and the environment: call at start-up or on reload, not
/// while another thread modifies the environment.
boost::system::result<settings, config_error> load_settings_file(const std::filesystem::path& file);

/// As load_settings_file, for configuration text already in memory; `file_name` is used in diagnostics and
/// as `settings::source_file`.
boost::system::result<settings, config_error> load_settings_string(std::string_view yaml,
                                                                   std::string_view file_name);

}  // namespace dirsync::config
