#include "store/tenant_table.hpp"

namespace dirsync::store::tenant_table {

namespace {
tenant_row read_row(const statement& s) {
    tenant_row r;
    r.id = s.column_text(0);
    r.name = s.column_text(1);
    if (!s.column_is_null(2)) r.seats = s.column_int(2);
    r.created_ms = s.column_int(3);
    r.seats_used = s.column_int(4);
    r.provisioning = s.column_text(5);
    r.idp_active = s.column_int(6) != 0;
    return r;
}
}  // namespace

void upsert(connection& db, const tenant_row& row) {
    auto s = db.cached(
        "INSERT INTO tenants (id, name, seats, created_ms) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, seats = excluded.seats");
    s->bind(1, row.id).bind(2, row.name);
    if (row.seats)
        s->bind(3, *row.seats);
    else
        s->bind_null(3);
    s->bind(4, row.created_ms);
    s->step();
}

void add_seats_used(connection& db, std::string_view id, std::int64_t delta) {
    if (delta == 0) return;
    // An UPDATE, not an upsert: on PostgreSQL, INSERT ... ON CONFLICT DO UPDATE of one row from the
    // savepoints of a sync chunk costs several times more (each version's lock becomes a multixact).
    auto s = db.cached("UPDATE tenant_seats SET used = used + ?2 WHERE tenant_id = ?1");
    s->bind(1, id).bind(2, delta);
    s->step();
    if (db.changes() > 0) return;
    auto first = db.cached("INSERT INTO tenant_seats (tenant_id, used) VALUES (?1, ?2)");
    first->bind(1, id).bind(2, delta);
    first->step();
}

bool set_provisioning(connection& db, std::string_view id, std::string_view mode) {
    auto s = db.cached(
        "UPDATE tenants SET provisioning = ?2, idp_active = CASE WHEN ?2 = 'invite' THEN 0 "
        "WHEN provisioning = 'invite' THEN 0 ELSE idp_active END WHERE id = ?1 AND provisioning <> ?2");
    s->bind(1, id).bind(2, mode);
    s->step();
    return db.changes() > 0;
}

bool mark_idp_active(connection& db, std::string_view id) {
    auto s = db.cached(
        "UPDATE tenants SET idp_active = 1 WHERE id = ?1 AND idp_active = 0 AND provisioning = 'idp'");
    s->bind(1, id);
    s->step();
    return db.changes() > 0;
}

std::optional<tenant_row> find(connection& db, std::string_view id) {
    auto s = db.cached(
        "SELECT id, name, seats, created_ms, COALESCE(used, 0), provisioning, idp_active FROM tenants "
        "LEFT JOIN tenant_seats ON tenant_id = id WHERE id = ?1");
    s->bind(1, id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<tenant_row> all(connection& db) {
    auto s = db.cached(
        "SELECT id, name, seats, created_ms, COALESCE(used, 0), provisioning, idp_active FROM tenants "
        "LEFT JOIN tenant_seats ON tenant_id = id ORDER BY id");
    std::vector<tenant_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

}  // namespace dirsync::store::tenant_table
