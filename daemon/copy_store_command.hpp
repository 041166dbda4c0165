#pragma once

#include <string>
#include <vector>

namespace dirsync::daemon {

/// `dirsyncd copy-store --from FILE --config FILE`: copies an SQLite store into the empty PostgreSQL
/// database of the configuration's storage.postgresql and verifies it (store::copy_sqlite_to_postgresql).
/// Returns the exit status.
int copy_store_command(const std::vector<std::string>& args);

}  // namespace dirsync::daemon
