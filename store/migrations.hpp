#pragma once

#include <string>
#include <vector>

namespace dirsync::store {

/// Schema migrations in order: element N brings a database from `user_version` N to N+1. Applied at open,
/// each in its own transaction. Never edit a released step; append a new one.
const std::vector<std::string>& migrations();

}  // namespace dirsync::store
