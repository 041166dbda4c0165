#include "directory/roles.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "store/role_table.hpp"

namespace dirsync::directory {

namespace {

bool holds(const std::vector<std::string>& roles, std::string_view role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

std::vector<role_info> builtin_roles() {
    return {
        {std::string(admin_role), "Manages the tenant: its users, roles, invitations and settings", true, 0},
        {std::string(user_role), "A person using the product", true, 0},
        {std::string(service_account_role), "Not a person: used by automated services; can never hold admin",
         true, 0},
        {std::string(query_user_role), "May only query; no administrative functions", true, 0},
    };
}

bool is_builtin_role(std::string_view name) noexcept {
    return name == admin_role || name == user_role || name == service_account_role || name == query_user_role;
}

boost::system::result<void, error> check_role_name(std::string_view name) {
    if (common::is_lowercase_name(name)) return {};
    return error(error_code::invalid_value, "invalid_role_name",
                 "invalid role name '" + std::string(name) +
                     "': use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or digit");
}

namespace role_rules {

boost::system::result<void, error> check_assignment(store::connection& db, std::string_view tenant,
                                                    const std::vector<std::string>& held,
                                                    const std::vector<std::string>& after) {
    for (const auto& role : after) {
        if (holds(held, role) || is_builtin_role(role)) continue;
        if (!store::role_table::find(db, tenant, role))
            return error(error_code::invalid_value, "unknown_role",
                         "unknown role '" + role + "': this tenant has no such role (create it first)");
    }
    if (holds(after, admin_role) && holds(after, service_account_role) &&
        !(holds(held, admin_role) && holds(held, service_account_role)))
        return error(error_code::invalid_value, "admin_service_account",
                     "a service_account can never hold the admin role");
    return {};
}

bool is_active_admin(const user& u) noexcept {
    return u.status == user_status::active && holds(u.roles, admin_role);
}

boost::system::result<void, error> check_keeps_admin(store::connection& db, const user& before,
                                                     const user* after) {
    if (!is_active_admin(before) || (after && is_active_admin(*after))) return {};
    const auto admins =
        store::role_table::count_holders(db, before.tenant_id, admin_role, to_string(user_status::active));
    if (admins > 1) return {};
    return error(error_code::conflict, "last_admin",
                 "user '" + before.user_name +
                     "' is the tenant's last active admin: make another user an active admin first");
}

}  // namespace role_rules

}  // namespace dirsync::directory
