#pragma once

#include <boost/assert/source_location.hpp>
#include <string>
#include <vector>

namespace dirsync::config {

/// One problem found in a configuration file. `line` and `column` are 1-based; both are 0 when the problem
/// has no position (for example the file could not be read).
struct diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;  ///< never contains a secret (tokens are not echoed)
};

/// Every problem found while loading a configuration, in file order.
struct config_error {
    std::vector<diagnostic> diagnostics;

    config_error() = default;
    explicit config_error(std::vector<diagnostic> found) : diagnostics(std::move(found)) {}

    /// One "file:line:column: message" line per diagnostic ("file: message" when there is no position),
    /// each ending in '\n'.
    std::string to_string() const;
};

/// Lets `boost::system::result<T, config_error>::value()` throw: throws std::runtime_error with to_string().
[[noreturn]] void throw_exception_from_error(const config_error& error,
                                             const boost::source_location& location);

}  // namespace dirsync::config
