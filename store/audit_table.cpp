#include "store/audit_table.hpp"

namespace dirsync::store::audit_table {

void append(connection& db, const audit_row& row) {
    auto s = db.cached(
        "INSERT INTO audit_events (tenant_id, time_ms, actor, action, resource_type, resource_id, summary) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s->bind(1, row.tenant_id)
        .bind(2, row.time_ms)
        .bind(3, row.actor)
        .bind(4, row.action)
        .bind(5, row.resource_type)
        .bind(6, row.resource_id)
        .bind(7, row.summary_json);
    s->step();
}

std::vector<audit_row> latest(connection& db, std::string_view tenant, std::int64_t limit) {
    auto s = db.cached(
        "SELECT seq, tenant_id, time_ms, actor, action, resource_type, resource_id, summary FROM "
        "audit_events "
        "WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT ?2");
    s->bind(1, tenant).bind(2, limit);
    std::vector<audit_row> out;
    while (s->step()) {
        audit_row r;
        r.seq = s->column_int(0);
        r.tenant_id = s->column_text(1);
        r.time_ms = s->column_int(2);
        r.actor = s->column_text(3);
        r.action = s->column_text(4);
        r.resource_type = s->column_text(5);
        r.resource_id = s->column_text(6);
        r.summary_json = s->column_text(7);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace dirsync::store::audit_table
