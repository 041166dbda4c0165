#include "store/role_table.hpp"

namespace dirsync::store::role_table {

namespace {

role_row read_row(const statement& s) {
    role_row r;
    r.tenant_id = s.column_text(0);
    r.name = s.column_text(1);
    r.description = s.column_text(2);
    r.created_ms = s.column_int(3);
    return r;
}

}  // namespace

bool insert(connection& db, const role_row& row) {
    auto s = db.cached(
        "INSERT INTO roles (tenant_id, name, description, created_ms) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT DO NOTHING");
    s->bind(1, row.tenant_id).bind(2, row.name).bind(3, row.description).bind(4, row.created_ms);
    s->step();
    return db.changes() > 0;
}

std::optional<role_row> find(connection& db, std::string_view tenant, std::string_view name) {
    auto s = db.cached(
        "SELECT tenant_id, name, description, created_ms FROM roles WHERE tenant_id = ?1 AND name = ?2");
    s->bind(1, tenant).bind(2, name);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<role_row> all(connection& db, std::string_view tenant) {
    auto s = db.cached(
        "SELECT tenant_id, name, description, created_ms FROM roles WHERE tenant_id = ?1 ORDER BY name");
    s->bind(1, tenant);
    std::vector<role_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

bool set_description(connection& db, std::string_view tenant, std::string_view name,
                     std::string_view description) {
    auto s = db.cached("UPDATE roles SET description = ?3 WHERE tenant_id = ?1 AND name = ?2");
    s->bind(1, tenant).bind(2, name).bind(3, description);
    s->step();
    return db.changes() > 0;
}

bool remove(connection& db, std::string_view tenant, std::string_view name) {
    auto s = db.cached("DELETE FROM roles WHERE tenant_id = ?1 AND name = ?2");
    s->bind(1, tenant).bind(2, name);
    s->step();
    return db.changes() > 0;
}

std::vector<std::pair<std::string, std::int64_t>> holders_by_role(connection& db, std::string_view tenant) {
    auto s =
        db.cached("SELECT role, count(*) FROM user_roles WHERE tenant_id = ?1 GROUP BY role ORDER BY role");
    s->bind(1, tenant);
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (s->step()) out.emplace_back(s->column_text(0), s->column_int(1));
    return out;
}

std::int64_t count_holders(connection& db, std::string_view tenant, std::string_view role,
                           std::string_view status) {
    auto s = db.cached(
        "SELECT count(*) FROM user_roles JOIN users ON users.seq = user_roles.user_seq "
        "WHERE user_roles.tenant_id = ?1 AND user_roles.role = ?2 AND users.status = ?3");
    s->bind(1, tenant).bind(2, role).bind(3, status);
    s->step();
    return s->column_int(0);
}

std::vector<std::string> holder_ids(connection& db, std::string_view tenant, std::string_view role) {
    auto s = db.cached(
        "SELECT users.id FROM user_roles JOIN users ON users.seq = user_roles.user_seq "
        "WHERE user_roles.tenant_id = ?1 AND user_roles.role = ?2 ORDER BY user_roles.user_seq");
    s->bind(1, tenant).bind(2, role);
    std::vector<std::string> out;
    while (s->step()) out.push_back(s->column_text(0));
    return out;
}

}  // namespace dirsync::store::role_table
