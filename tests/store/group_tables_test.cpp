#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/group_member_table.hpp"
#include "store/group_table.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::store {
namespace {

namespace groups = group_table;
namespace members = group_member_table;

class GroupTablesTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    database db_{testing::test_store(dir_, "g.db")};

    void SetUp() override {
        db_.write([](connection& c) {
            tenant_table::upsert(c, {"acme", "Acme", std::nullopt, 1});
            tenant_table::upsert(c, {"globex", "Globex", std::nullopt, 1});
        });
    }

    std::string add_user(const std::string& tenant, const std::string& id) {
        db_.write([&](connection& c) {
            user_row u;
            u.tenant_id = tenant;
            u.id = id;
            u.user_name = id;
            u.user_name_key = id;
            u.status = "provisioned";
            u.source = "scim";
            u.resource_json = "{}";
            user_table::insert(c, u);
        });
        return id;
    }

    std::int64_t add_group(const std::string& tenant, const std::string& id, const std::string& name) {
        return db_.write([&](connection& c) {
            group_row g;
            g.tenant_id = tenant;
            g.id = id;
            g.display_name = name;
            g.display_name_key = name;
            g.resource_json = "{}";
            groups::insert(c, g);
            return g.seq;
        });
    }

    void put(const std::string& tenant, std::int64_t seq, const std::string& id,
             const std::string& type = "User", std::optional<std::string> display = std::nullopt) {
        db_.write([&](connection& c) { members::add(c, tenant, seq, member_row{id, type, display}); });
    }

    std::vector<std::string> member_ids(const std::string& tenant, std::int64_t seq) {
        std::vector<std::string> out;
        db_.read([&](connection& c) {
            for (auto& m : members::list(c, tenant, seq)) out.push_back(m.member_id);
        });
        return out;
    }

    std::vector<std::string> plan(const std::string& sql) {
        std::vector<std::string> out;
        db_.read([&](connection& c) {
            statement s(c, "EXPLAIN QUERY PLAN " + sql);
            while (s.step()) out.push_back(s.column_text(3));
        });
        return out;
    }
};

TEST_F(GroupTablesTest, FindTargetIsScopedToTheTenant) {
    add_user("acme", "u1");
    auto g = add_group("acme", "g1", "Admins");
    add_user("globex", "u2");
    db_.read([&](connection& c) {
        auto u = members::find_target(c, "acme", "u1");
        ASSERT_TRUE(u);
        EXPECT_EQ(u->type, "User");
        auto grp = members::find_target(c, "acme", "g1");
        ASSERT_TRUE(grp);
        EXPECT_EQ(grp->type, "Group");
        EXPECT_EQ(grp->group_seq, g);
        EXPECT_FALSE(members::find_target(c, "acme", "u2"));  // another tenant's user
        EXPECT_FALSE(members::find_target(c, "globex", "u1"));
        EXPECT_FALSE(members::find_target(c, "acme", "nope"));
    });
}

TEST_F(GroupTablesTest, AddRemoveAndReplaceTouchOnlyNamedRows) {
    auto g = add_group("acme", "g1", "Admins");
    db_.write([&](connection& c) {
        EXPECT_TRUE(members::add(c, "acme", g, {"a", "User", std::nullopt}));
        EXPECT_FALSE(members::add(c, "acme", g, {"a", "User", std::nullopt}));
        EXPECT_TRUE(members::add(c, "acme", g, {"b", "User", std::nullopt}));
        EXPECT_TRUE(members::add(c, "acme", g, {"c", "User", std::nullopt}));
    });
    db_.read([&](connection& c) {
        auto all = members::list(c, "acme", g);
        ASSERT_EQ(all.size(), 3u);
        EXPECT_EQ(all[0].member_id, "a");
        EXPECT_FALSE(all[0].display);
        EXPECT_EQ(members::count(c, "acme", g), 3);
        EXPECT_TRUE(members::list(c, "globex", g).empty());  // the tenant is part of every query
    });
    db_.write([&](connection& c) {
        EXPECT_TRUE(members::remove(c, "acme", g, "b"));
        EXPECT_FALSE(members::remove(c, "acme", g, "b"));
        EXPECT_FALSE(members::remove(c, "globex", g, "a"));
        const std::vector<std::string> keep = {"c", "zz"};
        EXPECT_EQ(members::remove_all_except(c, "acme", g, keep), std::vector<std::string>{"a"});
    });
    EXPECT_EQ(member_ids("acme", g), std::vector<std::string>{"c"});
    db_.write([&](connection& c) {
        EXPECT_EQ(members::remove_all_except(c, "acme", g, {}), std::vector<std::string>{"c"});
    });
    EXPECT_TRUE(member_ids("acme", g).empty());
}

TEST_F(GroupTablesTest, MembersAreListedWithTheirCurrentNames) {
    add_user("acme", "u1");  // userName "u1", no displayName
    add_user("acme", "u2");
    auto sub = add_group("acme", "g2", "Sub");
    auto g = add_group("acme", "g1", "Admins");
    put("acme", g, "u1", "User", "stale");
    put("acme", g, "u2");
    put("acme", g, "g2", "Group");
    put("acme", g, "gone", "User", "kept");  // no such row: the stored display is the fallback
    db_.write([&](connection& c) {
        statement s(c, "UPDATE users SET display_name = 'Ann Lee' WHERE tenant_id = 'acme' AND id = 'u2'");
        s.step();
        statement r(c, "UPDATE groups SET display_name = 'Subgroup' WHERE tenant_id = 'acme' AND seq = ?1");
        r.bind(1, sub);
        r.step();
    });
    db_.read([&](connection& c) {
        const auto all = members::list(c, "acme", g);
        ASSERT_EQ(all.size(), 4u);
        EXPECT_EQ(all[0].member_id, "g2");
        EXPECT_EQ(all[0].display, "Subgroup");
        EXPECT_EQ(all[1].display, "kept");
        EXPECT_EQ(all[2].display, "u1");
        EXPECT_EQ(all[3].display, "Ann Lee");
        std::vector<std::optional<std::string>> scanned;
        members::scan(c, "acme", g, [&](member_row&& m) {
            scanned.push_back(m.display);
            return true;
        });
        EXPECT_EQ(scanned, (std::vector<std::optional<std::string>>{"Subgroup", "kept", "u1", "Ann Lee"}));
        // A reader comparing ids (a sync run) skips the names: the same members in the same order.
        std::vector<std::string> ids;
        members::scan(
            c, "acme", g,
            [&](member_row&& m) {
                EXPECT_FALSE(m.display) << m.member_id;
                ids.push_back(m.member_id + "/" + m.member_type);
                return true;
            },
            members::member_display::omitted);
        std::vector<std::string> expected;
        for (const auto& m : all) expected.push_back(m.member_id + "/" + m.member_type);
        EXPECT_EQ(ids, expected);
    });
}

TEST_F(GroupTablesTest, OddIdsSurviveTheJsonList) {
    auto g = add_group("acme", "g1", "Admins");
    const std::vector<std::string> ids = {"quote\"d", "back\\slash", "ctl\x01", "ünï"};
    for (const auto& id : ids) put("acme", g, id);
    db_.write([&](connection& c) { EXPECT_TRUE(members::remove_all_except(c, "acme", g, ids).empty()); });
    EXPECT_EQ(member_ids("acme", g).size(), 4u);
    db_.read([&](connection& c) { EXPECT_EQ(members::memberships_of(c, "acme", ids).size(), 4u); });
}

TEST_F(GroupTablesTest, DeletingAGroupCascadesToItsMemberRows) {
    auto g = add_group("acme", "g1", "Admins");
    put("acme", g, "u1");
    put("acme", g, "u2");
    db_.write([&](connection& c) {
        EXPECT_FALSE(groups::remove(c, "globex", "g1"));
        EXPECT_TRUE(groups::remove(c, "acme", "g1"));
    });
    db_.read([&](connection& c) {
        statement s(c, "SELECT count(*) FROM group_members");
        s.step();
        EXPECT_EQ(s.column_int(0), 0);
    });
}

TEST_F(GroupTablesTest, MembershipsDirectIndirectAndCycles) {
    auto a = add_group("acme", "ga", "A");
    auto b = add_group("acme", "gb", "B");
    auto c = add_group("acme", "gc", "C");
    put("acme", c, "u1");           // u1 in C
    put("acme", b, "gc", "Group");  // C in B
    put("acme", a, "gb", "Group");  // B in A
    put("acme", a, "u1");           // u1 in A directly too
    put("acme", b, "u2");
    db_.read([&](connection& db) {
        EXPECT_TRUE(members::nests(db, "acme", a, c));
        EXPECT_TRUE(members::nests(db, "acme", a, a));
        EXPECT_FALSE(members::nests(db, "acme", c, a));
        EXPECT_FALSE(members::nests(db, "globex", a, c));
        const std::vector<std::string> ids = {"u1", "u2", "nobody"};
        auto ms = members::memberships_of(db, "acme", ids);
        ASSERT_EQ(ms.size(), 5u);
        // u1: A (direct), B (through C), C (direct); u2: A (through B), B (direct).
        EXPECT_EQ(ms[0].member_id, "u1");
        EXPECT_EQ(ms[0].group_id, "ga");
        EXPECT_TRUE(ms[0].direct);
        EXPECT_EQ(ms[1].group_id, "gb");
        EXPECT_FALSE(ms[1].direct);
        EXPECT_EQ(ms[2].group_id, "gc");
        EXPECT_TRUE(ms[2].direct);
        EXPECT_EQ(ms[3].member_id, "u2");
        EXPECT_EQ(ms[3].group_id, "ga");
        EXPECT_FALSE(ms[3].direct);
        EXPECT_EQ(ms[4].group_display_name, "B");
        EXPECT_TRUE(ms[4].direct);
        EXPECT_TRUE(members::memberships_of(db, "globex", ids).empty());
    });
    // A cycle (the directory refuses to make one) does not make the queries loop.
    put("acme", c, "ga", "Group");
    db_.read([&](connection& db) {
        const std::vector<std::string> ids = {"u1"};
        EXPECT_EQ(members::memberships_of(db, "acme", ids).size(), 3u);
        EXPECT_TRUE(members::nests(db, "acme", c, b));
    });
}

TEST_F(GroupTablesTest, GroupsContainingAndRemoveEverywhere) {
    auto a = add_group("acme", "ga", "A");
    auto b = add_group("acme", "gb", "B");
    auto x = add_group("globex", "gx", "X");
    put("acme", a, "u1");
    put("acme", b, "u1");
    put("globex", x, "u1");  // same id in another tenant (never happens with UUIDs, but must stay apart)
    db_.write([&](connection& c) {
        EXPECT_EQ(members::groups_containing(c, "acme", "u1"), (std::vector<std::string>{"ga", "gb"}));
        EXPECT_EQ(members::remove_everywhere(c, "acme", "u1"), 2);
        EXPECT_TRUE(members::groups_containing(c, "acme", "u1").empty());
        EXPECT_EQ(members::groups_containing(c, "globex", "u1"), std::vector<std::string>{"gx"});
    });
}

TEST_F(GroupTablesTest, DisplayNameIsIndexedNotUnique) {
    add_group("acme", "g1", "admins");
    add_group("acme", "g2", "admins");
    add_group("globex", "g3", "admins");
    db_.read([&](connection& c) {
        EXPECT_EQ(groups::find_by_display_name_key(c, "acme", "admins").size(), 2u);
        EXPECT_EQ(groups::count(c, "acme"), 2);
        EXPECT_EQ(groups::page(c, "acme", 1, 10).size(), 1u);
        EXPECT_FALSE(groups::find_by_id(c, "acme", "g3"));
    });
}

TEST_F(GroupTablesTest, MemberQueriesUseTheirIndexes) {
    if (testing::testing_postgresql()) GTEST_SKIP() << "reads SQLite's query plans";
    auto joined = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += x + "\n";
        return s;
    };
    auto by_member =
        joined(plan("SELECT group_seq FROM group_members WHERE tenant_id = 'acme' AND member_id = 'x'"));
    EXPECT_NE(by_member.find("group_members_by_member"), std::string::npos) << by_member;
    // nests() forces this index (without ANALYZE statistics the planner would walk the whole primary key).
    auto nested = joined(
        plan("SELECT member_id FROM group_members INDEXED BY group_members_nested WHERE group_seq = 1 AND "
             "member_type = 'Group'"));
    EXPECT_NE(nested.find("group_members_nested"), std::string::npos) << nested;
    auto by_name = joined(plan("SELECT id FROM groups WHERE tenant_id = 'acme' AND display_name_key = 'x'"));
    EXPECT_NE(by_name.find("groups_by_display_name"), std::string::npos) << by_name;
}

}  // namespace
}  // namespace dirsync::store
