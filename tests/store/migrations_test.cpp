#include "store/migrations.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/role_table.hpp"
#include "store/sqlite.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::store {
namespace {

std::int64_t scalar(connection& c, const std::string& sql) {
    statement s(c, sql);
    s.step();
    return s.column_int(0);
}

/// A database left by a dirsyncd of schema version `version`, with the users of an earlier release.
void make_old_database(const std::string& path, int version) {
    sqlite_connection c(path, false);
    for (int v = 0; v < version; ++v) c.exec(sqlite_migrations()[static_cast<std::size_t>(v)]);
    c.exec("PRAGMA user_version = " + std::to_string(version));
    c.exec("INSERT INTO tenants (id, name, seats, created_ms) VALUES ('globex', 'Globex', 3, 1)");
    const char* statuses[] = {"active", "provisioned", "orphan", "disabled", "requested", "pending_invite"};
    int seq = 0;
    for (const char* status : statuses) {
        ++seq;
        const std::string n = std::to_string(seq);
        c.exec(
            "INSERT INTO users (seq, tenant_id, id, user_name, user_name_key, active, status, source, "
            "created_ms, modified_ms, version, resource" +
            std::string(version >= 4 ? ", status_since_ms" : "") + ") VALUES (" + n + ", 'globex', 'id" + n +
            "', 'u" + n + "', 'u" + n + "', 1, '" + status + "', 'scim', 10, " + std::to_string(100 + seq) +
            ", 1, '{}'" + (version >= 4 ? ", 10" : "") + ")");
        c.exec("INSERT INTO user_emails (user_seq, tenant_id, value_key) VALUES (" + n + ", 'globex', 'u" +
               n + "@example.com')");
    }
}

TEST(MigrationsTest, Version4RebuildsUsersKeepingEveryRowAndCountsSeats) {
    testing::temp_dir dir;
    const std::string path = dir.file("old.db");
    make_old_database(path, 3);

    database db(path);  // migrates to the current version
    db.read([](connection& c) {
        EXPECT_EQ(scalar(c, "PRAGMA user_version"), database::schema_version());
        EXPECT_EQ(scalar(c, "SELECT count(*) FROM users"), 6);
        // The rebuild must not cascade into the rows that refer to users.
        EXPECT_EQ(scalar(c, "SELECT count(*) FROM user_emails"), 6);
        // Seats: active, provisioned and orphan hold one; an invitation does not.
        EXPECT_EQ(tenant_table::find(c, "globex")->seats_used, 3);
        auto active = user_table::find_by_id(c, "globex", "id1");
        ASSERT_TRUE(active);
        EXPECT_EQ(active->status_since_ms, 101);
        EXPECT_EQ(active->registered_ms, 101);  // an active user has registered
        auto waiting = user_table::find_by_id(c, "globex", "id5");
        ASSERT_TRUE(waiting);
        EXPECT_FALSE(waiting->registered_ms);
        EXPECT_EQ(user_table::longest_waiting(c, "globex")->id, "id5");
        EXPECT_EQ(user_table::find_by_email_key(c, "globex", "u2@example.com").size(), 1u);
    });
    // The new status is accepted, and foreign keys are enforced again after the migration.
    db.write([](connection& c) {
        c.exec("UPDATE users SET status = 'disconnected' WHERE id = 'id4'");
        EXPECT_THROW(
            c.exec("INSERT INTO users (tenant_id, id, user_name, user_name_key, active, status, source, "
                   "created_ms, modified_ms, version, resource, status_since_ms) VALUES ('nope', 'x', "
                   "'x', 'x', 1, 'active', 'scim', 1, 1, 1, '{}', 1)"),
            database_error);
    });
}

TEST(MigrationsTest, Version5IndexesRolesAndNamesOfExistingUsers) {
    testing::temp_dir dir;
    const std::string path = dir.file("old.db");
    make_old_database(path, 4);
    {
        sqlite_connection c(path, false);
        c.exec(
            "UPDATE users SET roles = '[\"admin\",\"engineer\"]', display_name = 'Ada Lovelace' "
            "WHERE id = 'id1'");
        c.exec("UPDATE users SET roles = '[\"engineer\"]' WHERE id = 'id2'");
    }
    database db(path);
    db.read([](connection& c) {
        EXPECT_EQ(scalar(c, "PRAGMA user_version"), database::schema_version());
        EXPECT_EQ(role_table::count_holders(c, "globex", "admin", "active"), 1);
        EXPECT_EQ(role_table::holder_ids(c, "globex", "engineer"), (std::vector<std::string>{"id1", "id2"}));
        user_table::user_filter by_name;
        by_name.name_key = "ada";
        auto found = user_table::query(c, "globex", by_name, 10);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].id, "id1");
    });
    // Deleting a user drops its role index rows with it.
    db.write([](connection& c) { user_table::remove(c, "globex", "id2"); });
    db.read([](connection& c) {
        EXPECT_EQ(role_table::holder_ids(c, "globex", "engineer"), std::vector<std::string>{"id1"});
    });
}

}  // namespace
}  // namespace dirsync::store

namespace dirsync::store {
namespace {

TEST(MigrationsTest, ProcessesOpeningANewStoreAtOnceAllSucceed) {
    // Each round: four processes open the same new file at the same moment; every one must find (or make)
    // the current schema, none may apply a step twice.
    for (int round = 0; round < 5; ++round) {
        testing::temp_dir dir;
        const auto path = dir.file("race.db");
        std::vector<pid_t> children;
        for (int i = 0; i < 4; ++i) {
            const pid_t pid = ::fork();
            ASSERT_GE(pid, 0);
            if (pid == 0) {
                try {
                    database db(path);
                    ::_exit(0);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "open failed: %s\n", e.what());
                    ::_exit(1);
                }
            }
            children.push_back(pid);
        }
        for (auto pid : children) {
            int status = 0;
            ASSERT_EQ(::waitpid(pid, &status, 0), pid);
            EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round;
        }
        sqlite_connection c(path, true);
        EXPECT_EQ(scalar(c, "PRAGMA user_version"), database::schema_version());
    }
}

}  // namespace
}  // namespace dirsync::store
