#pragma once

#include "directory/error.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// The SCIM error for a directory failure: not_found 404, uniqueness 409 uniqueness, precondition_failed 412,
/// invalid_value 400 invalidValue, unknown_tenant 403. The directory's message is safe to show.
error from_directory(const directory::error& e);

}  // namespace dirsync::scim
