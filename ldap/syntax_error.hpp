#pragma once

#include <boost/assert/source_location.hpp>
#include <cstddef>
#include <string>

namespace dirsync::ldap {

/// Why LDAP text (a filter, a DN, an attribute description) was rejected: a byte offset into the text and a
/// sentence about it (no "at position" inside: the caller turns the offset into a file position).
struct syntax_error {
    std::size_t position = 0;
    std::string message;

    syntax_error() = default;
    syntax_error(std::size_t pos, std::string msg) : position(pos), message(std::move(msg)) {}
};

/// Lets `boost::system::result<T, syntax_error>::value()` throw std::invalid_argument.
[[noreturn]] void throw_exception_from_error(const syntax_error& error,
                                             const boost::source_location& location);

}  // namespace dirsync::ldap
