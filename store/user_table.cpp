#include "store/user_table.hpp"

namespace dirsync::store::user_table {

namespace {

constexpr std::string_view columns =
    "seq, tenant_id, id, user_name, user_name_key, external_id, display_name, given_name, family_name, "
    "active, "
    "status, roles, source, source_anchor, created_ms, modified_ms, version, resource, orphan_since_ms, "
    "status_since_ms, registered_ms";

user_row read_row(const statement& s) {
    user_row r;
    r.seq = s.column_int(0);
    r.tenant_id = s.column_text(1);
    r.id = s.column_text(2);
    r.user_name = s.column_text(3);
    r.user_name_key = s.column_text(4);
    r.external_id = s.column_optional_text(5);
    r.display_name = s.column_optional_text(6);
    r.given_name = s.column_optional_text(7);
    r.family_name = s.column_optional_text(8);
    r.active = s.column_int(9) != 0;
    r.status = s.column_text(10);
    r.roles_json = s.column_text(11);
    r.source = s.column_text(12);
    r.source_anchor = s.column_optional_text(13);
    r.created_ms = s.column_int(14);
    r.modified_ms = s.column_int(15);
    r.version = s.column_int(16);
    r.resource_json = s.column_text(17);
    if (!s.column_is_null(18)) r.orphan_since_ms = s.column_int(18);
    r.status_since_ms = s.column_int(19);
    if (!s.column_is_null(20)) r.registered_ms = s.column_int(20);
    return r;
}

std::string select_where(std::string_view where) {
    std::string sql = "SELECT ";
    sql += columns;
    sql += " FROM users WHERE ";
    sql += where;
    return sql;
}

std::optional<user_row> one(connection& db, const std::string& sql,
                            std::initializer_list<std::string_view> args) {
    auto s = db.cached(sql);
    int i = 1;
    for (auto a : args) s->bind(i++, a);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<user_row> many(connection& db, const std::string& sql,
                           std::initializer_list<std::string_view> args) {
    auto s = db.cached(sql);
    int i = 1;
    for (auto a : args) s->bind(i++, a);
    std::vector<user_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void write_email_keys(connection& db, const user_row& row) {
    {
        auto del = db.cached("DELETE FROM user_emails WHERE user_seq = ?1");
        del->bind(1, row.seq);
        del->step();
    }
    auto ins = db.cached("INSERT INTO user_emails (user_seq, tenant_id, value_key) VALUES (?1, ?2, ?3)");
    for (const auto& key : row.email_keys) {
        ins->bind(1, row.seq).bind(2, row.tenant_id).bind(3, key);
        ins->step();
        ins->reset();
    }
}

void bind_columns(statement& s, const user_row& row) {
    s.bind(1, row.tenant_id)
        .bind(2, row.id)
        .bind(3, row.user_name)
        .bind(4, row.user_name_key)
        .bind(5, row.external_id)
        .bind(6, row.display_name)
        .bind(7, row.given_name)
        .bind(8, row.family_name)
        .bind(9, std::int64_t{row.active ? 1 : 0})
        .bind(10, row.status)
        .bind(11, row.roles_json)
        .bind(12, row.source)
        .bind(13, row.source_anchor)
        .bind(14, row.created_ms)
        .bind(15, row.modified_ms)
        .bind(16, row.version)
        .bind(17, row.resource_json);
    if (row.orphan_since_ms)
        s.bind(18, *row.orphan_since_ms);
    else
        s.bind_null(18);
    s.bind(19, row.status_since_ms);
    if (row.registered_ms)
        s.bind(20, *row.registered_ms);
    else
        s.bind_null(20);
}

}  // namespace

std::optional<user_row> find_by_id(connection& db, std::string_view tenant, std::string_view id) {
    static const std::string sql = select_where("tenant_id = ?1 AND id = ?2");
    return one(db, sql, {tenant, id});
}

std::optional<user_row> find_by_user_name_key(connection& db, std::string_view tenant, std::string_view key) {
    static const std::string sql = select_where("tenant_id = ?1 AND user_name_key = ?2");
    return one(db, sql, {tenant, key});
}

std::optional<user_row> find_by_anchor(connection& db, std::string_view tenant, std::string_view source,
                                       std::string_view anchor) {
    static const std::string sql = select_where("tenant_id = ?1 AND source = ?2 AND source_anchor = ?3");
    return one(db, sql, {tenant, source, anchor});
}

std::vector<user_row> find_by_external_id(connection& db, std::string_view tenant,
                                          std::string_view external_id) {
    static const std::string sql = select_where("tenant_id = ?1 AND external_id = ?2 ORDER BY seq");
    return many(db, sql, {tenant, external_id});
}

std::vector<user_row> find_by_email_key(connection& db, std::string_view tenant, std::string_view email_key) {
    static const std::string sql = select_where(
        "seq IN (SELECT user_seq FROM user_emails WHERE tenant_id = ?1 AND value_key = ?2) AND tenant_id = "
        "?1 "
        "ORDER BY seq");
    return many(db, sql, {tenant, email_key});
}

std::int64_t count(connection& db, std::string_view tenant) {
    auto s = db.cached("SELECT count(*) FROM users WHERE tenant_id = ?1");
    s->bind(1, tenant);
    s->step();
    return s->column_int(0);
}

std::vector<std::pair<std::string, std::int64_t>> count_by_status(connection& db, std::string_view tenant) {
    auto s =
        db.cached("SELECT status, count(*) FROM users WHERE tenant_id = ?1 GROUP BY status ORDER BY status");
    s->bind(1, tenant);
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (s->step()) out.emplace_back(s->column_text(0), s->column_int(1));
    return out;
}

std::optional<user_row> longest_waiting(connection& db, std::string_view tenant) {
    static const std::string sql =
        select_where("tenant_id = ?1 AND status = 'requested' ORDER BY status_since_ms, seq LIMIT 1");
    return one(db, sql, {tenant});
}

std::vector<user_row> page(connection& db, std::string_view tenant, std::int64_t offset, std::int64_t limit) {
    static const std::string sql = select_where("tenant_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3");
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, limit).bind(3, offset);
    std::vector<user_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void scan(connection& db, std::string_view tenant, const std::function<bool(user_row&&)>& visit) {
    static const std::string sql = select_where("tenant_id = ?1 ORDER BY seq");
    statement s(db, sql);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

void scan_by_source(connection& db, std::string_view tenant, std::string_view source,
                    const std::function<bool(user_row&&)>& visit) {
    static const std::string sql = select_where("tenant_id = ?1 AND source = ?2 ORDER BY seq");
    statement s(db, sql);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant).bind(2, source);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

void insert(connection& db, user_row& row) {
    auto s = db.cached(
        "INSERT INTO users (tenant_id, id, user_name, user_name_key, external_id, display_name, given_name, "
        "family_name, active, status, roles, source, source_anchor, created_ms, modified_ms, version, "
        "resource, orphan_since_ms, status_since_ms, registered_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
    bind_columns(*s, row);
    s->step();
    row.seq = db.last_insert_rowid();
    write_email_keys(db, row);
}

bool update(connection& db, const user_row& row) {
    auto s = db.cached(
        "UPDATE users SET user_name = ?3, user_name_key = ?4, external_id = ?5, display_name = ?6, "
        "given_name = ?7, family_name = ?8, active = ?9, status = ?10, roles = ?11, source = ?12, "
        "source_anchor = ?13, created_ms = ?14, modified_ms = ?15, version = ?16, resource = ?17, "
        "orphan_since_ms = ?18, status_since_ms = ?19, registered_ms = ?20 WHERE tenant_id = ?1 AND id = ?2 "
        "RETURNING seq");
    bind_columns(*s, row);
    if (!s->step()) return false;
    user_row with_seq = row;
    with_seq.seq = s->column_int(0);
    while (s->step()) {
    }
    write_email_keys(db, with_seq);
    return true;
}

bool remove(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached("DELETE FROM users WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id);
    s->step();
    return db.changes() > 0;
}

}  // namespace dirsync::store::user_table
