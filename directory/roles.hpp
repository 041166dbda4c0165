#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/error.hpp"
#include "directory/user.hpp"

namespace dirsync::store {
class connection;
}

namespace dirsync::directory {

/// The roles every tenant has. `admin` manages the tenant; `service_account` marks a record that is not a
/// person (used by automated services) and can never be combined with `admin`; `query_user` may only query.
inline constexpr std::string_view admin_role = "admin";
inline constexpr std::string_view user_role = "user";
inline constexpr std::string_view service_account_role = "service_account";
inline constexpr std::string_view query_user_role = "query_user";

/// A role of a tenant's catalogue, as the admin API shows it.
struct role_info {
    std::string name;
    std::string description;
    bool builtin = false;
    std::int64_t users = 0;  ///< how many users hold it
};

/// The built-in roles with their descriptions, in display order.
std::vector<role_info> builtin_roles();
bool is_builtin_role(std::string_view name) noexcept;

/// invalid_value (reason "invalid_role_name") unless `name` is a role name: 1 to 63 characters a-z, 0-9,
/// '_' or '-', starting with a letter or digit (the names sync rules may grant).
boost::system::result<void, error> check_role_name(std::string_view name);

}  // namespace dirsync::directory

// Internal to dirsync_directory: the role rules every write path applies.
namespace dirsync::directory::role_rules {

/// The roles `after` assigns where `before` held `held`: every role not already held must be in the tenant's
/// catalogue (invalid_value, reason "unknown_role", naming it), and `admin` never goes with `service_account`
/// (invalid_value, reason "admin_service_account"). Roles already held stay even when no longer in the
/// catalogue (records older than it).
boost::system::result<void, error> check_assignment(store::connection& db, std::string_view tenant,
                                                    const std::vector<std::string>& held,
                                                    const std::vector<std::string>& after);

/// True when `u` counts for the last-admin rule: `active` and holding `admin`.
bool is_active_admin(const user& u) noexcept;

/// The last-admin rule: a tenant keeps at least one active admin once it has one. conflict (reason
/// "last_admin") when `before` is the tenant's only active admin and the change makes it none (`after`
/// nullopt: deleted, even as the tenant's only user: a tenant is never left without an administrator).
/// Call before writing the change.
boost::system::result<void, error> check_keeps_admin(store::connection& db, const user& before,
                                                     const user* after);

}  // namespace dirsync::directory::role_rules
