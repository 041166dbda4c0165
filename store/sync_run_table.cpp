#include "store/sync_run_table.hpp"

#include <string>

#include "store/dialect.hpp"

namespace dirsync::store::sync_run_table {

namespace {

constexpr std::string_view run_columns =
    "id, source, tenant_id, trigger, mode, dry_run, started_ms, ended_ms, status, counts, blocked_reason, "
    "errors, released_by, released_ms, holder, plan IS NOT NULL";

std::optional<std::int64_t> optional_int(const statement& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return s.column_int(col);
}

void bind_optional(statement& s, int index, const std::optional<std::int64_t>& v) {
    if (v)
        s.bind(index, *v);
    else
        s.bind_null(index);
}

run_row read_run(const statement& s) {
    run_row r;
    r.id = s.column_int(0);
    r.source = s.column_text(1);
    r.tenant_id = s.column_text(2);
    r.trigger = s.column_text(3);
    r.mode = s.column_text(4);
    r.dry_run = s.column_int(5) != 0;
    r.started_ms = s.column_int(6);
    r.ended_ms = optional_int(s, 7);
    r.status = s.column_text(8);
    r.counts_json = s.column_text(9);
    r.blocked_reason = s.column_optional_text(10);
    r.errors_json = s.column_text(11);
    r.released_by = s.column_optional_text(12);
    r.released_ms = optional_int(s, 13);
    r.holder = s.column_optional_text(14);
    r.has_plan = s.column_int(15) != 0;
    return r;
}

std::string select_runs(std::string_view rest) {
    std::string sql = "SELECT ";
    sql += run_columns;
    sql += " FROM sync_runs ";
    sql += rest;
    return sql;
}

std::optional<run_row> one_run(connection& db, const std::string& sql, std::string_view source) {
    auto s = db.cached(sql);
    s->bind(1, source);
    if (!s->step()) return std::nullopt;
    return read_run(*s);
}

}  // namespace

std::int64_t insert(connection& db, const run_row& row) {
    auto s = db.cached(
        "INSERT INTO sync_runs (source, tenant_id, trigger, mode, dry_run, started_ms, status, holder) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s->bind(1, row.source)
        .bind(2, row.tenant_id)
        .bind(3, row.trigger)
        .bind(4, row.mode)
        .bind(5, std::int64_t{row.dry_run ? 1 : 0})
        .bind(6, row.started_ms)
        .bind(7, row.status)
        .bind(8, row.holder);
    s->step();
    return db.last_insert_rowid();
}

bool finish(connection& db, const run_row& row, const std::optional<std::string>& plan_json) {
    auto s = db.cached(
        "UPDATE sync_runs SET status = ?2, ended_ms = ?3, counts = ?4, blocked_reason = ?5, errors = ?6, "
        "plan = ?7 WHERE id = ?1");
    s->bind(1, row.id).bind(2, row.status);
    bind_optional(*s, 3, row.ended_ms);
    s->bind(4, row.counts_json).bind(5, row.blocked_reason).bind(6, row.errors_json).bind(7, plan_json);
    s->step();
    return db.changes() > 0;
}

std::optional<std::string> plan_of(connection& db, std::int64_t id) {
    auto s = db.cached("SELECT plan FROM sync_runs WHERE id = ?1");
    s->bind(1, id);
    if (!s->step()) return std::nullopt;
    return s->column_optional_text(0);
}

std::optional<run_row> find(connection& db, std::int64_t id) {
    static const std::string sql = select_runs("WHERE id = ?1");
    auto s = db.cached(sql);
    s->bind(1, id);
    if (!s->step()) return std::nullopt;
    return read_run(*s);
}

std::vector<run_row> latest(connection& db, std::optional<std::string_view> source, std::int64_t limit) {
    static const std::string all = select_runs("ORDER BY id DESC LIMIT ?1");
    static const std::string of_source = select_runs("WHERE source = ?2 ORDER BY id DESC LIMIT ?1");
    auto s = db.cached(source ? of_source : all);
    s->bind(1, limit);
    if (source) s->bind(2, *source);
    std::vector<run_row> out;
    while (s->step()) out.push_back(read_run(*s));
    return out;
}

std::optional<run_row> previous(connection& db, std::string_view source, std::int64_t id) {
    static const std::string sql = select_runs("WHERE source = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1");
    auto s = db.cached(sql);
    s->bind(1, source).bind(2, id);
    if (!s->step()) return std::nullopt;
    return read_run(*s);
}

void remove(connection& db, std::int64_t id) {
    auto s = db.cached("DELETE FROM sync_runs WHERE id = ?1");
    s->bind(1, id);
    s->step();
}

std::optional<run_row> latest_blocked(connection& db, std::string_view source) {
    static const std::string sql =
        select_runs("WHERE source = ?1 AND status = 'blocked' AND dry_run = 0 ORDER BY id DESC LIMIT 1");
    return one_run(db, sql, source);
}

std::optional<run_row> latest_released(connection& db, std::string_view source) {
    static const std::string sql =
        select_runs("WHERE source = ?1 AND released_by IS NOT NULL ORDER BY id DESC LIMIT 1");
    return one_run(db, sql, source);
}

bool finished_after(connection& db, std::string_view source, std::int64_t id) {
    auto s = db.cached(
        "SELECT 1 FROM sync_runs WHERE source = ?1 AND id > ?2 AND dry_run = 0 AND status IN ('ok', "
        "'blocked') "
        "LIMIT 1");
    s->bind(1, source).bind(2, id);
    return s->step();
}

std::int64_t orphaned_since(connection& db, std::string_view source, std::string_view trigger,
                            std::int64_t since_ms) {
    // The newest runs first by the (source, id) index; started_ms grows with id.
    auto s =
        db.cached("SELECT COALESCE(SUM(" + dialect::json_integer_member(db.engine(), "counts", "orphaned") +
                  "), 0) FROM sync_runs WHERE source = ?1 AND trigger = ?2 AND dry_run = 0 AND "
                  "started_ms >= ?3");
    s->bind(1, source).bind(2, trigger).bind(3, since_ms);
    s->step();
    return s->column_int(0);
}

void set_released(connection& db, std::int64_t id, std::string_view by, std::int64_t when_ms) {
    auto s = db.cached("UPDATE sync_runs SET released_by = ?2, released_ms = ?3 WHERE id = ?1");
    s->bind(1, id).bind(2, by).bind(3, when_ms);
    s->step();
}

std::vector<run_row> running(connection& db) {
    static const std::string sql = select_runs("WHERE status = 'running' ORDER BY id");
    auto s = db.cached(sql);
    std::vector<run_row> out;
    while (s->step()) out.push_back(read_run(*s));
    return out;
}

bool fail_if_running(connection& db, std::int64_t id, std::int64_t when_ms, std::string_view errors_json) {
    auto s = db.cached(
        "UPDATE sync_runs SET status = 'failed', ended_ms = ?2, errors = ?3 WHERE id = ?1 AND status = "
        "'running'");
    s->bind(1, id).bind(2, when_ms).bind(3, errors_json);
    s->step();
    return db.changes() > 0;
}

std::optional<lease_row> find_lease(connection& db, std::string_view source) {
    auto s = db.cached("SELECT source, holder, run_id, expires_ms FROM sync_leases WHERE source = ?1");
    s->bind(1, source);
    if (!s->step()) return std::nullopt;
    return lease_row{s->column_text(0), s->column_text(1), s->column_int(2), s->column_int(3)};
}

void put_lease(connection& db, const lease_row& row) {
    auto s = db.cached(
        "INSERT INTO sync_leases (source, holder, run_id, expires_ms) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (source) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, "
        "expires_ms = excluded.expires_ms");
    s->bind(1, row.source).bind(2, row.holder).bind(3, row.run_id).bind(4, row.expires_ms);
    s->step();
}

bool renew_lease(connection& db, std::string_view source, std::string_view holder, std::int64_t run_id,
                 std::int64_t expires_ms) {
    auto s =
        db.cached("UPDATE sync_leases SET expires_ms = ?4 WHERE source = ?1 AND holder = ?2 AND run_id = ?3");
    s->bind(1, source).bind(2, holder).bind(3, run_id).bind(4, expires_ms);
    s->step();
    return db.changes() > 0;
}

void drop_lease(connection& db, std::int64_t run_id) {
    auto s = db.cached("DELETE FROM sync_leases WHERE run_id = ?1");
    s->bind(1, run_id);
    s->step();
}

std::optional<state_row> find_state(connection& db, std::string_view source) {
    auto s = db.cached("SELECT source, tenant_id, last_full_ms, state FROM sync_state WHERE source = ?1");
    s->bind(1, source);
    if (!s->step()) return std::nullopt;
    return state_row{s->column_text(0), s->column_text(1), optional_int(*s, 2), s->column_text(3)};
}

void put_state(connection& db, const state_row& row) {
    auto s = db.cached(
        "INSERT INTO sync_state (source, tenant_id, last_full_ms, state) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (source) DO UPDATE SET tenant_id = excluded.tenant_id, last_full_ms = "
        "excluded.last_full_ms, "
        "state = excluded.state");
    s->bind(1, row.source).bind(2, row.tenant_id);
    bind_optional(*s, 3, row.last_full_ms);
    s->bind(4, row.state_json);
    s->step();
}

}  // namespace dirsync::store::sync_run_table
