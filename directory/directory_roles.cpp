// The role part of the directory: each tenant's catalogue of roles and the assignments of users to them.
#include <algorithm>

#include "common/clock.hpp"
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "directory/notices.hpp"
#include "store/database.hpp"
#include "store/invitation_table.hpp"
#include "store/role_table.hpp"
#include "store/tenant_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace roles_table = store::role_table;

error unknown_tenant() { return error(error_code::unknown_tenant, "unknown tenant"); }

error no_role(std::string_view name) {
    return error(error_code::not_found, "no role '" + std::string(name) + "' in this tenant");
}

error builtin(std::string_view name, std::string_view verb) {
    return error(error_code::conflict, "builtin_role",
                 "'" + std::string(name) + "' is a built-in role: it cannot be " + std::string(verb));
}

std::int64_t holders(const std::vector<std::pair<std::string, std::int64_t>>& counts, std::string_view role) {
    for (const auto& [name, n] : counts)
        if (name == role) return n;
    return 0;
}

role_info info_of(roles_table::role_row&& row, std::int64_t users) {
    return role_info{std::move(row.name), std::move(row.description), false, users};
}

/// The user as a write that keeps everything but its roles.
user_write with_roles(const user& u, std::vector<std::string> roles) {
    user_write w;
    w.resource = u.resource;
    w.roles = std::move(roles);
    w.source = u.source;
    w.source_anchor = u.source_anchor;
    return w;
}

}  // namespace

result<std::vector<role_info>> tenant_directory::roles(std::string_view tenant) const {
    return db_.read([&](store::connection& db) -> result<std::vector<role_info>> {
        store::read_snapshot snapshot(db);
        if (!store::tenant_table::find(db, tenant)) return unknown_tenant();
        const auto counts = roles_table::holders_by_role(db, tenant);
        auto out = builtin_roles();
        for (auto& r : out) r.users = holders(counts, r.name);
        for (auto& row : roles_table::all(db, tenant)) {
            const auto n = holders(counts, row.name);
            out.push_back(info_of(std::move(row), n));
        }
        return out;
    });
}

result<role_info> tenant_directory::create_role(const actor& who, std::string_view tenant,
                                                std::string_view name, std::string_view description) {
    if (auto r = check_role_name(name); !r) return r.error();
    return db_.write([&](store::connection& db) -> result<role_info> {
        if (!store::tenant_table::find(db, tenant)) return unknown_tenant();
        const auto now = common::now();
        roles_table::role_row row{std::string(tenant), std::string(name), std::string(description),
                                  common::to_epoch_ms(now)};
        if (is_builtin_role(name) || !roles_table::insert(db, row))
            return error(error_code::uniqueness, "role_exists",
                         "the tenant already has a role '" + std::string(name) + "'");
        record_audit(db, who, tenant, "Role", name, now, "role.create", json{{"description", description}});
        return info_of(std::move(row), 0);
    });
}

result<role_info> tenant_directory::describe_role(const actor& who, std::string_view tenant,
                                                  std::string_view name, std::string_view description) {
    if (is_builtin_role(name)) return builtin(name, "changed");
    return db_.write([&](store::connection& db) -> result<role_info> {
        auto row = roles_table::find(db, tenant, name);
        if (!row) return no_role(name);
        if (row->description != description) {
            roles_table::set_description(db, tenant, name, description);
            record_audit(db, who, tenant, "Role", name, common::now(), "role.update",
                         json{{"description", {{"before", row->description}, {"after", description}}}});
            row->description = std::string(description);
        }
        const auto n = holders(roles_table::holders_by_role(db, tenant), name);
        return info_of(std::move(*row), n);
    });
}

result<tenant_directory::role_deletion> tenant_directory::delete_role(const actor& who,
                                                                      std::string_view tenant,
                                                                      std::string_view name, bool force) {
    if (is_builtin_role(name)) return builtin(name, "deleted");
    const auto policy = policy_of(tenant);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<role_deletion> {
        if (!roles_table::find(db, tenant, name)) return no_role(name);
        // Invitees (pending users) lose it whatever `force` says; their invitations say so.
        const auto invited = store::invitation_table::drop_role(db, tenant, name);
        std::vector<std::string> ids, invitee_ids;
        for (auto& id : roles_table::holder_ids(db, tenant, name)) {
            const bool invitee = std::find(invited.begin(), invited.end(), id) != invited.end();
            (invitee ? invitee_ids : ids).push_back(std::move(id));
        }
        if (!ids.empty() && !force)
            return error(error_code::conflict, "role_in_use",
                         "role '" + std::string(name) + "' is held by " + std::to_string(ids.size()) +
                             (ids.size() == 1 ? " user" : " users") +
                             "; remove it from them first, or delete it with force");
        batch b(db, who, *this);
        ids.insert(ids.end(), invitee_ids.begin(), invitee_ids.end());
        for (const auto& id : ids) {
            auto changed = b.modify_user(tenant, id, [&](const user& u) -> result<user_write> {
                std::vector<std::string> kept;
                for (const auto& r : u.roles)
                    if (r != name) kept.push_back(r);
                return with_roles(u, std::move(kept));
            });
            if (!changed) return changed.error();
        }
        roles_table::remove(db, tenant, name);
        const auto now = common::now();
        const role_deletion out{static_cast<std::int64_t>(ids.size() - invitee_ids.size()),
                                static_cast<std::int64_t>(invited.size())};
        record_audit(db, who, tenant, "Role", name, now, "role.delete",
                     json{{"removedFrom", out.users}, {"openInvitations", out.invitations}});
        if (out.invitations > 0 && policy) {
            notices::notice n;
            n.event = "role.deleted";
            n.template_name = "role_deleted";
            n.recipients = notices::admin_addresses(db, tenant);
            n.values = {{"role", std::string(name)}, {"count", std::to_string(out.invitations)}};
            n.data = {{"role", name}, {"openInvitations", invited}, {"users", out.users}};
            notices::enqueue(db, chans, *policy, n, now);
        }
        return out;
    });
}

result<user> tenant_directory::assign_role(const actor& who, std::string_view tenant, std::string_view id,
                                           std::string_view role) {
    return modify_user(who, tenant, id, [&](const user& u) -> result<user_write> {
        auto roles = u.roles;
        if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.emplace_back(role);
        return with_roles(u, std::move(roles));
    });
}

result<user> tenant_directory::remove_role(const actor& who, std::string_view tenant, std::string_view id,
                                           std::string_view role) {
    return modify_user(who, tenant, id, [&](const user& u) -> result<user_write> {
        std::vector<std::string> kept;
        for (const auto& r : u.roles)
            if (r != role) kept.push_back(r);
        return with_roles(u, std::move(kept));
    });
}

}  // namespace dirsync::directory
