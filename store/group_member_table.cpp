#include "store/group_member_table.hpp"

#include "store/dialect.hpp"

namespace dirsync::store::group_member_table {

namespace {

/// A group's members by member id, each with its display as the member is named now: a user's displayName
/// (its userName when it has none), a group's displayName; the display a writer stored is only the fallback
/// for a member that cannot be found (never the case while the tenant's rows are consistent).
constexpr const char* select_members =
    "SELECT gm.member_id, gm.member_type, COALESCE(CASE gm.member_type "
    "WHEN 'User' THEN (SELECT COALESCE(NULLIF(u.display_name, ''), u.user_name) FROM users u "
    "WHERE u.tenant_id = ?2 AND u.id = gm.member_id) "
    "ELSE (SELECT g.display_name FROM groups g WHERE g.tenant_id = ?2 AND g.id = gm.member_id) END, "
    "gm.display) "
    "FROM group_members gm WHERE gm.group_seq = ?1 AND gm.tenant_id = ?2 ORDER BY gm.member_id";

constexpr const char* select_member_ids =
    "SELECT member_id, member_type, NULL FROM group_members WHERE group_seq = ?1 AND tenant_id = ?2 "
    "ORDER BY member_id";

member_row read_member(const statement& s) {
    return member_row{s.column_text(0), s.column_text(1), s.column_optional_text(2)};
}

}  // namespace

std::optional<member_target> find_target(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached(
        "SELECT 'User', 0 FROM users WHERE tenant_id = ?1 AND id = ?2 "
        "UNION ALL SELECT 'Group', seq FROM groups WHERE tenant_id = ?1 AND id = ?2 LIMIT 1");
    s->bind(1, tenant).bind(2, id);
    if (!s->step()) return std::nullopt;
    return member_target{s->column_text(0), s->column_int(1)};
}

std::vector<member_row> list(connection& db, std::string_view tenant, std::int64_t group_seq) {
    auto s = db.cached(select_members);
    s->bind(1, group_seq).bind(2, tenant);
    std::vector<member_row> out;
    while (s->step()) out.push_back(read_member(*s));
    return out;
}

void scan(connection& db, std::string_view tenant, std::int64_t group_seq,
          const std::function<bool(member_row&&)>& visit, member_display display) {
    // Not cached: a visitor may itself use cached statements.
    statement s(db, display == member_display::current ? select_members : select_member_ids, scan_rows);
    s.bind(1, group_seq).bind(2, tenant);
    while (s.step()) {
        if (!visit(read_member(s))) break;
    }
}

std::int64_t count(connection& db, std::string_view tenant, std::int64_t group_seq) {
    auto s = db.cached("SELECT count(*) FROM group_members WHERE group_seq = ?1 AND tenant_id = ?2");
    s->bind(1, group_seq).bind(2, tenant);
    s->step();
    return s->column_int(0);
}

bool add(connection& db, std::string_view tenant, std::int64_t group_seq, const member_row& row) {
    auto ins = db.cached(
        "INSERT INTO group_members (group_seq, member_id, tenant_id, member_type, display) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (group_seq, member_id) DO NOTHING");
    ins->bind(1, group_seq)
        .bind(2, row.member_id)
        .bind(3, tenant)
        .bind(4, row.member_type)
        .bind(5, row.display);
    ins->step();
    return db.changes() > 0;
}

bool remove(connection& db, std::string_view tenant, std::int64_t group_seq, std::string_view member_id) {
    auto s =
        db.cached("DELETE FROM group_members WHERE group_seq = ?1 AND member_id = ?2 AND tenant_id = ?3");
    s->bind(1, group_seq).bind(2, member_id).bind(3, tenant);
    s->step();
    return db.changes() > 0;
}

std::vector<std::string> remove_all_except(connection& db, std::string_view tenant, std::int64_t group_seq,
                                           std::span<const std::string> keep) {
    auto s = db.cached(
        "DELETE FROM group_members WHERE group_seq = ?1 AND tenant_id = ?2 "
        "AND member_id NOT IN (SELECT value FROM " +
        dialect::json_array_values(db.engine(), "?3") + ") RETURNING member_id");
    s->bind(1, group_seq).bind(2, tenant).bind(3, dialect::json_array_text(keep));
    std::vector<std::string> removed;
    while (s->step()) removed.push_back(s->column_text(0));
    return removed;
}

std::vector<std::string> groups_containing(connection& db, std::string_view tenant,
                                           std::string_view member_id) {
    auto s = db.cached(
        "SELECT g.id FROM group_members m JOIN groups g ON g.seq = m.group_seq AND g.tenant_id = ?1 "
        "WHERE m.tenant_id = ?1 AND m.member_id = ?2 ORDER BY m.group_seq");
    s->bind(1, tenant).bind(2, member_id);
    std::vector<std::string> out;
    while (s->step()) out.push_back(s->column_text(0));
    return out;
}

std::int64_t remove_everywhere(connection& db, std::string_view tenant, std::string_view member_id) {
    auto s = db.cached("DELETE FROM group_members WHERE tenant_id = ?1 AND member_id = ?2");
    s->bind(1, tenant).bind(2, member_id);
    s->step();
    return db.changes();
}

bool nests(connection& db, std::string_view tenant, std::int64_t from_seq, std::int64_t target_seq) {
    auto s = db.cached(
        "WITH RECURSIVE down(seq) AS ("
        "  SELECT CAST(?2 AS BIGINT)"
        "  UNION"
        "  SELECT g.seq FROM down"
        "  JOIN group_members m" +
        // not the primary key: skips user members
        dialect::use_index(db.engine(), "group_members_nested") +
        "    ON m.group_seq = down.seq AND m.member_type = 'Group'"
        "  JOIN groups g ON g.tenant_id = ?1 AND g.id = m.member_id"
        ") SELECT EXISTS (SELECT 1 FROM down WHERE seq = ?3)");
    s->bind(1, tenant).bind(2, from_seq).bind(3, target_seq);
    s->step();
    return s->column_int(0) != 0;
}

std::vector<membership> memberships_of(connection& db, std::string_view tenant,
                                       std::span<const std::string> member_ids) {
    std::vector<membership> out;
    // Most users of a page (often all) are in no group. Finding that takes one index probe each, where the
    // recursive query below builds several temporary b-trees even when it finds nothing.
    std::vector<std::string> members;
    {
        auto any = db.cached("SELECT 1 FROM group_members WHERE tenant_id = ?1 AND member_id = ?2 LIMIT 1");
        for (const auto& id : member_ids) {
            any->bind(1, tenant).bind(2, id);
            if (any->step()) members.push_back(id);
            any->reset();
        }
    }
    if (members.empty()) return out;
    auto s = db.cached(
        "WITH RECURSIVE"
        " wanted(member_id) AS (SELECT DISTINCT value FROM " +
        dialect::json_array_values(db.engine(), "?2") +
        "),"
        " up(member_id, group_seq) AS ("
        "  SELECT m.member_id, m.group_seq FROM wanted"
        "  JOIN group_members m ON m.tenant_id = ?1 AND m.member_id = wanted.member_id"
        "  UNION"
        "  SELECT up.member_id, p.group_seq FROM up"
        "  JOIN groups g ON g.seq = up.group_seq"
        "  JOIN group_members p ON p.tenant_id = ?1 AND p.member_id = g.id AND p.member_type = 'Group')"
        " SELECT up.member_id, g.id, g.display_name,"
        "  EXISTS (SELECT 1 FROM group_members d WHERE d.group_seq = up.group_seq AND d.member_id = "
        "up.member_id)"
        " FROM up JOIN groups g ON g.seq = up.group_seq AND g.tenant_id = ?1"
        " ORDER BY up.member_id, g.seq");
    s->bind(1, tenant).bind(2, dialect::json_array_text(members));
    while (s->step())
        out.push_back(
            membership{s->column_text(0), s->column_text(1), s->column_text(2), s->column_int(3) != 0});
    return out;
}

}  // namespace dirsync::store::group_member_table
