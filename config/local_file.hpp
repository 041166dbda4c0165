#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <filesystem>
#include <string>

#include "config/value_error.hpp"

namespace dirsync::config {

/// Checks that `path` names a regular file this process can open for reading (follows symlinks). The error
/// names the path and the reason ("No such file or directory", "Permission denied", "is not a regular file").
boost::system::result<void, value_error> check_readable_file(const std::filesystem::path& path);

/// Reads the whole regular file at `path`, failing if it holds more than `max_bytes`. The error names the
/// path and the reason but never the content, so it is safe for files holding secrets.
boost::system::result<std::string, value_error> read_file(const std::filesystem::path& path,
                                                          std::size_t max_bytes);

}  // namespace dirsync::config
