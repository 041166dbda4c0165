#include "store/outbox_table.hpp"

#include <algorithm>

namespace dirsync::store::outbox_table {

namespace {

constexpr std::string_view columns =
    "seq, tenant_id, event, channel, recipient, subject, body, holds_code, idempotency_key, state, attempts, "
    "next_attempt_ms, last_error, created_ms, done_ms";

message_row read_row(const statement& s) {
    message_row r;
    r.seq = s.column_int(0);
    r.tenant_id = s.column_text(1);
    r.event = s.column_text(2);
    r.channel = s.column_text(3);
    r.recipient = s.column_optional_text(4);
    r.subject = s.column_optional_text(5);
    r.body = s.column_text(6);
    r.holds_code = s.column_int(7) != 0;
    r.idempotency_key = s.column_text(8);
    r.state = s.column_text(9);
    r.attempts = s.column_int(10);
    r.next_attempt_ms = s.column_int(11);
    r.last_error = s.column_optional_text(12);
    r.created_ms = s.column_int(13);
    if (!s.column_is_null(14)) r.done_ms = s.column_int(14);
    return r;
}

std::string select(std::string_view rest) {
    return "SELECT " + std::string(columns) + " FROM outbox " + std::string(rest);
}

}  // namespace

void insert(connection& db, const message_row& row) {
    auto s = db.cached(
        "INSERT INTO outbox (tenant_id, event, channel, recipient, subject, body, holds_code, "
        "idempotency_key, state, attempts, next_attempt_ms, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, 'pending', 0, ?9, ?10)");
    s->bind(1, row.tenant_id).bind(2, row.event).bind(3, row.channel).bind(4, row.recipient);
    s->bind(5, row.subject).bind(6, row.body).bind(7, std::int64_t{row.holds_code ? 1 : 0});
    s->bind(8, row.idempotency_key).bind(9, row.next_attempt_ms).bind(10, row.created_ms);
    s->step();
}

std::optional<message_row> find(connection& db, std::int64_t seq) {
    auto s = db.cached(select("WHERE seq = ?1"));
    s->bind(1, seq);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<message_row> claim_due(connection& db, std::int64_t now_ms, std::int64_t limit,
                                   std::int64_t lease_ms) {
    auto s = db.cached(
        "UPDATE outbox SET next_attempt_ms = ?3 WHERE seq IN (SELECT seq FROM outbox WHERE state = 'pending' "
        "AND next_attempt_ms <= ?1 ORDER BY next_attempt_ms, seq LIMIT ?2) RETURNING " +
        std::string(columns));
    s->bind(1, now_ms).bind(2, limit).bind(3, now_ms + lease_ms);
    std::vector<message_row> out;
    while (s->step()) out.push_back(read_row(*s));
    std::sort(out.begin(), out.end(),
              [](const message_row& a, const message_row& b) { return a.seq < b.seq; });
    return out;
}

void release_claim(connection& db, std::int64_t seq, std::int64_t now_ms) {
    auto s = db.cached("UPDATE outbox SET next_attempt_ms = ?2 WHERE seq = ?1 AND state = 'pending'");
    s->bind(1, seq).bind(2, now_ms);
    s->step();
}

std::optional<std::int64_t> next_due_ms(connection& db) {
    auto s = db.cached("SELECT min(next_attempt_ms) FROM outbox WHERE state = 'pending'");
    if (!s->step() || s->column_is_null(0)) return std::nullopt;
    return s->column_int(0);
}

void mark_delivered(connection& db, std::int64_t seq, std::int64_t attempts, std::int64_t now_ms) {
    auto s = db.cached(
        "UPDATE outbox SET state = 'delivered', attempts = ?2, done_ms = ?3, last_error = NULL, "
        "body = CASE WHEN holds_code <> 0 THEN '' ELSE body END WHERE seq = ?1");
    s->bind(1, seq).bind(2, attempts).bind(3, now_ms);
    s->step();
}

void mark_attempt_failed(connection& db, std::int64_t seq, std::int64_t attempts, std::string_view error,
                         std::optional<std::int64_t> next_attempt_ms, std::int64_t now_ms) {
    if (next_attempt_ms) {
        auto s = db.cached(
            "UPDATE outbox SET attempts = ?2, last_error = ?3, next_attempt_ms = ?4 WHERE seq = ?1");
        s->bind(1, seq).bind(2, attempts).bind(3, error).bind(4, *next_attempt_ms);
        s->step();
        return;
    }
    auto s = db.cached(
        "UPDATE outbox SET state = 'failed', attempts = ?2, last_error = ?3, done_ms = ?4 WHERE seq = ?1");
    s->bind(1, seq).bind(2, attempts).bind(3, error).bind(4, now_ms);
    s->step();
}

bool retry(connection& db, std::string_view tenant, std::int64_t seq, std::int64_t now_ms) {
    auto s = db.cached(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = ?3, done_ms = NULL "
        "WHERE seq = ?2 AND (?1 = '' OR tenant_id = ?1) AND state = 'failed'");
    s->bind(1, tenant).bind(2, seq).bind(3, now_ms);
    s->step();
    return db.changes() > 0;
}

std::vector<message_row> list(connection& db, std::string_view tenant, std::string_view state,
                              std::int64_t before_seq, std::int64_t limit) {
    auto s = db.cached(
        select("WHERE (?1 = '' OR tenant_id = ?1) AND (?2 = '' OR state = ?2) AND (?3 = 0 OR seq < ?3) "
               "ORDER BY seq DESC LIMIT ?4"));
    s->bind(1, tenant).bind(2, state).bind(3, before_seq).bind(4, limit);
    std::vector<message_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

state_counts counts(connection& db, std::string_view tenant) {
    auto s = db.cached("SELECT state, count(*) FROM outbox WHERE (?1 = '' OR tenant_id = ?1) GROUP BY state");
    s->bind(1, tenant);
    state_counts out;
    while (s->step()) {
        const auto state = s->column_text(0);
        const auto n = s->column_int(1);
        if (state == "pending")
            out.pending = n;
        else if (state == "delivered")
            out.delivered = n;
        else if (state == "failed")
            out.failed = n;
    }
    return out;
}

}  // namespace dirsync::store::outbox_table
