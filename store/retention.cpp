#include "store/retention.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dirsync::store::retention {

namespace {

std::vector<std::string> distinct(connection& db, const char* sql) {
    std::vector<std::string> out;
    statement s(db, sql);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

/// Deletes, oldest first, at most `limit` rows of `table` whose `key_column` is `key`, beyond the newest
/// `keep_newest` of them (by `id_column`), that also meet `condition` (SQL, or "TRUE"). Returns how many
/// went.
std::size_t delete_beyond_newest(connection& db, std::string_view table, std::string_view id_column,
                                 std::string_view key_column, const std::string& key,
                                 std::string_view condition, std::size_t keep_newest, std::size_t limit) {
    const std::string t(table), id(id_column), k(key_column);
    std::int64_t last_kept = 0;  // the newest id that goes: the one just past the kept ones
    {
        statement s(db, "SELECT " + id + " FROM " + t + " WHERE " + k + " = ?1 ORDER BY " + id +
                            " DESC LIMIT 1 OFFSET ?2");
        s.bind(1, key);
        s.bind(2, static_cast<std::int64_t>(keep_newest));
        if (!s.step()) return 0;
        last_kept = s.column_int(0);
    }
    statement s(db, "DELETE FROM " + t + " WHERE " + id + " IN (SELECT " + id + " FROM " + t + " WHERE " + k +
                        " = ?1 AND " + id + " <= ?2 AND (" + std::string(condition) + ") ORDER BY " + id +
                        " LIMIT ?3)");
    s.bind(1, key);
    s.bind(2, last_kept);
    s.bind(3, static_cast<std::int64_t>(limit));
    s.step();
    return static_cast<std::size_t>(db.changes());
}

/// Runs `delete_sql`, whose ?1 is the cutoff time and ?2 the most rows to delete; returns how many went.
std::size_t delete_older(connection& db, const std::string& delete_sql, std::int64_t cutoff_ms,
                         std::size_t limit) {
    statement s(db, delete_sql);
    s.bind(1, cutoff_ms);
    s.bind(2, static_cast<std::int64_t>(limit));
    s.step();
    return static_cast<std::size_t>(db.changes());
}

}  // namespace

std::size_t prune_sync_runs(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest,
                            std::size_t limit) {
    static constexpr const char* prunable =
        "status <> 'running' AND NOT (status = 'blocked' AND released_by IS NULL)";
    std::size_t deleted =
        delete_older(db,
                     std::string("DELETE FROM sync_runs WHERE id IN (SELECT id FROM sync_runs WHERE ") +
                         prunable + " AND ended_ms < ?1 ORDER BY id LIMIT ?2)",
                     cutoff_ms, limit);
    for (const auto& source : distinct(db, "SELECT DISTINCT source FROM sync_runs")) {
        if (deleted >= limit) break;
        deleted += delete_beyond_newest(db, "sync_runs", "id", "source", source, prunable, keep_newest,
                                        limit - deleted);
    }
    return deleted;
}

std::size_t prune_audit(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest, std::size_t limit) {
    // Among the oldest `limit` events (the rowid order, so the work is bounded even when none is old).
    std::size_t deleted = delete_older(
        db,
        "DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_events ORDER BY seq LIMIT ?2) "
        "AND time_ms < ?1",
        cutoff_ms, limit);
    for (const auto& tenant : distinct(db, "SELECT id FROM tenants")) {
        if (deleted >= limit) break;
        deleted += delete_beyond_newest(db, "audit_events", "seq", "tenant_id", tenant, "TRUE", keep_newest,
                                        limit - deleted);
    }
    return deleted;
}

std::size_t prune_delivered_notifications(connection& db, std::int64_t cutoff_ms, std::size_t limit) {
    return delete_older(
        db,
        "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'delivered' AND "
        "done_ms < ?1 ORDER BY seq LIMIT ?2)",
        cutoff_ms, limit);
}

}  // namespace dirsync::store::retention
