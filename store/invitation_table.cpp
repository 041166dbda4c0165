#include "store/invitation_table.hpp"

#include "store/dialect.hpp"

namespace dirsync::store::invitation_table {

namespace {

constexpr std::string_view columns =
    "seq, tenant_id, id, email, email_key, roles, inviter, state, created_ms, sent_ms, expires_ms, sends, "
    "ended_ms";

invitation_row read_row(const statement& s) {
    invitation_row r;
    r.seq = s.column_int(0);
    r.tenant_id = s.column_text(1);
    r.id = s.column_text(2);
    r.email = s.column_text(3);
    r.email_key = s.column_text(4);
    r.roles_json = s.column_text(5);
    r.inviter = s.column_text(6);
    r.state = s.column_text(7);
    r.created_ms = s.column_int(8);
    r.sent_ms = s.column_int(9);
    r.expires_ms = s.column_int(10);
    r.sends = s.column_int(11);
    if (!s.column_is_null(12)) r.ended_ms = s.column_int(12);
    return r;
}

std::string select(std::string_view where) {
    return "SELECT " + std::string(columns) + " FROM invitations WHERE " + std::string(where);
}

}  // namespace

void insert(connection& db, const invitation_row& row) {
    auto s = db.cached(
        "INSERT INTO invitations (tenant_id, id, email, email_key, roles, inviter, state, created_ms, "
        "sent_ms, expires_ms, sends) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    s->bind(1, row.tenant_id).bind(2, row.id).bind(3, row.email).bind(4, row.email_key);
    s->bind(5, row.roles_json).bind(6, row.inviter).bind(7, row.state).bind(8, row.created_ms);
    s->bind(9, row.sent_ms).bind(10, row.expires_ms).bind(11, row.sends);
    s->step();
}

std::optional<invitation_row> find(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached(select("tenant_id = ?1 AND id = ?2"));
    s->bind(1, tenant).bind(2, id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::optional<invitation_row> find_pending_by_email(connection& db, std::string_view tenant,
                                                    std::string_view email_key) {
    auto s =
        db.cached(select("tenant_id = ?1 AND email_key = ?2 AND state = 'pending' ORDER BY seq LIMIT 1"));
    s->bind(1, tenant).bind(2, email_key);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<invitation_row> list(connection& db, std::string_view tenant, list_filter filter,
                                 std::int64_t now_ms, std::int64_t after_seq, std::int64_t limit) {
    std::string where = "tenant_id = ?1 AND seq > ?2";
    switch (filter) {
        case list_filter::open:
        case list_filter::pending:
            where += " AND state = 'pending'";
            if (filter == list_filter::pending) where += " AND expires_ms > ?3";
            break;
        case list_filter::expired:
            where += " AND state = 'pending' AND expires_ms <= ?3";
            break;
        case list_filter::accepted:
            where += " AND state = 'accepted'";
            break;
        case list_filter::revoked:
            where += " AND state = 'revoked'";
            break;
        case list_filter::all:
            break;
    }
    auto s = db.cached(select(where + " AND ?3 = ?3 ORDER BY seq LIMIT ?4"));
    s->bind(1, tenant).bind(2, after_seq).bind(3, now_ms).bind(4, limit);
    std::vector<invitation_row> out;
    while (s->step()) out.push_back(read_row(*s));
    return out;
}

void record_resend(connection& db, std::string_view tenant, std::string_view id, std::int64_t sent_ms,
                   std::int64_t expires_ms) {
    auto s = db.cached(
        "UPDATE invitations SET sent_ms = ?3, expires_ms = ?4, sends = sends + 1 "
        "WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id).bind(3, sent_ms).bind(4, expires_ms);
    s->step();
}

bool end(connection& db, std::string_view tenant, std::string_view id, std::string_view state,
         std::int64_t ended_ms) {
    auto s = db.cached(
        "UPDATE invitations SET state = ?3, ended_ms = ?4 WHERE tenant_id = ?1 AND id = ?2 AND state = "
        "'pending'");
    s->bind(1, tenant).bind(2, id).bind(3, state).bind(4, ended_ms);
    s->step();
    return db.changes() > 0;
}

std::vector<std::string> drop_role(connection& db, std::string_view tenant, std::string_view role) {
    const auto e = db.engine();
    auto s = db.cached(
        "UPDATE invitations SET roles = (SELECT " + dialect::json_array_of(e, "json_values.value") +
        " FROM " + dialect::json_array_values(e, "invitations.roles") +
        " WHERE json_values.value <> ?2) WHERE tenant_id = ?1 AND state = 'pending' AND EXISTS "
        "(SELECT 1 FROM " +
        dialect::json_array_values(e, "invitations.roles") + " WHERE json_values.value = ?2) RETURNING id");
    s->bind(1, tenant).bind(2, role);
    std::vector<std::string> out;
    while (s->step()) out.push_back(s->column_text(0));
    return out;
}

void add_code(connection& db, std::string_view code_hash, std::string_view tenant, std::string_view id,
              std::int64_t issued_ms) {
    auto replace = db.cached(
        "UPDATE invitation_codes SET replaced_ms = ?3 WHERE tenant_id = ?1 AND invitation_id = ?2 AND "
        "replaced_ms IS NULL");
    replace->bind(1, tenant).bind(2, id).bind(3, issued_ms);
    replace->step();
    auto s = db.cached(
        "INSERT INTO invitation_codes (code_hash, tenant_id, invitation_id, issued_ms) VALUES (?1, ?2, ?3, "
        "?4)");
    s->bind(1, code_hash).bind(2, tenant).bind(3, id).bind(4, issued_ms);
    s->step();
}

std::optional<code_row> find_code(connection& db, std::string_view code_hash) {
    auto s = db.cached(
        "SELECT tenant_id, invitation_id, issued_ms, replaced_ms FROM invitation_codes WHERE code_hash = ?1");
    s->bind(1, code_hash);
    if (!s->step()) return std::nullopt;
    code_row r;
    r.tenant_id = s->column_text(0);
    r.invitation_id = s->column_text(1);
    r.issued_ms = s->column_int(2);
    if (!s->column_is_null(3)) r.replaced_ms = s->column_int(3);
    return r;
}

send_window sends_since(connection& db, std::string_view tenant, std::string_view inviter,
                        std::int64_t since_ms) {
    auto s = db.cached(
        "SELECT count(*), coalesce(min(sent_ms), 0) FROM invitation_sends WHERE tenant_id = ?1 AND "
        "inviter = ?2 AND sent_ms >= ?3");
    s->bind(1, tenant).bind(2, inviter).bind(3, since_ms);
    s->step();
    return {s->column_int(0), s->column_int(1)};
}

void add_send(connection& db, std::string_view tenant, std::string_view inviter, std::int64_t sent_ms,
              std::int64_t forget_before_ms) {
    auto forget =
        db.cached("DELETE FROM invitation_sends WHERE tenant_id = ?1 AND inviter = ?2 AND sent_ms < ?3");
    forget->bind(1, tenant).bind(2, inviter).bind(3, forget_before_ms);
    forget->step();
    auto s = db.cached("INSERT INTO invitation_sends (tenant_id, inviter, sent_ms) VALUES (?1, ?2, ?3)");
    s->bind(1, tenant).bind(2, inviter).bind(3, sent_ms);
    s->step();
}

}  // namespace dirsync::store::invitation_table
