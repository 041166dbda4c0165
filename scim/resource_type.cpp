#include "scim/resource_type.hpp"

#include <array>

#include "scim/name_compare.hpp"

namespace dirsync::scim {

std::span<const resource_type> resource_types() {
    static const std::array<resource_type, 2> types = {
        resource_type{"User", "/Users", "User Account", &user_resource_schema()},
        resource_type{"Group", "/Groups", "Group", &group_resource_schema()},
    };
    return types;
}

const resource_type* find_resource_type(std::string_view name) {
    for (const auto& t : resource_types())
        if (ascii_iequals(t.name, name)) return &t;
    return nullptr;
}

}  // namespace dirsync::scim
