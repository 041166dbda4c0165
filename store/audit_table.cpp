#include "store/audit_table.hpp"

#include "store/dialect.hpp"

namespace dirsync::store::audit_table {

void append(connection& db, const audit_row& row) {
    auto s = db.cached(
        "INSERT INTO audit_events (tenant_id, time_ms, actor, action, resource_type, resource_id, summary, "
        "acting_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s->bind(1, row.tenant_id)
        .bind(2, row.time_ms)
        .bind(3, row.actor)
        .bind(4, row.action)
        .bind(5, row.resource_type)
        .bind(6, row.resource_id)
        .bind(7, row.summary_json)
        .bind(8, row.acting_user);
    s->step();
}

std::vector<audit_row> latest(connection& db, std::string_view tenant, std::int64_t limit) {
    return query(db, tenant, {}, limit);
}

std::vector<audit_row> query(connection& db, std::string_view tenant, const audit_filter& filter,
                             std::int64_t limit) {
    // One statement text per combination of conditions (at most 64), so each is prepared once and cached.
    std::string sql =
        "SELECT seq, tenant_id, time_ms, actor, action, resource_type, resource_id, summary, acting_user "
        "FROM audit_events WHERE tenant_id = ?1";
    if (filter.resource_id) sql += " AND resource_id = ?2";
    // By actor: the events of both indexes, (tenant, actor) and (tenant, acting_user), drive the query
    // unless a resource filter does.
    if (filter.actor && filter.resource_id)
        sql += " AND (actor = ?3 OR acting_user = ?3)";
    else if (filter.actor)
        sql =
            "SELECT seq, tenant_id, time_ms, actor, action, resource_type, resource_id, summary, acting_user "
            "FROM audit_events WHERE " +
            dialect::not_indexed(db.engine(), "tenant_id") +
            " = ?1 AND seq IN (SELECT seq FROM audit_events WHERE "
            "tenant_id = "
            "?1 AND actor = ?3 UNION ALL SELECT seq FROM audit_events WHERE tenant_id = ?1 AND acting_user = "
            "?3)";
    if (filter.action) {
        if (filter.action->ends_with('.'))
            sql += " AND substr(action, 1, length(?4)) = ?4";
        else
            sql += " AND action = ?4";
    }
    if (filter.since_ms) sql += " AND time_ms >= ?5";
    if (filter.until_ms) sql += " AND time_ms < ?6";
    if (filter.before_seq) sql += " AND seq < ?7";
    sql += " ORDER BY seq DESC LIMIT ?8";
    auto s = db.cached(sql);
    s->bind(1, tenant);
    if (filter.resource_id) s->bind(2, *filter.resource_id);
    if (filter.actor) s->bind(3, *filter.actor);
    if (filter.action) s->bind(4, *filter.action);
    if (filter.since_ms) s->bind(5, *filter.since_ms);
    if (filter.until_ms) s->bind(6, *filter.until_ms);
    if (filter.before_seq) s->bind(7, *filter.before_seq);
    s->bind(8, limit);
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
        r.acting_user = s->column_optional_text(8);
        out.push_back(std::move(r));
    }
    return out;
}

std::int64_t copy_history(connection& db, std::string_view from, std::string_view to,
                          std::string_view resource_id) {
    auto s = db.cached(
        "INSERT INTO audit_events (tenant_id, time_ms, actor, acting_user, action, resource_type, "
        "resource_id, "
        "summary) SELECT ?2, time_ms, actor, acting_user, action, resource_type, resource_id, summary "
        "FROM audit_events WHERE tenant_id = ?1 AND resource_id = ?3 ORDER BY seq");
    s->bind(1, from).bind(2, to).bind(3, resource_id);
    s->step();
    return db.changes();
}

}  // namespace dirsync::store::audit_table
