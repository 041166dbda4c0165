// The reads sync runs need: a source's records as briefs, without parsing their resources or loading groups.
#include "common/casefold.hpp"
#include "directory/directory.hpp"
#include "directory/group_codec.hpp"
#include "store/database.hpp"
#include "store/group_member_table.hpp"
#include "store/group_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

namespace users = store::user_table;
namespace groups = store::group_table;

user_brief brief_of(store::user_row&& row, brief_resource resource = brief_resource::text) {
    user_brief b;
    b.id = std::move(row.id);
    b.user_name = std::move(row.user_name);
    b.source = std::move(row.source);
    b.source_anchor = std::move(row.source_anchor);
    b.status = parse_user_status(row.status).value_or(user_status::disabled);
    if (row.roles_json != "[]")
        b.roles = nlohmann::json::parse(row.roles_json).get<std::vector<std::string>>();
    if (row.orphan_since_ms) b.orphan_since = common::from_epoch_ms(*row.orphan_since_ms);
    b.version = row.version;
    if (resource == brief_resource::digest)
        b.resource_digest = common::sha256(row.resource_json);
    else
        b.resource_json = std::move(row.resource_json);
    return b;
}

group_brief brief_of(store::connection& db, std::string_view tenant, store::group_row&& row) {
    group_brief b;
    const auto seq = row.seq;
    b.id = std::move(row.id);
    b.display_name = std::move(row.display_name);
    b.source = std::move(row.source);
    b.source_anchor = std::move(row.source_anchor);
    b.version = row.version;
    b.resource_json = std::move(row.resource_json);
    // A run compares members by id: their names are not looked up.
    store::group_member_table::scan(
        db, tenant, seq,
        [&](store::member_row&& m) {
            b.members.push_back(from_member_row(std::move(m)));
            return true;
        },
        store::group_member_table::member_display::omitted);
    return b;
}

}  // namespace

void tenant_directory::scan_source_users(std::string_view tenant, std::string_view source,
                                         const std::function<bool(user_brief&&)>& visit,
                                         brief_resource resource) const {
    db_.read([&](store::connection& db) {
        users::scan_by_source(db, tenant, source, [&](store::user_row&& row) {
            return visit(brief_of(std::move(row), resource));
        });
    });
}

std::unordered_map<std::string, std::string> tenant_directory::stored_user_resources(
    std::string_view tenant, std::span<const std::string> ids) const {
    auto rows = db_.read([&](store::connection& db) { return users::resources_by_ids(db, tenant, ids); });
    std::unordered_map<std::string, std::string> out;
    out.reserve(rows.size());
    for (auto& [id, text] : rows) out.emplace(std::move(id), std::move(text));
    return out;
}

std::size_t tenant_directory::count_source_users(std::string_view tenant, std::string_view source) const {
    return static_cast<std::size_t>(
        db_.read([&](store::connection& db) { return users::count_by_source(db, tenant, source); }));
}

std::optional<user_brief> tenant_directory::find_user_by_anchor(std::string_view tenant,
                                                                std::string_view source,
                                                                std::string_view anchor) const {
    auto row =
        db_.read([&](store::connection& db) { return users::find_by_anchor(db, tenant, source, anchor); });
    if (!row) return std::nullopt;
    return brief_of(std::move(*row));
}

std::vector<user_brief> tenant_directory::find_user_briefs(std::string_view tenant, user_index index,
                                                           std::string_view value) const {
    auto rows = db_.read([&](store::connection& db) {
        std::vector<store::user_row> out;
        switch (index) {
            case user_index::id:
                if (auto r = users::find_by_id(db, tenant, value)) out.push_back(std::move(*r));
                break;
            case user_index::user_name:
                if (auto r = users::find_by_user_name_key(db, tenant, common::fold_case(value)))
                    out.push_back(std::move(*r));
                break;
            case user_index::external_id:
                out = users::find_by_external_id(db, tenant, value);
                break;
            case user_index::email:
                out = users::find_by_email_key(db, tenant, common::fold_case(value));
                break;
        }
        return out;
    });
    std::vector<user_brief> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(brief_of(std::move(r)));
    return out;
}

void tenant_directory::scan_source_groups(std::string_view tenant, std::string_view source,
                                          const std::function<bool(group_brief&&)>& visit) const {
    db_.read([&](store::connection& db) {
        // One statement stays open across the visits, so every member list is read from the same snapshot.
        groups::scan_by_source(db, tenant, source, [&](store::group_row&& row) {
            return visit(brief_of(db, tenant, std::move(row)));
        });
    });
}

std::optional<group_brief> tenant_directory::find_group_by_anchor(std::string_view tenant,
                                                                  std::string_view source,
                                                                  std::string_view anchor) const {
    return db_.read([&](store::connection& db) -> std::optional<group_brief> {
        auto row = groups::find_by_anchor(db, tenant, source, anchor);
        if (!row) return std::nullopt;
        return brief_of(db, tenant, std::move(*row));
    });
}

}  // namespace dirsync::directory
