// The PostgreSQL store against the run's private cluster (tests/support/postgres_cluster.sh): the SQL
// rewriting, migrations started by several processes at once, and the rules of the directory holding across
// two store::database objects on one database — two dirsyncd instances, as far as the server can tell: each
// has its own connections, and nothing but the database is shared.
#include "store/postgresql.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "directory/directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/store_copy.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::store {
namespace {

using json = nlohmann::json;

directory::user_write person(const std::string& user_name) {
    directory::user_write w;
    w.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                      {"userName", user_name},
                      {"active", true}};
    return w;
}

std::int64_t scalar(database& db, const std::string& sql) {
    return db.read([&](connection& c) {
        statement s(c, sql);
        s.step();
        return s.column_int(0);
    });
}

TEST(PostgresqlMigrations, StepsFollowEachOtherToTheCurrentVersion) {
    const auto& steps = postgresql_migrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_EQ(steps[i].version, steps[i - 1].version + 1) << i;
    EXPECT_EQ(steps.back().version, database::schema_version());
}

TEST(PostgresqlSql, ParametersAreRewrittenOutsideLiteralsAndComments) {
    EXPECT_EQ(rewrite_parameters("SELECT ?1, ?2, ?1").text, "SELECT $1, $2, $1");
    EXPECT_EQ(rewrite_parameters("SELECT ?1, ?12").parameters, 12);
    EXPECT_EQ(rewrite_parameters("VALUES (?, ?, ?)").text, "VALUES ($1, $2, $3)");
    EXPECT_EQ(rewrite_parameters("SELECT '?1', 'it''s ?', \"a?\" -- ?3\nFROM t WHERE x = ?2").text,
              "SELECT '?1', 'it''s ?', \"a?\" -- ?3\nFROM t WHERE x = $2");
    EXPECT_EQ(rewrite_parameters("SELECT '?1', 'it''s ?' FROM t WHERE x = ?2").parameters, 2);
}

TEST(PostgresqlStore, ProcessesOpeningANewDatabaseAtOnceAllSucceed) {
    testing::temp_dir dir;
    const auto where = testing::test_store(dir, "new.db");
    std::atomic<int> opened{0};
    std::vector<std::thread> openers;
    for (int i = 0; i < 4; ++i)
        openers.emplace_back([&] {
            database db(where);
            ++opened;
        });
    for (auto& t : openers) t.join();
    EXPECT_EQ(opened, 4);
    database db(where);
    EXPECT_EQ(db.engine(), engine::postgresql);
    EXPECT_EQ(scalar(db, "SELECT max(version) FROM dirsync_schema"), database::schema_version());
    // Migrated once: each step recorded once.
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM dirsync_schema"),
              static_cast<std::int64_t>(postgresql_migrations().size()));
    EXPECT_EQ(scalar(db, "SELECT count(DISTINCT version) FROM dirsync_schema"),
              static_cast<std::int64_t>(postgresql_migrations().size()));
    EXPECT_FALSE(db.readiness_problem(std::chrono::seconds(10)));
}

TEST(PostgresqlStore, ReadinessReportsAStoreItCannotReachAndItsReturn) {
    testing::temp_dir dir;
    auto where = std::get<postgresql_location>(testing::test_store(dir, "ready.db"));
    auto refuse = std::make_shared<std::atomic<bool>>(false);
    where.password = [refuse]() -> std::optional<std::string> {
        if (*refuse) throw std::runtime_error("the credential is gone");
        return std::nullopt;
    };
    database db(where);
    EXPECT_FALSE(db.readiness_problem(std::chrono::seconds(10)));
    // New connections fail from now on: a probe (on a thread of its own, at most one a second) finds it.
    refuse->store(true);
    auto until = [&](bool want_problem) {
        std::optional<std::string> problem;
        for (int i = 0; i < 200; ++i) {
            problem = db.readiness_problem(std::chrono::seconds(10));
            if (problem.has_value() == want_problem) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return problem;
    };
    auto problem = until(true);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("the credential is gone"), std::string::npos) << *problem;
    refuse->store(false);
    EXPECT_FALSE(until(false));
}

TEST(PostgresqlStore, RefusesASchemaNewerThanItKnows) {
    testing::temp_dir dir;
    const auto where = testing::test_store(dir, "newer.db");
    {
        database db(where);
        db.write([](connection& c) {
            c.exec("INSERT INTO dirsync_schema (version) VALUES (" +
                   std::to_string(database::schema_version() + 1) + ")");
        });
    }
    try {
        database db(where);
        FAIL() << "a newer schema was opened";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this dirsyncd knows"), std::string::npos)
            << e.what();
    }
}

TEST(PostgresqlStore, AnUnreachableServerIsTemporarilyUnavailable) {
    postgresql_location nowhere;
    nowhere.parameters = {
        {"host", "127.0.0.1"}, {"port", "1"}, {"dbname", "x"}, {"user", "x"}, {"connect_timeout", "2"}};
    nowhere.description = "postgresql://x@127.0.0.1:1/x";
    try {
        database db(nowhere);
        FAIL() << "opened a database on port 1";
    } catch (const database_unreachable& e) {
        EXPECT_NE(std::string(e.what()).find("postgresql://x@127.0.0.1:1/x"), std::string::npos) << e.what();
        EXPECT_EQ(e.retry_after(), database_unreachable_retry_after);
    }
}

TEST(PostgresqlStore, ConstraintViolationsAreReportedAsSuchAndKeepTheTransaction) {
    testing::temp_dir dir;
    database db(testing::test_store(dir, "c.db"));
    db.write([](connection& c) { c.exec("CREATE TABLE scratch (name TEXT PRIMARY KEY)"); });
    const int kept = db.write([](connection& c) {
        c.exec("INSERT INTO scratch VALUES ('a')");
        {
            savepoint step(c);
            try {
                c.exec("INSERT INTO scratch VALUES ('a')");
                ADD_FAILURE() << "a duplicate key was inserted";
            } catch (const database_error& e) {
                EXPECT_TRUE(e.is_constraint()) << e.what();
            }
        }
        c.exec("INSERT INTO scratch VALUES ('b')");
        return 1;
    });
    EXPECT_EQ(kept, 1);
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM scratch"), 2);
}

TEST(PostgresqlStore, ACommitAfterAnUnhandledFailureIsAnErrorNotASilentRollback) {
    testing::temp_dir dir;
    database db(testing::test_store(dir, "r.db"));
    db.write([](connection& c) { c.exec("CREATE TABLE scratch (name TEXT PRIMARY KEY)"); });
    EXPECT_THROW(db.write([](connection& c) {
        c.exec("INSERT INTO scratch VALUES ('a')");
        try {
            c.exec("INSERT INTO scratch VALUES ('a')");
        } catch (const database_error&) {
            // swallowed without a savepoint: the transaction is aborted
        }
    }),
                 database_error);
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM scratch"), 0);
}

TEST(PostgresqlStore, AScanReadsItsRowsInBatchesThroughACursor) {
    testing::temp_dir dir;
    database db(testing::test_store(dir, "s.db"));
    db.write([](connection& c) {
        c.exec("CREATE TABLE scratch (n BIGINT PRIMARY KEY)");
        c.exec("INSERT INTO scratch SELECT generate_series(1, 2500)");
    });
    // Outside a transaction: the scan opens a read-only one for its cursor and ends it; other statements
    // run between its rows, and a second scan of the same statement declares a cursor of its own.
    db.read([](connection& c) {
        statement s(c, "SELECT n FROM scratch WHERE n > ?1 ORDER BY n", scan_rows);
        for (int run = 0; run < 2; ++run) {
            s.bind(1, std::int64_t{10});
            std::int64_t expected = 11, rows = 0;
            while (s.step()) {
                EXPECT_EQ(s.column_int(0), expected++);
                ++rows;
                if (rows % 700 == 0) {
                    auto between = c.cached("SELECT count(*) FROM scratch");
                    between->step();
                    EXPECT_EQ(between->column_int(0), 2500);
                    // The rows come from this session's cursor, a batch at a time.
                    auto cursors =
                        c.cached("SELECT count(*) FROM pg_cursors WHERE name LIKE 'dirsync_scan_%'");
                    cursors->step();
                    EXPECT_EQ(cursors->column_int(0), 1);
                }
            }
            EXPECT_EQ(rows, 2490);
            s.reset();
            EXPECT_FALSE(c.in_transaction());
        }
        // Left after one row: the transaction ends with the statement.
        {
            statement first(c, "SELECT n FROM scratch ORDER BY n", scan_rows);
            ASSERT_TRUE(first.step());
            EXPECT_EQ(first.column_int(0), 1);
        }
        EXPECT_FALSE(c.in_transaction());
    });
    // Inside a write: the cursor lives in that transaction, whose writes it sees and which goes on.
    db.write([](connection& c) {
        c.exec("INSERT INTO scratch VALUES (5000)");
        statement s(c, "SELECT max(n), count(*) FROM scratch", scan_rows);
        ASSERT_TRUE(s.step());
        EXPECT_EQ(s.column_int(0), 5000);
        EXPECT_EQ(s.column_int(1), 2501);
        EXPECT_FALSE(s.step());
        c.exec("INSERT INTO scratch VALUES (5001)");
    });
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM scratch"), 2502);
}

TEST(PostgresqlStore, StatisticsAreRefreshedAsTheRowsWrittenGrow) {
    testing::temp_dir dir;
    database db(testing::test_store(dir, "stats.db"));
    db.write([](connection& c) { c.exec("CREATE TABLE scratch (name TEXT PRIMARY KEY)"); });
    // A new table has no statistics (reltuples -1) until something analyzes it; the server's autovacuum
    // would wait for its nap.
    EXPECT_EQ(scalar(db, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'scratch'"), -1);
    for (int chunk = 0; chunk < 3; ++chunk)
        db.write([&](connection& c) {
            for (int i = 0; i < 500; ++i)
                c.exec("INSERT INTO scratch VALUES ('" + std::to_string(chunk) + "-" + std::to_string(i) +
                       "')");
        });
    std::int64_t known = -1;
    for (int i = 0; i < 100 && known < 1000; ++i) {
        known = scalar(db, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'scratch'");
        if (known < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GE(known, 1000);
}

TEST(PostgresqlStore, AWriterWhoseConnectionWasCutConnectsAgain) {
    testing::temp_dir dir;
    database db(testing::test_store(dir, "cut.db"));
    db.write([](connection& c) { c.exec("CREATE TABLE scratch (name TEXT PRIMARY KEY)"); });
    // The server ends every other session of this database (a restart, a failover, an administrator).
    database other(testing::test_store(dir, "cut.db"));
    other.write([](connection& c) {
        c.exec(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()");
    });
    // The first write finds its connection gone: 503, nothing kept. The next one reconnects.
    EXPECT_THROW(db.write([](connection& c) { c.exec("INSERT INTO scratch VALUES ('lost')"); }),
                 database_unreachable);
    db.write([](connection& c) { c.exec("INSERT INTO scratch VALUES ('kept')"); });
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM scratch"), 1);
}

/// Two instances on one database: each a store::database and a directory of its own.
class TwoInstances : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    database db_a_{testing::test_store(dir_, "shared.db")};
    database db_b_{testing::test_store(dir_, "shared.db")};
    directory::tenant_directory a_{db_a_};
    directory::tenant_directory b_{db_b_};
    directory::actor who_{"scim-token", "0123abcd"};

    void SetUp() override {
        a_.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 1}});
        b_.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 1}});
    }
};

TEST_F(TwoInstances, ConcurrentCreatesOfOneUserNameMakeExactlyOneUser) {
    for (int round = 0; round < 10; ++round) {
        const std::string name = "storm" + std::to_string(round);
        std::atomic<int> created{0}, conflicts{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < 6; ++i)
            clients.emplace_back([&, i] {
                auto& instance = i % 2 ? a_ : b_;
                auto u = instance.create_user(who_, "acme", person(name));
                if (u)
                    ++created;
                else if (u.error().code == directory::error_code::uniqueness)
                    ++conflicts;
            });
        for (auto& c : clients) c.join();
        EXPECT_EQ(created, 1) << name;
        EXPECT_EQ(conflicts, 5) << name;
    }
    EXPECT_EQ(a_.count_users("acme"), 10);
    EXPECT_EQ(b_.count_users("acme"), 10);
}

TEST_F(TwoInstances, TheLastSeatIsGrantedOnceAndTheOthersWaitInOrder) {
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i)
        clients.emplace_back([&, i] {
            auto& instance = i % 2 ? a_ : b_;
            auto u = instance.create_user(who_, "globex", person("seat" + std::to_string(i)));
            EXPECT_TRUE(u) << u.error().message;
        });
    for (auto& c : clients) c.join();
    // globex has one seat: one user holds it, whichever instance created it; seven wait.
    EXPECT_EQ(a_.usage("globex")->seats_used, 1);
    EXPECT_EQ(b_.usage("globex")->seats_used, 1);
    int seated = 0, waiting = 0;
    for (const auto& u : a_.list_users("globex", 0, 100)) {
        if (u.status == directory::user_status::requested)
            ++waiting;
        else
            ++seated;
    }
    EXPECT_EQ(seated, 1);
    EXPECT_EQ(waiting, 7);
}

TEST_F(TwoInstances, AnOutdatedVersionIsRefusedWhicheverInstanceWrote) {
    auto u = a_.create_user(who_, "acme", person("versioned"));
    ASSERT_TRUE(u);
    auto named = [](std::string display) {
        return [display](const directory::user&) -> directory::result<directory::user_write> {
            auto w = person("versioned");
            w.resource["displayName"] = display;
            return w;
        };
    };
    ASSERT_TRUE(b_.modify_user(who_, "acme", u->id, named("From B"), u->version));
    auto late = a_.modify_user(who_, "acme", u->id, named("From A, late"), u->version);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, directory::error_code::precondition_failed);
    EXPECT_EQ(a_.get_user("acme", u->id)->resource["displayName"], "From B");
}

}  // namespace
}  // namespace dirsync::store

namespace dirsync::store {
namespace {

TEST(CopySqliteToPostgresql, CopiesEveryTableVerifiedAndTheDirectoryReadsTheSame) {
    testing::temp_dir dir;
    const std::string file = dir.file("old.db");
    std::string id, group_id;
    {
        database sqlite(file);
        directory::tenant_directory d(sqlite);
        d.configure_tenants({{"acme", "Acme", 5}, {"globex", "Globex", std::nullopt}});
        directory::actor who{"scim-token", "0123abcd"};
        for (int i = 0; i < 8; ++i) {
            auto w = person("copy" + std::to_string(i));
            w.resource["emails"] = json::array({{{"value", "copy" + std::to_string(i) + "@example.com"}}});
            auto u = d.create_user(who, "acme", w);
            ASSERT_TRUE(u);
            if (i == 0) id = u->id;
        }
        directory::group_write g;
        g.resource =
            json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "Team"}};
        g.members = {directory::member_ref{id, directory::member_type::user, std::nullopt}};
        auto created = d.create_group(who, "acme", g);
        ASSERT_TRUE(created) << created.error().message;
        group_id = created->id;
    }
    const auto target = std::get<postgresql_location>(testing::test_store(dir, "copy-target"));
    std::vector<std::string> reported;
    const auto tables = copy_sqlite_to_postgresql(
        file, target, [&](const std::string& t, std::int64_t) { reported.push_back(t); });
    EXPECT_EQ(reported.size(), tables.size());
    auto rows_of = [&](std::string_view name) {
        for (const auto& t : tables)
            if (t.name == name) return t.rows;
        return std::int64_t{-1};
    };
    EXPECT_EQ(rows_of("tenants"), 2);
    EXPECT_EQ(rows_of("users"), 8);
    EXPECT_EQ(rows_of("user_emails"), 8);
    EXPECT_EQ(rows_of("group_members"), 1);
    EXPECT_GT(rows_of("audit_events"), 8);

    database pg(target);
    directory::tenant_directory d(pg);
    d.configure_tenants({{"acme", "Acme", 5}, {"globex", "Globex", std::nullopt}});
    auto u = d.get_user("acme", id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->user_name, "copy0");
    EXPECT_EQ(d.usage("acme")->seats_used, 5);  // the seat count came along; three users still wait
    auto g = d.get_group("acme", group_id);
    ASSERT_TRUE(g);
    ASSERT_TRUE(g->members);
    EXPECT_EQ(g->members->size(), 1u);
    // New rows continue after the copied ones.
    auto next = d.create_user({"scim-token", "0123abcd"}, "acme", person("after-the-copy"));
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(d.list_users("acme", 0, 100).back().user_name, "after-the-copy");
}

TEST(CopySqliteToPostgresql, RefusesATargetThatHoldsRecordsAndLeavesItAsItWas) {
    testing::temp_dir dir;
    const std::string file = dir.file("old.db");
    {
        database sqlite(file);
        directory::tenant_directory d(sqlite);
        d.configure_tenants({{"acme", "Acme", std::nullopt}});
    }
    const auto target = std::get<postgresql_location>(testing::test_store(dir, "busy-target"));
    {
        database pg(target);
        directory::tenant_directory d(pg);
        d.configure_tenants({{"other", "Other", std::nullopt}});
    }
    try {
        copy_sqlite_to_postgresql(file, target);
        FAIL() << "copied into a database with records";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
    }
    database pg(target);
    EXPECT_EQ(scalar(pg, "SELECT count(*) FROM tenants WHERE id = 'acme'"), 0);
    EXPECT_EQ(scalar(pg, "SELECT count(*) FROM tenants"), 1);
    EXPECT_THROW(copy_sqlite_to_postgresql(dir.file("missing.db"), target), std::runtime_error);
}

}  // namespace
}  // namespace dirsync::store
