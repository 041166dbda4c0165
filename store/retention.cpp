#include "store/retention.hpp"

#include <string>
#include <vector>

namespace dirsync::store::retention {

namespace {

std::vector<std::string> distinct(connection& db, const char* sql) {
    std::vector<std::string> out;
    statement s(db, sql);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

/// The first id past the newest `keep_newest` rows of `key` that `sql` selects (rows with an id at or below
/// it go), or 0 when there are no more rows than that.
std::int64_t boundary(connection& db, const std::string& sql, const std::string& key,
                      std::size_t keep_newest) {
    statement s(db, sql);
    s.bind(1, key);
    s.bind(2, static_cast<std::int64_t>(keep_newest));
    return s.step() ? s.column_int(0) : 0;
}

}  // namespace

std::size_t prune_sync_runs(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest,
                            std::size_t limit) {
    static constexpr const char* prunable =
        "status <> 'running' AND NOT (status = 'blocked' AND released_by IS NULL)";
    std::size_t deleted = 0;
    {
        statement s(db, std::string("DELETE FROM sync_runs WHERE id IN (SELECT id FROM sync_runs WHERE ") +
                            prunable + " AND ended_ms < ?1 ORDER BY id LIMIT ?2)");
        s.bind(1, cutoff_ms);
        s.bind(2, static_cast<std::int64_t>(limit));
        s.step();
        deleted += static_cast<std::size_t>(db.changes());
    }
    for (const auto& source : distinct(db, "SELECT DISTINCT source FROM sync_runs")) {
        if (deleted >= limit) break;
        const auto last_kept =
            boundary(db, "SELECT id FROM sync_runs WHERE source = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2",
                     source, keep_newest);
        if (last_kept == 0) continue;
        statement s(
            db, std::string("DELETE FROM sync_runs WHERE id IN (SELECT id FROM sync_runs WHERE source = ?1 "
                            "AND id <= ?2 AND ") +
                    prunable + " ORDER BY id LIMIT ?3)");
        s.bind(1, source);
        s.bind(2, last_kept);
        s.bind(3, static_cast<std::int64_t>(limit - deleted));
        s.step();
        deleted += static_cast<std::size_t>(db.changes());
    }
    return deleted;
}

std::size_t prune_audit(connection& db, std::int64_t cutoff_ms, std::size_t keep_newest, std::size_t limit) {
    std::size_t deleted = 0;
    {
        // The oldest `limit` events (the rowid order, so the work is bounded even when none is old).
        statement s(
            db,
            "DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_events ORDER BY seq LIMIT ?2) "
            "AND time_ms < ?1");
        s.bind(1, cutoff_ms);
        s.bind(2, static_cast<std::int64_t>(limit));
        s.step();
        deleted += static_cast<std::size_t>(db.changes());
    }
    for (const auto& tenant : distinct(db, "SELECT id FROM tenants")) {
        if (deleted >= limit) break;
        const auto last_kept = boundary(
            db, "SELECT seq FROM audit_events WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2",
            tenant, keep_newest);
        if (last_kept == 0) continue;
        statement s(
            db,
            "DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_events WHERE tenant_id = ?1 AND "
            "seq <= ?2 ORDER BY seq LIMIT ?3)");
        s.bind(1, tenant);
        s.bind(2, last_kept);
        s.bind(3, static_cast<std::int64_t>(limit - deleted));
        s.step();
        deleted += static_cast<std::size_t>(db.changes());
    }
    return deleted;
}

std::size_t prune_delivered_notifications(connection& db, std::int64_t cutoff_ms, std::size_t limit) {
    statement s(
        db,
        "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'delivered' AND done_ms < ?1 "
        "ORDER BY seq LIMIT ?2)");
    s.bind(1, cutoff_ms);
    s.bind(2, static_cast<std::int64_t>(limit));
    s.step();
    return static_cast<std::size_t>(db.changes());
}

}  // namespace dirsync::store::retention
