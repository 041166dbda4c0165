#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "resource/schema.hpp"
#include "resource/service_schemas.hpp"
#include "scim/service.hpp"

namespace dirsync::daemon {

/// A configured extension schema as the SCIM layer describes it: characteristics carried over one to one,
/// uniqueness "none", and reference attributes without reference_types given referenceTypes ["external"].
resource::schema to_scim_schema(const config::schema_settings& configured);

/// The schemas the SCIM service serves: the built-in ones plus the configured extensions, each under the
/// resource type it names, in file order. `configured` is validated (config::load_settings_*).
std::shared_ptr<const resource::service_schemas> served_schemas(
    const std::vector<config::schema_settings>& configured);

/// The SCIM options of each configured tenant, by tenant id.
std::map<std::string, scim::tenant_options, std::less<>> tenant_options(
    const std::vector<config::tenant_settings>& tenants);

}  // namespace dirsync::daemon
