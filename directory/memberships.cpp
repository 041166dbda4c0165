#include "directory/memberships.hpp"

#include <algorithm>
#include <unordered_map>

#include "directory/group_codec.hpp"
#include "store/audit_table.hpp"
#include "store/group_member_table.hpp"
#include "store/group_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace members = store::group_member_table;

/// How many ids of each side an audit summary names.
constexpr std::size_t audit_sample_ids = 5;

json sample(std::span<const std::string> ids) {
    json out = json::array();
    for (std::size_t i = 0; i < ids.size() && i < audit_sample_ids; ++i) out.push_back(ids[i]);
    return out;
}

}  // namespace

void load_user_groups(store::connection& db, std::string_view tenant, std::span<user> users) {
    if (users.empty()) return;
    std::vector<std::string> ids;
    ids.reserve(users.size());
    std::unordered_map<std::string_view, user*> by_id;
    for (auto& u : users) {
        u.groups.emplace();
        ids.push_back(u.id);
        by_id.emplace(u.id, &u);
    }
    for (auto& m : members::memberships_of(db, tenant, ids)) {
        auto it = by_id.find(m.member_id);
        if (it == by_id.end()) continue;
        it->second->groups->push_back(
            user_group{std::move(m.group_id), std::move(m.group_display_name), m.direct});
    }
    for (auto& u : users)
        std::stable_partition(u.groups->begin(), u.groups->end(),
                              [](const user_group& g) { return g.direct; });
}

std::int64_t drop_memberships(store::connection& db, const actor& who, std::string_view tenant,
                              std::string_view member_id, common::timestamp when) {
    auto parents = members::groups_containing(db, tenant, member_id);
    const std::string removed[] = {std::string(member_id)};
    for (const auto& parent_id : parents) {
        auto row = store::group_table::find_by_id(db, tenant, parent_id);
        if (!row) continue;
        row->version += 1;
        row->modified_ms = std::max(row->modified_ms, common::to_epoch_ms(when));
        store::group_table::update(db, *row);
        store::audit_table::audit_row a;
        a.tenant_id = std::string(tenant);
        a.time_ms = common::to_epoch_ms(when);
        a.actor = who.to_string();
        a.action = "group.members";
        a.resource_type = "Group";
        a.resource_id = parent_id;
        a.summary_json = membership_summary({}, removed).dump();
        store::audit_table::append(db, a);
    }
    members::remove_everywhere(db, tenant, member_id);
    return static_cast<std::int64_t>(parents.size());
}

json membership_summary(std::span<const std::string> added, std::span<const std::string> removed) {
    return json{{"added", added.size()},
                {"removed", removed.size()},
                {"added_ids", sample(added)},
                {"removed_ids", sample(removed)}};
}

}  // namespace dirsync::directory
