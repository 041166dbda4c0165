#include "config/value_error.hpp"

#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace dirsync::config {

void throw_exception_from_error(const value_error& error, const boost::source_location& location) {
    boost::throw_with_location(std::invalid_argument(error.message), location);
}

}  // namespace dirsync::config
