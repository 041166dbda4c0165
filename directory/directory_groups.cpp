// The group part of the directory: group records, their members, and the membership rules.
#include <algorithm>
#include <unordered_map>

#include "common/casefold.hpp"
#include "common/uuid.hpp"
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "directory/group_codec.hpp"
#include "directory/membership_plan.hpp"
#include "directory/memberships.hpp"
#include "directory/status_transitions.hpp"
#include "store/database.hpp"
#include "store/group_member_table.hpp"
#include "store/group_table.hpp"
#include "store/tenant_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace groups = store::group_table;
namespace members = store::group_member_table;

error group_not_found(std::string_view id) {
    return error(error_code::not_found, "no group with id '" + std::string(id) + "'");
}

error stale(std::int64_t version) {
    return error(error_code::precondition_failed,
                 "the resource was modified (version " + std::to_string(version) + ")");
}

json audit_view(const group& g) {
    json v{{"displayName", g.display_name}};
    if (g.external_id) v["externalId"] = *g.external_id;
    return v;
}

void audit(store::connection& db, const actor& who, const group& g, std::string_view action,
           const json& summary) {
    record_audit(db, who, g.tenant_id, "Group", g.id, g.last_modified, action, summary);
}

std::vector<group_member> load_members(store::connection& db, std::string_view tenant, std::int64_t seq) {
    auto rows = members::list(db, tenant, seq);
    std::vector<group_member> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(from_member_row(std::move(r)));
    return out;
}

group read_group(store::connection& db, store::group_row&& row, bool with_members) {
    const auto seq = row.seq;
    group g = from_row(std::move(row));
    if (with_members) g.members = load_members(db, g.tenant_id, seq);
    return g;
}

/// What a membership change wrote.
struct members_written {
    std::vector<std::string> added;
    std::vector<std::string> removed;

    bool any() const noexcept { return !added.empty() || !removed.empty(); }
};

/// Checks that every member an add step names is a user or group of the tenant (and of the type it claims),
/// fills in its type, and records the seqs of member groups.
result<void> resolve_members(store::connection& db, std::string_view tenant, std::vector<member_step>& steps,
                             std::unordered_map<std::string, std::int64_t>& group_seqs) {
    for (auto& step : steps) {
        if (step.what != member_step::kind::add) continue;
        for (auto& ref : step.members) {
            if (ref.id.empty())
                return error(error_code::invalid_value, "members: a member needs a non-empty value");
            auto target = members::find_target(db, tenant, ref.id);
            if (!target)
                return error(error_code::invalid_value,
                             "members: there is no user or group with id '" + ref.id + "' in this tenant");
            const member_type actual = parse_member_type(target->type).value_or(member_type::user);
            if (ref.type && *ref.type != actual)
                return error(error_code::invalid_value, "members: '" + ref.id + "' is a " +
                                                            std::string(to_string(actual)) + ", not a " +
                                                            std::string(to_string(*ref.type)));
            ref.type = actual;
            if (actual == member_type::group) group_seqs[ref.id] = target->group_seq;
        }
    }
    return {};
}

/// Validates and writes a change's member steps on the group stored as `row`, touching only the members the
/// steps name (remove_all rewrites the set, remove_matching reads it).
result<members_written> write_members(store::connection& db, std::string_view tenant,
                                      const store::group_row& row, std::vector<member_step> steps) {
    members_written out;
    if (steps.empty()) return out;
    std::unordered_map<std::string, std::int64_t> group_seqs;
    if (auto r = resolve_members(db, tenant, steps, group_seqs); !r) return r.error();

    const stored_members stored = [&](const std::function<void(const group_member&)>& visit) {
        members::scan(db, tenant, row.seq, [&](store::member_row&& m) {
            visit(from_member_row(std::move(m)));
            return true;
        });
    };
    membership_delta delta = fold_member_steps(steps, stored);

    for (const auto& p : delta.put) {
        if (p.type != member_type::group) continue;
        const std::int64_t seq = group_seqs.at(p.id);
        if (seq == row.seq)
            return error(error_code::invalid_value, "members: a group cannot be a member of itself");
        if (members::nests(db, tenant, seq, row.seq))
            return error(error_code::invalid_value,
                         "members: group '" + p.id + "' contains this group; adding it would make a cycle");
    }

    if (delta.replace) {
        std::vector<std::string> keep;
        keep.reserve(delta.put.size());
        for (const auto& p : delta.put) keep.push_back(p.id);
        out.removed = members::remove_all_except(db, tenant, row.seq, keep);
    } else {
        for (const auto& id : delta.drop)
            if (members::remove(db, tenant, row.seq, id)) out.removed.push_back(id);
    }
    for (const auto& p : delta.put) {
        // The display a writer sends is not kept: reads give each member its current name.
        const store::member_row m{p.id, std::string(to_string(p.type.value_or(member_type::user))),
                                  std::nullopt};
        if (members::add(db, tenant, row.seq, m)) out.added.push_back(p.id);
    }
    return out;
}

}  // namespace

result<group> tenant_directory::batch::create_group(std::string_view tenant, group_write w) {
    if (auto r = admit_writer(tenant, false); !r) return r.error();
    group g;
    g.tenant_id = std::string(tenant);
    g.id = common::random_uuid();
    g.resource = std::move(w.resource);
    if (auto r = derive_group_projections(g, schemas_.groups()); !r) return r.error();
    if (w.source_anchor && groups::find_by_anchor(db_, tenant, w.source, *w.source_anchor))
        return error(error_code::uniqueness, "a group with this source anchor already exists");
    g.source = std::move(w.source);
    g.source_anchor = std::move(w.source_anchor);
    g.created = g.last_modified = common::now();
    g.version = 1;

    auto row = to_row(g);
    if (auto r = check_size("group", row.resource_json); !r) return r.error();
    groups::insert(db_, row);
    std::vector<member_step> steps;
    if (!w.members.empty()) steps.push_back(member_step::add(std::move(w.members)));
    auto written = write_members(db_, tenant, row, std::move(steps));
    if (!written) return written.error();
    g.members = load_members(db_, tenant, row.seq);
    audit(db_, actor_, g, "group.create",
          json{{"after", audit_view(g)}, {"members", membership_summary(written->added, {})}});
    return g;
}

result<group> tenant_directory::batch::modify_group(
    std::string_view tenant, std::string_view id,
    const std::function<result<group_change>(const group&)>& change,
    std::optional<std::int64_t> expected_version) {
    auto row = groups::find_by_id(db_, tenant, id);
    if (!row) return group_not_found(id);
    if (writer_of(actor_) == status_writer::idp)
        if (auto r = admit_writer(tenant, false); !r) return r.error();
    group before = from_row(store::group_row(*row));
    if (expected_version && *expected_version != before.version) return stale(before.version);
    auto c = change(before);
    if (!c) return c.error();

    group g = before;
    g.resource = std::move(c->resource);
    if (auto r = derive_group_projections(g, schemas_.groups()); !r) return r.error();
    auto written = write_members(db_, tenant, *row, std::move(c->members));
    if (!written) return written.error();

    const bool resource_changed = g.resource != before.resource;
    if (!resource_changed && !written->any()) return before;  // nothing changed: no new version, no event

    g.last_modified = std::max(common::now(), before.last_modified);
    g.version = before.version + 1;
    auto updated = to_row(g);
    if (auto r = check_size("group", updated.resource_json); !r) return r.error();
    groups::update(db_, updated);
    if (resource_changed)
        audit(db_, actor_, g, "group.update",
              json{{"before", audit_view(before)},
                   {"after", audit_view(g)},
                   {"changed", changed_attributes(before.resource, g.resource)}});
    if (written->any())
        audit(db_, actor_, g, "group.members", membership_summary(written->added, written->removed));
    return g;
}

result<void> tenant_directory::batch::delete_group(std::string_view tenant, std::string_view id,
                                                   std::optional<std::int64_t> expected_version) {
    auto row = groups::find_by_id(db_, tenant, id);
    if (!row) return group_not_found(id);
    if (writer_of(actor_) == status_writer::idp)
        if (auto r = admit_writer(tenant, false); !r) return r.error();
    const auto seq = row->seq;
    group before = from_row(std::move(*row));
    if (expected_version && *expected_version != before.version) return stale(before.version);
    const auto member_count = members::count(db_, tenant, seq);
    before.last_modified = common::now();
    drop_memberships(db_, actor_, tenant, id, before.last_modified);
    groups::remove(db_, tenant, id);  // its member rows go with it
    json view = audit_view(before);
    view["members"] = member_count;
    audit(db_, actor_, before, "group.delete", json{{"before", std::move(view)}});
    return {};
}

result<group> tenant_directory::create_group(const actor& who, std::string_view tenant, group_write w) {
    return db_.write(
        [&](store::connection& db) { return batch(db, who, *this).create_group(tenant, std::move(w)); });
}

result<group> tenant_directory::modify_group(const actor& who, std::string_view tenant, std::string_view id,
                                             const std::function<result<group_change>(const group&)>& change,
                                             std::optional<std::int64_t> expected_version,
                                             bool with_members) {
    return db_.write([&](store::connection& db) {
        auto g = batch(db, who, *this).modify_group(tenant, id, change, expected_version);
        if (g && with_members)
            if (auto row = groups::find_by_id(db, tenant, id))
                g->members = load_members(db, tenant, row->seq);
        return g;
    });
}

result<void> tenant_directory::delete_group(const actor& who, std::string_view tenant, std::string_view id,
                                            std::optional<std::int64_t> expected_version) {
    return db_.write([&](store::connection& db) {
        return batch(db, who, *this).delete_group(tenant, id, expected_version);
    });
}

result<group> tenant_directory::get_group(std::string_view tenant, std::string_view id,
                                          bool with_members) const {
    auto g = db_.read([&](store::connection& db) -> std::optional<group> {
        store::read_snapshot snapshot(db);  // the group and its members as of one moment, one read lock
        auto row = groups::find_by_id(db, tenant, id);
        if (!row) return std::nullopt;
        return read_group(db, std::move(*row), with_members);
    });
    if (!g) return group_not_found(id);
    return std::move(*g);
}

std::int64_t tenant_directory::count_groups(std::string_view tenant) const {
    return db_.read([&](store::connection& db) { return groups::count(db, tenant); });
}

std::vector<group> tenant_directory::list_groups(std::string_view tenant, std::int64_t offset,
                                                 std::int64_t limit, bool with_members) const {
    return db_.read([&](store::connection& db) {
        store::read_snapshot snapshot(db);
        std::vector<group> out;
        for (auto& row : groups::page(db, tenant, offset, limit))
            out.push_back(read_group(db, std::move(row), with_members));
        return out;
    });
}

std::vector<group> tenant_directory::find_groups(std::string_view tenant, group_index index,
                                                 std::string_view value, bool with_members) const {
    return db_.read([&](store::connection& db) {
        store::read_snapshot snapshot(db);
        std::vector<store::group_row> rows;
        switch (index) {
            case group_index::id:
                if (auto r = groups::find_by_id(db, tenant, value)) rows.push_back(std::move(*r));
                break;
            case group_index::display_name:
                rows = groups::find_by_display_name_key(db, tenant, common::fold_case(value));
                break;
            case group_index::external_id:
                rows = groups::find_by_external_id(db, tenant, value);
                break;
        }
        std::vector<group> out;
        out.reserve(rows.size());
        for (auto& row : rows) out.push_back(read_group(db, std::move(row), with_members));
        return out;
    });
}

void tenant_directory::scan_groups(std::string_view tenant, const std::function<bool(group&&)>& visit,
                                   bool with_members) const {
    db_.read([&](store::connection& db) {
        groups::scan(db, tenant, [&](store::group_row&& row) {
            return visit(read_group(db, std::move(row), with_members));
        });
    });
}

}  // namespace dirsync::directory
