#pragma once

#include "config/settings.hpp"

namespace dirsync::daemon {

/// Runs the daemon on validated settings until SIGTERM/SIGINT: opens the store (creating its directory),
/// registers the configured tenants, serves SCIM over HTTP, and notifies systemd (READY=1, STOPPING=1,
/// WATCHDOG=1). Returns the process exit code; start-up failures are logged and give 1.
int run(const config::settings& settings);

}  // namespace dirsync::daemon
