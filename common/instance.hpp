#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// This process as shared records name it (a source's lease, the run history): "host:pid", where host is
/// the kernel's host name. Stable for the life of the process.
const std::string& instance_name();

/// Whether `instance` (an instance_name() of some process) names a process on this host that has ended.
/// False when it names another host, this process, a process that is alive, or cannot be parsed: only a
/// certain death counts, so a caller may take over what that process held without waiting for it to expire.
bool ended_on_this_host(std::string_view instance);

}  // namespace dirsync::common
