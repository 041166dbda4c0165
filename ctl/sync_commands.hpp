#pragma once

#include <string>
#include <vector>

namespace dirsync::ctl {

/// `dirsyncctl sync <subcommand> ...`: `args` are the words after "sync". Prints to stdout/stderr and
/// returns the exit status: 0 done (a run finished ok), 1 failure (the run failed, the daemon refused, or
/// it could not be reached), 2 usage error, 3 the run finished blocked.
int sync_command(const std::vector<std::string>& args);

/// The help text of `dirsyncctl sync`.
extern const char* const sync_usage;

}  // namespace dirsync::ctl
