#pragma once

#include <filesystem>

#include "config/settings.hpp"

namespace dirsync::daemon {

/// Runs the daemon on validated settings, loaded from `config_file`, until SIGTERM/SIGINT: opens the store
/// (creating its directory), registers the configured tenants, serves SCIM over HTTP, reloads
/// `config_file` on SIGHUP (daemon/reloader.hpp), and notifies systemd (READY=1, RELOADING=1, STOPPING=1,
/// WATCHDOG=1). Returns the process exit code; start-up failures are logged and give 1.
int run(const config::settings& settings, const std::filesystem::path& config_file);

}  // namespace dirsync::daemon
