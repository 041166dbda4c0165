#pragma once

#include <boost/assert/source_location.hpp>
#include <string>

namespace dirsync::config {

/// Why a single configuration value was rejected, as a sentence fragment for the user ("port 99999 is out of
/// range (0-65535)"). The loader adds the file position and the key. Never contains a secret.
struct value_error {
    std::string message;

    value_error() = default;
    explicit value_error(std::string text) : message(std::move(text)) {}
};

/// Lets `boost::system::result<T, value_error>::value()` throw: throws std::invalid_argument with the
/// message.
[[noreturn]] void throw_exception_from_error(const value_error& error,
                                             const boost::source_location& location);

}  // namespace dirsync::config
