#include "ldap/syntax_error.hpp"

#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace dirsync::ldap {

void throw_exception_from_error(const syntax_error& error, const boost::source_location& location) {
    boost::throw_with_location(std::invalid_argument(error.message), location);
}

}  // namespace dirsync::ldap
