#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/settings.hpp"

namespace dirsync::config {

/// What a load does beyond this module's own checks.
struct load_options {
    /// A check of the settings that belongs to a module depending on config (sync::check_sources compiles
    /// the sources' mapping rules). Called once the document was read, also when problems were found (the
    /// settings are then partial: items with problems are present with what could be read), and never when
    /// the text is not YAML. The diagnostics it appends are reported with the loader's own, in file order.
    std::function<void(const settings&, std::vector<diagnostic>&)> check;
};

/// Reads and validates the YAML configuration file at `file` (see examples/dirsyncd.yaml for the shape).
///
/// Everything is checked at load: unknown, duplicate and missing keys, types, ranges, durations, sizes, the
/// listen address, that TLS files are readable, tenant ids, and tokens. Token items given as `file:`, `env:`
/// or `credential:` are read and hashed here, so the result holds digests only and no plain token is kept,
/// logged or put in a message; an admin token (`admin_tokens:`) is never also a SCIM token. Sources
/// (`sources:`, config/source_settings.hpp) are checked here except their mapping rules, which
/// `options.check` can check (sync::check_sources); their bind password must be readable now but is only
/// referenced in the result, and read again at each run; so is the password of `storage.postgresql`, whose
/// TLS files must be readable now. Relative paths (sqlite, TLS, token files) are kept as written, that is
/// relative to the working directory of the process, not to the configuration file.
///
/// Every problem found is returned at once, each with its 1-based line and column; an unreadable file gives
/// one diagnostic without a position. Reads files and the environment: call at start-up or on reload, not
/// while another thread modifies the environment.
boost::system::result<settings, config_error> load_settings_file(const std::filesystem::path& file,
                                                                 const load_options& options = {});

/// As load_settings_file, for configuration text already in memory; `file_name` is used in diagnostics and
/// as `settings::source_file`.
boost::system::result<settings, config_error> load_settings_string(std::string_view yaml,
                                                                   std::string_view file_name,
                                                                   const load_options& options = {});

}  // namespace dirsync::config
