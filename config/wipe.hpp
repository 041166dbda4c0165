#pragma once

#include <string>

namespace dirsync::config {

/// Overwrites the characters of `secret` with zeros in a way the optimiser keeps, then clears it. Used on
/// buffers that held a plain token once its digest is taken.
void wipe(std::string& secret) noexcept;

}  // namespace dirsync::config
