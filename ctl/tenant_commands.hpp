#pragma once

#include <string>
#include <vector>

namespace dirsync::ctl {

/// `dirsyncctl tenants|users|roles|audit|invitations|notifications ...`: `noun` is the command, `args` the
/// words after it. Prints a table (or the daemon's JSON with -o json) and returns the exit status: 0 done, 1
/// refused or failed (one line on stderr with the daemon's status, code and detail), 2 usage error.
int tenant_command(const std::string& noun, const std::vector<std::string>& args);

}  // namespace dirsync::ctl
