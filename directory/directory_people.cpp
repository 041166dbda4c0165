// People across tenants: the same address in several tenants, and leaving one of them.
#include <algorithm>

#include "common/casefold.hpp"
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "directory/memberships.hpp"
#include "directory/notices.hpp"
#include "directory/record_codec.hpp"
#include "store/database.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

namespace users = store::user_table;

/// The person's records by `key` (a folded address) in every tenant, from the connection's view.
std::vector<membership> find_memberships(store::connection& db, const std::string& key) {
    std::vector<membership> out;
    for (const auto& t : store::tenant_table::all(db)) {
        std::vector<store::user_row> rows = users::find_by_email_key(db, t.id, key);
        if (auto by_name = users::find_by_user_name_key(db, t.id, key)) rows.push_back(std::move(*by_name));
        std::vector<std::string> seen;
        for (auto& row : rows) {
            if (std::find(seen.begin(), seen.end(), row.id) != seen.end()) continue;
            seen.push_back(row.id);
            out.push_back({t.id, t.name, from_row(std::move(row))});
        }
    }
    return out;
}

}  // namespace

std::vector<membership> tenant_directory::memberships_of(std::string_view email) const {
    const auto key = common::fold_case(email);
    return db_.read([&](store::connection& db) {
        store::read_snapshot snapshot(db);
        return find_memberships(db, key);
    });
}

result<departure> tenant_directory::leave_tenant(const actor& who, std::string_view tenant,
                                                 std::string_view id) {
    const auto policy = policy_of(tenant);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<departure> {
        if (auto row = users::find_by_id(db, tenant, id);
            row && row->status == to_string(user_status::disconnected))
            return error(error_code::conflict, "already_left", "the person has left this tenant already");
        batch b(db, who, *this);
        auto u = b.change_status(tenant, id, status_request::disconnect);
        if (!u) return u.error();
        departure out;
        std::vector<std::string> addresses = u->emails;
        addresses.push_back(u->user_name);
        for (const auto& address : addresses) {
            for (auto& m : find_memberships(db, common::fold_case(address))) {
                if (m.tenant_id == tenant || m.record.status == user_status::disconnected) continue;
                const bool listed =
                    std::any_of(out.elsewhere.begin(), out.elsewhere.end(), [&](const membership& o) {
                        return o.tenant_id == m.tenant_id && o.record.id == m.record.id;
                    });
                if (!listed) out.elsewhere.push_back(std::move(m));
            }
        }
        const auto now = u->last_modified;
        record_audit(db, who, tenant, "User", id, now, "user.leave",
                     nlohmann::json{{"userName", u->user_name}, {"otherTenants", out.elsewhere.size()}});
        if (policy) {
            notices::notice n;
            n.event = "user.left";
            n.template_name = "user_left";
            n.recipients = notices::admin_addresses(db, tenant);
            n.values = {{"user", u->display_name.value_or(u->user_name)}};
            n.data = {{"userId", u->id}, {"userName", u->user_name}};
            notices::enqueue(db, chans, *policy, n, now);
        }
        load_user_groups(db, tenant, std::span(&*u, 1));
        out.record = std::move(*u);
        return out;
    });
}

}  // namespace dirsync::directory
