#include "daemon/retention_worker.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/clock.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::daemon {
namespace {

using namespace std::chrono_literals;

std::int64_t count(store::database& db, const std::string& sql) {
    return db.read([&](store::connection& c) {
        store::statement s(c, sql);
        s.step();
        return s.column_int(0);
    });
}

class RetentionTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "r.db")};
    const std::int64_t now_ms_ = common::to_epoch_ms(common::now());
    const std::int64_t day_ms_ = 24 * 3600 * 1000;

    void run(const std::string& source, std::int64_t ended_ms, const char* status = "ok",
             const char* released_by = nullptr) {
        db_.write([&](store::connection& c) {
            store::statement s(
                c,
                "INSERT INTO sync_runs (source, tenant_id, trigger, mode, started_ms, ended_ms, status, "
                "released_by) VALUES (?1, 'acme', 'schedule', 'full', ?2, ?3, ?4, ?5)");
            s.bind(1, source).bind(2, ended_ms - 1000).bind(4, status);
            if (std::string(status) != "running") s.bind(3, ended_ms);
            if (released_by) s.bind(5, released_by);
            s.step();
        });
    }
    void audit(const std::string& tenant, std::int64_t time_ms, int n) {
        db_.write([&](store::connection& c) {
            for (int i = 0; i < n; ++i) {
                store::statement s(
                    c,
                    "INSERT INTO audit_events (tenant_id, time_ms, actor, action, resource_type, "
                    "resource_id, summary) VALUES (?1, ?2, 'system:x', 'user.create', 'User', 'u', '{}')");
                s.bind(1, tenant).bind(2, time_ms);
                s.step();
            }
        });
    }
    void message(const char* state, std::int64_t done_ms, int n) {
        db_.write([&](store::connection& c) {
            for (int i = 0; i < n; ++i) {
                store::statement s(
                    c,
                    "INSERT INTO outbox (tenant_id, event, channel, body, idempotency_key, state, "
                    "next_attempt_ms, created_ms, done_ms) VALUES ('acme', 'e', 'webhook', '{}', ?1, ?2, "
                    "0, ?3, ?3)");
                s.bind(1, std::string(state) + std::to_string(done_ms) + "-" + std::to_string(i))
                    .bind(2, state);
                s.bind(3, done_ms);
                s.step();
            }
        });
    }
};

TEST_F(RetentionTest, PrunesByAgeAndCountKeepingWhatIsStillWork) {
    db_.write([](store::connection& c) {
        c.exec(
            "INSERT INTO tenants (id, name, created_ms) VALUES ('acme', 'Acme', 1), ('globex', 'Globex', 1)");
    });
    for (int i = 0; i < 30; ++i) run("old", now_ms_ - 200 * day_ms_ + i);
    run("old", now_ms_ - 150 * day_ms_, "blocked");                   // nobody released it: kept
    run("old", now_ms_ - 149 * day_ms_, "blocked", "admin:1234");     // released: history like any other
    run("old", now_ms_, "running");                                   // in progress: kept
    for (int i = 0; i < 15; ++i) run("busy", now_ms_ - day_ms_ + i);  // recent, over the count
    audit("acme", now_ms_ - 400 * day_ms_, 1200);                     // more than two batches of old events
    audit("acme", now_ms_ - day_ms_, 5);
    audit("globex", now_ms_ - day_ms_, 30);  // recent, over the count
    message("delivered", now_ms_ - 40 * day_ms_, 3);
    message("delivered", now_ms_ - day_ms_, 2);
    message("failed", now_ms_ - 40 * day_ms_, 1);   // an admin may still retry it
    message("pending", now_ms_ - 40 * day_ms_, 1);  // still to send

    config::retention_settings s;
    s.sync_runs_max_age = 90 * 24h;
    s.sync_runs_max_count = 10;
    s.audit_max_age = 180 * 24h;
    s.audit_max_count = 10;
    s.notifications_max_age = 30 * 24h;
    retention_worker worker(db_, s);
    const auto pruned = worker.prune_now();

    EXPECT_EQ(count(db_, "SELECT count(*) FROM sync_runs WHERE source = 'old'"), 2);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM sync_runs WHERE source = 'old' AND status = 'blocked'"), 1);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM sync_runs WHERE source = 'old' AND status = 'running'"), 1);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM sync_runs WHERE source = 'busy'"), 10);
    EXPECT_EQ(count(db_, "SELECT min(ended_ms) FROM sync_runs WHERE source = 'busy'"), now_ms_ - day_ms_ + 5);
    EXPECT_EQ(pruned.sync_runs, 31u + 5u);

    EXPECT_EQ(count(db_, "SELECT count(*) FROM audit_events WHERE tenant_id = 'acme'"), 5);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM audit_events WHERE tenant_id = 'globex'"), 10);
    EXPECT_EQ(pruned.audit_events, 1200u + 20u);

    EXPECT_EQ(count(db_, "SELECT count(*) FROM outbox WHERE state = 'delivered'"), 2);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM outbox"), 4);
    EXPECT_EQ(pruned.notifications, 3u);

    // A second pass finds nothing more.
    const auto again = worker.prune_now();
    EXPECT_EQ(again.sync_runs + again.audit_events + again.notifications, 0u);
}

TEST_F(RetentionTest, EachBatchIsAShortWriteOfItsOwn) {
    db_.write([](store::connection& c) {
        c.exec("INSERT INTO tenants (id, name, created_ms) VALUES ('acme', 'A', 1)");
    });
    audit("acme", now_ms_ - 400 * day_ms_, 2600);
    std::vector<std::int64_t> rows;
    db_.set_commit_observer([&](const store::database::commit_stats& c) { rows.push_back(c.rows); });
    retention_worker(db_, config::retention_settings{}).prune_now();
    // 2600 events go in batches of at most 500 rows, each committed alone.
    ASSERT_GE(rows.size(), 6u);
    for (auto n : rows) EXPECT_LE(n, static_cast<std::int64_t>(retention_worker::batch_rows));
    EXPECT_EQ(count(db_, "SELECT count(*) FROM audit_events"), 0);
}

}  // namespace
}  // namespace dirsync::daemon
