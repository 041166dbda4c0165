#include "sync/run_counts.hpp"

namespace dirsync::sync {

run_counts planned_counts(const plan& p) {
    run_counts c;
    c.read = p.read_users;
    c.read_groups = p.read_groups;
    c.unchanged = p.unchanged_users;
    c.created = p.creates.size();
    for (const auto& u : p.updates) {
        switch (u.kind) {
            case user_change_kind::adopt:
                ++c.adopted;
                break;
            case user_change_kind::unorphan:
                ++c.unorphaned;
                break;
            default:
                ++c.updated;
                break;
        }
    }
    c.orphans_planned = p.orphans.size();
    c.groups_created = p.group_creates.size();
    c.groups_updated = p.group_updates.size();
    c.groups_orphaned = p.orphaned_groups.size();
    for (const auto& g : p.group_creates) c.memberships_added += g.members.size();
    for (const auto& g : p.group_updates) c.memberships_added += g.add.size();
    c.skipped = p.skipped.size();
    if (p.blocked) {
        c.held_back = p.orphans.size() + p.disables.size() + p.deletes.size() + p.member_removals();
    } else {
        c.orphaned = p.orphans.size();
        c.disabled = p.disables.size();
        c.deleted = p.deletes.size();
        c.memberships_removed = p.member_removals();
    }
    return c;
}

nlohmann::json to_json(const run_counts& c) {
    return nlohmann::json{{"read", c.read},
                          {"read_groups", c.read_groups},
                          {"unchanged", c.unchanged},
                          {"created", c.created},
                          {"requested", c.requested},
                          {"updated", c.updated},
                          {"adopted", c.adopted},
                          {"orphaned", c.orphaned},
                          {"unorphaned", c.unorphaned},
                          {"disabled", c.disabled},
                          {"deleted", c.deleted},
                          {"groups_created", c.groups_created},
                          {"groups_updated", c.groups_updated},
                          {"groups_orphaned", c.groups_orphaned},
                          {"memberships_added", c.memberships_added},
                          {"memberships_removed", c.memberships_removed},
                          {"skipped", c.skipped},
                          {"failed", c.failed},
                          {"orphans_planned", c.orphans_planned},
                          {"held_back", c.held_back}};
}

}  // namespace dirsync::sync
