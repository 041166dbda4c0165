#pragma once

#include <span>
#include <string_view>

#include "resource/schema.hpp"

namespace dirsync::resource {

/// A resource type this service provider serves (RFC 7643 §6): its name (also its id), the endpoint relative
/// to the service's base URL, a description and its schemas (the core schema and the extensions, all
/// optional for clients).
struct resource_type {
    std::string_view name;         ///< "User"
    std::string_view endpoint;     ///< "/Users"
    std::string_view description;  ///< "User Account"
    const resource_schema* schema = nullptr;
};

/// The resource types of the built-in schemas (default_service_schemas()), in discovery order: User, Group.
/// A service with configured extensions has its own (service_schemas::resource_types).
std::span<const resource_type> resource_types();

/// The built-in resource type named `name` (ASCII case-insensitive); nullptr when none.
const resource_type* find_resource_type(std::string_view name);

}  // namespace dirsync::resource
