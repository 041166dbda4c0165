#include "scim/directory_error.hpp"

namespace dirsync::scim {

error from_directory(const directory::error& e) {
    switch (e.code) {
        case directory::error_code::not_found:
            return not_found(e.message);
        case directory::error_code::uniqueness:
            return uniqueness_error(e.message);
        case directory::error_code::precondition_failed:
            return error(412, "", e.message);
        case directory::error_code::invalid_value:
            return invalid_value(e.message);
        case directory::error_code::unknown_tenant:
            return error(403, "", "the tenant of this token is not provisioned");
        case directory::error_code::too_large:
            return error(413, "", e.message);
        case directory::error_code::conflict:
            return error(409, "", e.message);
        case directory::error_code::forbidden:
            return error(403, "", e.message);
        case directory::error_code::gone:
            return error(410, "", e.message);
        case directory::error_code::rate_limited:
            return error(429, "", e.message);
    }
    return invalid_value(e.message);
}

}  // namespace dirsync::scim
