#pragma once

#include <string>
#include <vector>

namespace dirsync::daemon {

/// `dirsyncd sync --config FILE --source NAME [--dry-run] [--full | --incremental] [--json] [--no-progress]`:
/// one run of one source in this process, against the store the configuration names (the daemon may be
/// running: SQLite serializes the writers, and the source's lease keeps the two from running it at once).
/// `args` are the words after "sync". Shows progress on stderr, prints the plan (dry run) or what was done
/// and returns the exit status: 0 ok, 1 the run failed, 2 usage error, 3 the run was blocked, 4 the source
/// is being run elsewhere, 78 invalid config.
int sync_command(const std::vector<std::string>& args);

}  // namespace dirsync::daemon
