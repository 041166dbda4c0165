#include "directory/canonical_resource.hpp"

#include "resource/canonical.hpp"

namespace dirsync::directory {

boost::system::result<void, error> make_canonical(nlohmann::json& resource,
                                                  const resource::resource_schema& schema) {
    if (!resource.is_object()) return error(error_code::invalid_value, "the resource must be a JSON object");
    if (!resource.contains("schemas")) resource["schemas"] = nlohmann::json::array({schema.core().id});
    auto canonical = resource::canonicalize(std::move(resource), schema, {.convert_types = false});
    if (!canonical) return error(error_code::invalid_value, std::move(canonical.error().message));
    resource = std::move(*canonical);
    return {};
}

}  // namespace dirsync::directory
