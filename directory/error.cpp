#include "directory/error.hpp"

#include <stdexcept>

namespace dirsync::directory {

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error("directory error: " + e.message);
}

}  // namespace dirsync::directory
