#include "store/relocation_table.hpp"

namespace dirsync::store::relocation_table {

namespace {

constexpr std::string_view columns =
    "seq, user_id, from_tenant, to_tenant, reason, roles, requested_by, requester_user, state, "
    "cancel_reason, "
    "attempts, created_ms, asked_ms, expires_ms, ended_ms, decided_by";

relocation_row read_row(const statement& s) {
    relocation_row r;
    r.seq = s.column_int(0);
    r.user_id = s.column_text(1);
    r.from_tenant = s.column_text(2);
    r.to_tenant = s.column_text(3);
    r.reason = s.column_text(4);
    r.roles_json = s.column_text(5);
    r.requested_by = s.column_text(6);
    r.requester_user = s.column_optional_text(7);
    r.state = s.column_text(8);
    r.cancel_reason = s.column_optional_text(9);
    r.attempts = s.column_int(10);
    r.created_ms = s.column_int(11);
    r.asked_ms = s.column_int(12);
    r.expires_ms = s.column_int(13);
    if (!s.column_is_null(14)) r.ended_ms = s.column_int(14);
    r.decided_by = s.column_optional_text(15);
    return r;
}

std::string select(std::string_view rest) {
    return "SELECT " + std::string(columns) + " FROM relocations " + std::string(rest);
}

}  // namespace

std::int64_t insert(connection& db, const relocation_row& row) {
    auto s = db.cached(
        "INSERT INTO relocations (user_id, from_tenant, to_tenant, reason, roles, requested_by, "
        "requester_user, "
        "state, attempts, created_ms, asked_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'requested', "
        "1, "
        "?8, ?8, ?9) RETURNING seq");
    s->bind(1, row.user_id).bind(2, row.from_tenant).bind(3, row.to_tenant).bind(4, row.reason);
    s->bind(5, row.roles_json).bind(6, row.requested_by).bind(7, row.requester_user);
    s->bind(8, row.created_ms).bind(9, row.expires_ms);
    s->step();
    return s->column_int(0);
}

std::optional<relocation_row> find(connection& db, std::int64_t seq) {
    auto s = db.cached(select("WHERE seq = ?1"));
    s->bind(1, seq);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::optional<relocation_row> find_open(connection& db, std::string_view from_tenant,
                                        std::string_view user_id, std::int64_t now_ms) {
    auto s = db.cached(select(
        "WHERE from_tenant = ?1 AND user_id = ?2 AND state = 'requested' AND expires_ms > ?3 LIMIT 1"));
    s->bind(1, from_tenant).bind(2, user_id).bind(3, now_ms);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<relocation_row> list(connection& db, std::string_view tenant, std::string_view state,
                                 std::int64_t before_seq, std::int64_t limit) {
    auto s = db.cached(
        select("WHERE (?1 = '' OR from_tenant = ?1 OR to_tenant = ?1) AND (?2 = '' OR state = ?2) AND "
               "(?3 = 0 OR seq < ?3) ORDER BY seq DESC LIMIT ?4"));
    s->bind(1, tenant).bind(2, state).bind(3, before_seq).bind(4, limit);
    std::vector<relocation_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void record_attempt(connection& db, std::int64_t seq, std::int64_t asked_ms) {
    auto s = db.cached("UPDATE relocations SET attempts = attempts + 1, asked_ms = ?2 WHERE seq = ?1");
    s->bind(1, seq).bind(2, asked_ms);
    s->step();
}

bool end(connection& db, std::int64_t seq, std::string_view state,
         std::optional<std::string_view> cancel_reason, std::optional<std::string_view> decided_by,
         std::int64_t ended_ms) {
    auto s = db.cached(
        "UPDATE relocations SET state = ?2, cancel_reason = ?3, decided_by = ?4, ended_ms = ?5 "
        "WHERE seq = ?1 AND state = 'requested'");
    s->bind(1, seq).bind(2, state);
    if (cancel_reason)
        s->bind(3, *cancel_reason);
    else
        s->bind_null(3);
    if (decided_by)
        s->bind(4, *decided_by);
    else
        s->bind_null(4);
    s->bind(5, ended_ms);
    s->step();
    return db.changes() > 0;
}

}  // namespace dirsync::store::relocation_table
