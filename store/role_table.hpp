#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::role_table {

/// A custom role of a tenant's catalogue (the built-in roles are not stored).
struct role_row {
    std::string tenant_id;
    std::string name;
    std::string description;
    std::int64_t created_ms = 0;
};

/// Adds the role; false (nothing written) when the tenant already has one of that name.
bool insert(connection& db, const role_row& row);
std::optional<role_row> find(connection& db, std::string_view tenant, std::string_view name);
/// The tenant's custom roles by name.
std::vector<role_row> all(connection& db, std::string_view tenant);
/// false when there is no such role.
bool set_description(connection& db, std::string_view tenant, std::string_view name,
                     std::string_view description);
/// false when there is no such role. Its assignments are the caller's to remove first.
bool remove(connection& db, std::string_view tenant, std::string_view name);

/// How many users of the tenant hold each role that someone holds, by role name (from the role index).
std::vector<std::pair<std::string, std::int64_t>> holders_by_role(connection& db, std::string_view tenant);
/// How many users hold `role` while in `status` (the last-admin rule counts active admins).
std::int64_t count_holders(connection& db, std::string_view tenant, std::string_view role,
                           std::string_view status);
/// The ids of the users holding `role`, in list order.
std::vector<std::string> holder_ids(connection& db, std::string_view tenant, std::string_view role);

}  // namespace dirsync::store::role_table
