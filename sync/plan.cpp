#include "sync/plan.hpp"

#include "sync/run_counts.hpp"
#include "sync/source_data.hpp"

namespace dirsync::sync {

nlohmann::json user_create::resource() const { return parse_stored_resource(resource_text); }

namespace {

using json = nlohmann::json;

json time_or_null(const std::optional<common::timestamp>& t) {
    return t ? json(common::format_rfc3339(*t)) : json(nullptr);
}

json changes_json(const std::vector<attribute_change>& changes) {
    json out = json::object();
    for (const auto& c : changes) out[c.name] = json{{"before", c.before}, {"after", c.after}};
    return out;
}

json change_json(const user_change& c) {
    json j{{"kind", to_string(c.kind)}, {"id", c.id},          {"anchor", c.anchor}, {"dn", c.dn},
           {"userName", c.user_name},   {"version", c.version}};
    if (!c.from_source.empty()) j["from_source"] = c.from_source;
    if (!c.attributes.empty()) j["changes"] = changes_json(c.attributes);
    if (c.status_after != c.status_before)
        j["status"] = json{{"before", directory::to_string(c.status_before)},
                           {"after", directory::to_string(c.status_after)}};
    if (c.roles) j["roles"] = json{{"before", c.roles_before}, {"after", *c.roles}};
    if (c.orphan_since)
        j["orphan_since"] =
            json{{"before", time_or_null(c.orphan_since_before)}, {"after", time_or_null(*c.orphan_since)}};
    return j;
}

json member_json(const planned_member& m) {
    json j{{"anchor", m.anchor}, {"type", directory::to_string(m.type)}};
    if (m.id) j["id"] = *m.id;
    return j;
}

template <class T, class F>
json array_of(const std::vector<T>& items, F&& f, std::size_t limit = SIZE_MAX) {
    json out = json::array();
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) out.push_back(f(items[i]));
    return out;
}

}  // namespace

std::string_view to_string(run_mode m) noexcept { return m == run_mode::full ? "full" : "incremental"; }

std::string_view to_string(user_change_kind k) noexcept {
    switch (k) {
        case user_change_kind::update:
            return "update";
        case user_change_kind::adopt:
            return "adopt";
        case user_change_kind::unorphan:
            return "unorphan";
        case user_change_kind::orphan:
            return "orphan";
        case user_change_kind::orphan_disable:
            return "orphan_disable";
    }
    return "update";
}

std::size_t plan::member_removals() const noexcept {
    std::size_t n = 0;
    for (const auto& g : group_updates) n += g.remove.size();
    return n;
}

void project_seats(plan& p, std::optional<std::int64_t> free) {
    if (!free) return;
    std::int64_t left = *free;
    for (auto& c : p.creates) {
        if (!directory::consumes_seat(c.status)) continue;
        if (left > 0)
            --left;
        else
            c.waits_for_seat = true;
    }
}

nlohmann::json to_json(const plan& p, std::size_t max_per_list) {
    json j{{"source", p.source},
           {"tenant", p.tenant},
           {"mode", to_string(p.mode)},
           {"now", common::format_rfc3339(p.now)},
           {"blocked", p.blocked ? json(*p.blocked) : json(nullptr)},
           {"released_run", p.released_run ? json(*p.released_run) : json(nullptr)},
           {"counts", to_json(planned_counts(p))}};
    j["creates"] = array_of(
        p.creates,
        [](const user_create& c) {
            return json{{"anchor", c.anchor},
                        {"dn", c.dn},
                        {"status", directory::to_string(c.waits_for_seat ? directory::user_status::requested
                                                                         : c.status)},
                        {"roles", c.roles},
                        {"resource", c.resource()}};
        },
        max_per_list);
    j["updates"] = array_of(p.updates, change_json, max_per_list);
    j["orphans"] = array_of(p.orphans, change_json, max_per_list);
    j["disables"] = array_of(p.disables, change_json, max_per_list);
    j["deletes"] = array_of(
        p.deletes,
        [](const user_delete& d) {
            return json{{"id", d.id},
                        {"anchor", d.anchor},
                        {"userName", d.user_name},
                        {"orphan_since", common::format_rfc3339(d.orphan_since)}};
        },
        max_per_list);
    j["group_creates"] = array_of(
        p.group_creates,
        [](const group_create& g) {
            return json{{"anchor", g.anchor},
                        {"dn", g.dn},
                        {"resource", g.resource},
                        {"members", array_of(g.members, member_json)}};
        },
        max_per_list);
    j["group_updates"] = array_of(
        p.group_updates,
        [](const group_update& g) {
            json u{{"id", g.id}, {"anchor", g.anchor}, {"dn", g.dn}, {"displayName", g.display_name}};
            if (!g.attributes.empty()) u["changes"] = changes_json(g.attributes);
            u["add"] = array_of(g.add, member_json);
            u["remove"] = g.remove;
            return u;
        },
        max_per_list);
    j["orphaned_groups"] = array_of(
        p.orphaned_groups,
        [](const orphaned_group& g) {
            return json{{"id", g.id}, {"anchor", g.anchor}, {"displayName", g.display_name}};
        },
        max_per_list);
    j["skipped"] = array_of(
        p.skipped, [](const std::string& s) { return s; }, max_per_list);
    j["notes"] = p.notes;
    const json totals{{"creates", p.creates.size()},
                      {"updates", p.updates.size()},
                      {"orphans", p.orphans.size()},
                      {"disables", p.disables.size()},
                      {"deletes", p.deletes.size()},
                      {"group_creates", p.group_creates.size()},
                      {"group_updates", p.group_updates.size()},
                      {"orphaned_groups", p.orphaned_groups.size()},
                      {"skipped", p.skipped.size()}};
    bool truncated = false;
    for (const auto& [list, total] : totals.items()) truncated = truncated || j[list].size() < total;
    j["totals"] = totals;
    j["truncated"] = truncated;
    return j;
}

}  // namespace dirsync::sync
