#include "resource/resource_type.hpp"

#include "resource/service_schemas.hpp"

namespace dirsync::resource {

std::span<const resource_type> resource_types() { return default_service_schemas()->resource_types(); }

const resource_type* find_resource_type(std::string_view name) {
    return default_service_schemas()->find_resource_type(name);
}

}  // namespace dirsync::resource
