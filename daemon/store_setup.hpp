#pragma once

#include <string>

#include "config/settings.hpp"
#include "directory/directory.hpp"
#include "store/location.hpp"

namespace dirsync::daemon {

/// Where the configured store lives. For SQLite, first creates the directory that will hold the file, if
/// it has one and it is missing. For PostgreSQL, the password reference is resolved again at each connection
/// (a rotated password is picked up).
store::location prepare_store_location(const config::storage_settings& storage);

/// Registers the configured tenants in the directory (the daemon at start-up, `dirsyncd sync` before a run).
void register_tenants(directory::tenant_directory& dir, const config::settings& settings);

}  // namespace dirsync::daemon
