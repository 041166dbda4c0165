#include "store/user_table.hpp"

#include "store/dialect.hpp"

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

/// Replaces the user's rows in one of its side index tables (user_emails.value_key, user_roles.role) by
/// `values`. `table` and `column` are fixed names, never input.
/// The rows of `table` for `row` become `values`; `replacing`: it may have some already (an update).
void write_index_rows(connection& db, std::string_view table, std::string_view column, const user_row& row,
                      const std::vector<std::string>& values, bool replacing) {
    if (replacing) {
        auto del = db.cached("DELETE FROM " + std::string(table) + " WHERE user_seq = ?1");
        del->bind(1, row.seq);
        del->step();
    }
    auto ins = db.cached("INSERT INTO " + std::string(table) + " (user_seq, tenant_id, " +
                         std::string(column) + ") VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    for (const auto& value : values) {
        ins->bind(1, row.seq).bind(2, row.tenant_id).bind(3, value);
        ins->step();
        ins->reset();
    }
}

void write_index_rows(connection& db, const user_row& row, bool replacing) {
    write_index_rows(db, "user_emails", "value_key", row, row.email_keys, replacing);
    write_index_rows(db, "user_roles", "role", row, row.role_names, replacing);
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
    s.bind(21, row.display_name_key).bind(22, row.given_name_key).bind(23, row.family_name_key);
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
    statement s(db, sql, scan_rows);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

void scan_by_source(connection& db, std::string_view tenant, std::string_view source,
                    const std::function<bool(user_row&&)>& visit) {
    static const std::string sql = select_where("tenant_id = ?1 AND source = ?2 ORDER BY seq");
    statement s(db, sql, scan_rows);  // not cached: a visitor may itself use cached statements
    s.bind(1, tenant).bind(2, source);
    while (s.step()) {
        if (!visit(read_row(s))) break;
    }
}

std::vector<std::pair<std::string, std::string>> resources_by_ids(connection& db, std::string_view tenant,
                                                                  std::span<const std::string> ids) {
    auto s = db.cached("SELECT id, resource FROM users WHERE tenant_id = ?1 AND id IN (SELECT value FROM " +
                       dialect::json_array_values(db.engine(), "?2") + ")");
    s->bind(1, tenant).bind(2, dialect::json_array_text(ids));
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(ids.size());
    while (s->step()) out.emplace_back(s->column_text(0), s->column_text(1));
    return out;
}

std::int64_t count_by_source(connection& db, std::string_view tenant, std::string_view source) {
    auto s = db.cached("SELECT count(*) FROM users WHERE tenant_id = ?1 AND source = ?2");
    s->bind(1, tenant).bind(2, source);
    s->step();
    return s->column_int(0);
}

namespace {

/// The smallest key greater than every key starting with `prefix` (for a range scan of an index), or
/// nullopt when there is none (a prefix of only 0xFF bytes, which no valid UTF-8 key has).
std::optional<std::string> prefix_end(std::string prefix) {
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last != 0xFF) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::nullopt;
}

/// LIKE pattern for `s` anywhere, with LIKE's own characters escaped by '\'.
std::string contains_pattern(std::string_view s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    out += '%';
    return out;
}

}  // namespace

std::vector<user_row> query(connection& db, std::string_view tenant, const user_filter& filter,
                            std::int64_t limit) {
    // One statement text per combination of conditions, prepared once and cached.
    // With a role, a subject or a name prefix, the matching users' seqs (from their indexes) drive the query:
    // dialect::not_indexed keeps SQLite from walking the tenant's index instead and testing each row
    // against them.
    const bool driven = filter.role || filter.subject || (filter.name_key && !filter.substring);
    const auto e = db.engine();
    std::string where = (driven ? dialect::not_indexed(e, "tenant_id") : "tenant_id") + " = ?1 AND seq > ?2";
    if (filter.status) where += " AND " + (driven ? dialect::not_indexed(e, "status") : "status") + " = ?3";
    if (filter.role)
        where += " AND seq IN (SELECT user_seq FROM user_roles WHERE tenant_id = ?1 AND role = ?4)";
    if (filter.id) where += " AND id = ?5";
    if (filter.subject)
        where +=
            " AND seq IN (SELECT seq FROM users WHERE tenant_id = ?1 AND source_anchor = ?6 UNION SELECT seq "
            "FROM "
            "users WHERE tenant_id = ?1 AND external_id = ?6)";
    std::optional<std::string> end;
    if (filter.name_key && filter.substring) {
        where +=
            " AND (user_name_key LIKE ?7 ESCAPE '\\' OR display_name_key LIKE ?7 ESCAPE '\\' OR "
            "given_name_key LIKE ?7 ESCAPE '\\' OR family_name_key LIKE ?7 ESCAPE '\\' OR seq IN (SELECT "
            "user_seq FROM user_emails WHERE tenant_id = ?1 AND value_key LIKE ?7 ESCAPE '\\'))";
    } else if (filter.name_key) {
        end = prefix_end(*filter.name_key);
        const std::string range = end ? " >= ?7 AND {} < ?8" : " >= ?7";
        auto in_range = [&](std::string_view column) {
            std::string r = std::string(column) + range;
            if (auto at = r.find("{}"); at != std::string::npos) r.replace(at, 2, column);
            return r;
        };
        // Each arm is answered by its own index; SQLite unions the row ids (the OR optimisation).
        where += " AND seq IN (SELECT seq FROM users WHERE tenant_id = ?1 AND " + in_range("user_name_key") +
                 " UNION SELECT seq FROM users WHERE tenant_id = ?1 AND " + in_range("display_name_key") +
                 " UNION SELECT seq FROM users WHERE tenant_id = ?1 AND " + in_range("given_name_key") +
                 " UNION SELECT seq FROM users WHERE tenant_id = ?1 AND " + in_range("family_name_key") +
                 " UNION SELECT user_seq FROM user_emails WHERE tenant_id = ?1 AND " + in_range("value_key") +
                 ")";
    }
    const std::string sql = select_where(where + " ORDER BY seq LIMIT ?9");
    auto s = db.cached(sql);
    s->bind(1, tenant).bind(2, filter.after_seq);
    if (filter.status) s->bind(3, *filter.status);
    if (filter.role) s->bind(4, *filter.role);
    if (filter.id) s->bind(5, *filter.id);
    if (filter.subject) s->bind(6, *filter.subject);
    if (filter.name_key && filter.substring) s->bind(7, contains_pattern(*filter.name_key));
    if (filter.name_key && !filter.substring) {
        s->bind(7, *filter.name_key);
        if (end) s->bind(8, *end);
    }
    s->bind(9, limit);
    std::vector<user_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void insert(connection& db, user_row& row) {
    auto s = db.cached(
        "INSERT INTO users (tenant_id, id, user_name, user_name_key, external_id, display_name, given_name, "
        "family_name, active, status, roles, source, source_anchor, created_ms, modified_ms, version, "
        "resource, orphan_since_ms, status_since_ms, registered_ms, display_name_key, given_name_key, "
        "family_name_key) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
        "?21, ?22, ?23) RETURNING seq");
    bind_columns(*s, row);
    s->step();
    row.seq = s->column_int(0);
    while (s->step()) {
    }
    // A new seq has no index rows: a deleted user's went with it (ON DELETE CASCADE).
    write_index_rows(db, row, false);
}

bool update(connection& db, const user_row& row) {
    auto s = db.cached(
        "UPDATE users SET user_name = ?3, user_name_key = ?4, external_id = ?5, display_name = ?6, "
        "given_name = ?7, family_name = ?8, active = ?9, status = ?10, roles = ?11, source = ?12, "
        "source_anchor = ?13, created_ms = ?14, modified_ms = ?15, version = ?16, resource = ?17, "
        "orphan_since_ms = ?18, status_since_ms = ?19, registered_ms = ?20, display_name_key = ?21, "
        "given_name_key = ?22, family_name_key = ?23 WHERE tenant_id = ?1 AND id = ?2 "
        "RETURNING seq");
    bind_columns(*s, row);
    if (!s->step()) return false;
    user_row with_seq = row;
    with_seq.seq = s->column_int(0);
    while (s->step()) {
    }
    write_index_rows(db, with_seq, true);
    return true;
}

bool remove(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached("DELETE FROM users WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id);
    s->step();
    return db.changes() > 0;
}

}  // namespace dirsync::store::user_table
