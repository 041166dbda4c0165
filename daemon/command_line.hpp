#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

/// What dirsyncd's commands (the daemon, `sync`, `copy-store`) share on their command line.
namespace dirsync::daemon {

/// sysexits.h EX_CONFIG: the configuration is invalid; systemd's unit does not restart on it.
inline constexpr int exit_config_error = 78;

/// Prints "dirsyncd COMMAND: MESSAGE (see dirsyncd COMMAND --help)" (without COMMAND when it is empty) to
/// stderr and returns the exit status of a usage error, 2.
int usage_error(std::string_view command, std::string_view message);

/// The value of the option at `args[i]`, given as `--name=value` or as `-n value` / `--name value` (then `i`
/// moves to the value); nullopt when the value is missing.
std::optional<std::string> option_value(const std::vector<std::string>& args, std::size_t& i);

/// The configuration `file`, validated as the daemon validates it (the sources' mapping rules included), or
/// nullopt after every problem was printed to stderr as file:line:column.
std::optional<config::settings> load_checked_settings(const std::string& file);

}  // namespace dirsync::daemon
