#include "config/diagnostic.hpp"

#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace dirsync::config {

std::string config_error::to_string() const {
    std::string out;
    for (const auto& d : diagnostics) {
        out += d.file;
        if (d.line > 0) {
            out += ':';
            out += std::to_string(d.line);
            out += ':';
            out += std::to_string(d.column);
        }
        out += ": ";
        out += d.message;
        out += '\n';
    }
    return out;
}

void throw_exception_from_error(const config_error& error, const boost::source_location& location) {
    boost::throw_with_location(std::runtime_error(error.to_string()), location);
}

}  // namespace dirsync::config
