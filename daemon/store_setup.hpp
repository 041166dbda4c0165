#pragma once

#include <string>

#include "config/settings.hpp"
#include "directory/directory.hpp"

namespace dirsync::daemon {

/// Creates the directory that will hold the SQLite file at `db_path`, if it has one and it is missing.
void prepare_storage_directory(const std::string& db_path);

/// Registers the configured tenants in the directory (the daemon at start-up, `dirsyncd sync` before a run).
void register_tenants(directory::tenant_directory& dir, const config::settings& settings);

}  // namespace dirsync::daemon
