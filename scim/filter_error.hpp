#pragma once

#include <boost/assert/source_location.hpp>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace dirsync::scim {

/// Why a filter (or attribute path) was rejected: a byte offset into the text and a message naming the
/// problem and that offset, fit for a SCIM "invalidFilter" error detail. Not an aggregate on purpose, so
/// `boost::system::result<T, filter_error>` construction stays unambiguous.
struct filter_error {
    std::size_t position = 0;  ///< 0-based byte offset into the filter text
    std::string message;       ///< e.g. "expected a comparison operator after 'userName' at position 9"

    filter_error() = default;
    filter_error(std::size_t pos, std::string msg) : position(pos), message(std::move(msg)) {}

    friend bool operator==(const filter_error&, const filter_error&) = default;
};

/// Called by boost::system::result<T, filter_error>::value() on an error (found through ADL): throws
/// std::invalid_argument carrying the message. Only reached through misuse; callers check the result first.
[[noreturn]] inline void throw_exception_from_error(const filter_error& e, const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

}  // namespace dirsync::scim
