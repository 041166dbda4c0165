#include "store/group_table.hpp"

#include <string>

namespace dirsync::store::group_table {

namespace {

constexpr std::string_view columns =
    "seq, tenant_id, id, display_name, display_name_key, external_id, created_ms, modified_ms, version, "
    "resource, source, source_anchor";

group_row read_row(const statement& s) {
    group_row r;
    r.seq = s.column_int(0);
    r.tenant_id = s.column_text(1);
    r.id = s.column_text(2);
    r.display_name = s.column_text(3);
    r.display_name_key = s.column_text(4);
    r.external_id = s.column_optional_text(5);
    r.created_ms = s.column_int(6);
    r.modified_ms = s.column_int(7);
    r.version = s.column_int(8);
    r.resource_json = s.column_text(9);
    r.source = s.column_text(10);
    r.source_anchor = s.column_optional_text(11);
    return r;
}

std::string select_where(std::string_view where) {
    std::string sql = "SELECT ";
    sql += columns;
    sql += " FROM groups WHERE ";
    sql += where;
    return sql;
}

std::vector<group_row> many(connection& db, const std::string& sql, std::string_view tenant,
                            std::string_view value) {
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, value);
    std::vector<group_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void bind_columns(statement& s, const group_row& row) {
    s.bind(1, row.tenant_id)
        .bind(2, row.id)
        .bind(3, row.display_name)
        .bind(4, row.display_name_key)
        .bind(5, row.external_id)
        .bind(6, row.created_ms)
        .bind(7, row.modified_ms)
        .bind(8, row.version)
        .bind(9, row.resource_json)
        .bind(10, row.source)
        .bind(11, row.source_anchor);
}

}  // namespace

std::optional<group_row> find_by_id(connection& db, std::string_view tenant, std::string_view id) {
    static const std::string sql = select_where("tenant_id = ?1 AND id = ?2");
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<group_row> find_by_display_name_key(connection& db, std::string_view tenant,
                                                std::string_view key) {
    static const std::string sql = select_where("tenant_id = ?1 AND display_name_key = ?2 ORDER BY seq");
    return many(db, sql, tenant, key);
}

std::vector<group_row> find_by_external_id(connection& db, std::string_view tenant,
                                           std::string_view external_id) {
    static const std::string sql = select_where("tenant_id = ?1 AND external_id = ?2 ORDER BY seq");
    return many(db, sql, tenant, external_id);
}

std::optional<group_row> find_by_anchor(connection& db, std::string_view tenant, std::string_view source,
                                        std::string_view anchor) {
    static const std::string sql = select_where("tenant_id = ?1 AND source = ?2 AND source_anchor = ?3");
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, source).bind(3, anchor);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

void scan_by_source(connection& db, std::string_view tenant, std::string_view source,
                    const std::function<bool(group_row&&)>& visit) {
    // groups_by_anchor covers (tenant, source) for anchored groups; a source's groups all have anchors.
    static const std::string sql =
        select_where("tenant_id = ?1 AND source = ?2 AND source_anchor IS NOT NULL ORDER BY seq");
    statement s(db, sql, scan_rows);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant).bind(2, source);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

std::int64_t count(connection& db, std::string_view tenant) {
    auto s = db.cached("SELECT count(*) FROM groups WHERE tenant_id = ?1");
    s->bind(1, tenant);
    s->step();
    return s->column_int(0);
}

std::vector<group_row> page(connection& db, std::string_view tenant, std::int64_t offset,
                            std::int64_t limit) {
    static const std::string sql = select_where("tenant_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3");
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, limit).bind(3, offset);
    std::vector<group_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void scan(connection& db, std::string_view tenant, const std::function<bool(group_row&&)>& visit) {
    static const std::string sql = select_where("tenant_id = ?1 ORDER BY seq");
    statement s(db, sql, scan_rows);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

void insert(connection& db, group_row& row) {
    auto s = db.cached(
        "INSERT INTO groups (tenant_id, id, display_name, display_name_key, external_id, created_ms, "
        "modified_ms, version, resource, source, source_anchor) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING seq");
    bind_columns(*s, row);
    s->step();
    row.seq = s->column_int(0);
    while (s->step()) {
    }
}

bool update(connection& db, const group_row& row) {
    auto s = db.cached(
        "UPDATE groups SET display_name = ?3, display_name_key = ?4, external_id = ?5, created_ms = ?6, "
        "modified_ms = ?7, version = ?8, resource = ?9, source = ?10, source_anchor = ?11 "
        "WHERE tenant_id = ?1 AND id = ?2");
    bind_columns(*s, row);
    s->step();
    return db.changes() > 0;
}

bool remove(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached("DELETE FROM groups WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id);
    s->step();
    return db.changes() > 0;
}

}  // namespace dirsync::store::group_table
