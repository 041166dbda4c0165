#pragma once

#include <array>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "resource/resource_type.hpp"
#include "resource/schema.hpp"

namespace dirsync::resource {

/// The schemas one service provider serves, per resource type: the core User schema with the Enterprise User
/// extension and the configured User extensions; the core Group schema with the configured Group extensions.
/// Everything that handles a request (canonicalisation, filters, PATCH, sorting, projection, discovery) looks
/// attributes up here. Neither copyable nor movable: lookups hand out pointers into it, so share it through
/// std::shared_ptr. Immutable, hence thread-safe.
class service_schemas {
  public:
    /// The built-in schemas only.
    service_schemas();
    /// The built-in schemas plus extensions, in lookup order after the built-in ones. The caller guarantees
    /// distinct ids that are none of the built-in schemas' (config validation does).
    service_schemas(std::vector<schema> user_extensions, std::vector<schema> group_extensions);

    service_schemas(const service_schemas&) = delete;
    service_schemas& operator=(const service_schemas&) = delete;

    /// The User resource type's schemas.
    const resource_schema& users() const noexcept { return users_; }
    /// The Group resource type's schemas.
    const resource_schema& groups() const noexcept { return groups_; }

    /// The resource types in discovery order: User, Group.
    std::span<const resource_type> resource_types() const noexcept { return types_; }
    /// The resource type named `name` (ASCII case-insensitive); nullptr when none.
    const resource_type* find_resource_type(std::string_view name) const noexcept;

    /// Every schema, each once: the core schemas in resource type order, then the extensions in order.
    std::vector<const schema*> served() const;
    /// The served schema whose id is `urn` (ASCII case-insensitive); nullptr when none.
    const schema* find_served(std::string_view urn) const;
    /// True when `s` is the core schema of one of the resource types.
    bool is_core(const schema& s) const noexcept;

  private:
    resource_schema users_;
    resource_schema groups_;
    std::array<resource_type, 2> types_;
};

/// The built-in schemas (user_resource_schema(), group_resource_schema()), shared; what a service uses when
/// its settings name no other.
const std::shared_ptr<const service_schemas>& default_service_schemas();

}  // namespace dirsync::resource
