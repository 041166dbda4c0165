#pragma once

#include <string>
#include <vector>

namespace dirsync::ctl {

/// `dirsyncctl backup FILE [--store PATH | --config FILE]`: an online backup of the daemon's SQLite store
/// (store::backup_database) into FILE, while the daemon keeps serving. Reads the store file directly, so it
/// runs on the daemon's host with read access to it. Returns the exit status.
int backup_command(const std::vector<std::string>& args);

}  // namespace dirsync::ctl
