#pragma once

#include "config/settings.hpp"
#include "scim/service.hpp"

namespace dirsync::daemon {

/// What the SCIM service is told by the configuration `s` (validated): the served schemas (built-in plus the
/// `schemas:` extensions), each tenant's options (strict_schema), Bulk and JSON input limits, and whether the
/// transport is TLS.
scim::service_settings scim_service_settings(const config::settings& s);

}  // namespace dirsync::daemon
