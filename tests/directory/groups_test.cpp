// Groups and memberships through the directory, on a real SQLite file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "directory/directory.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::directory {
namespace {

using json = nlohmann::json;

class GroupsTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "d.db")};
    tenant_directory dir{db_};
    actor who{"scim-token", "0123abcd"};

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", std::nullopt}});
    }

    std::string make_user(const std::string& tenant, const std::string& name) {
        user_write w;
        w.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", name}};
        auto u = dir.create_user(who, tenant, std::move(w));
        EXPECT_TRUE(u) << u.error().message;
        return u ? u->id : std::string();
    }

    static json resource(const std::string& display_name) {
        return json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                    {"displayName", display_name}};
    }

    static std::vector<member_ref> refs(const std::vector<std::string>& ids) {
        std::vector<member_ref> out;
        for (const auto& id : ids) out.push_back(member_ref{id, std::nullopt, std::nullopt});
        return out;
    }

    result<group> create(const std::string& tenant, const std::string& name,
                         std::vector<member_ref> members = {}) {
        group_write w;
        w.resource = resource(name);
        w.members = std::move(members);
        return dir.create_group(who, tenant, std::move(w));
    }

    std::string group_id(const std::string& tenant, const std::string& name,
                         std::vector<member_ref> members = {}) {
        auto g = create(tenant, name, std::move(members));
        EXPECT_TRUE(g) << g.error().message;
        return g ? g->id : std::string();
    }

    /// Applies member steps (and keeps the resource) to a group.
    result<group> steps(const std::string& tenant, const std::string& id, std::vector<member_step> s,
                        std::optional<std::int64_t> expected = std::nullopt) {
        return dir.modify_group(
            who, tenant, id,
            [&](const group& current) -> result<group_change> {
                return group_change{current.resource, std::move(s)};
            },
            expected, true);
    }

    std::vector<std::string> member_ids(const std::string& tenant, const std::string& id) {
        auto g = dir.get_group(tenant, id);
        EXPECT_TRUE(g);
        std::vector<std::string> out;
        if (g)
            for (const auto& m : *g->members) out.push_back(m.id);
        std::sort(out.begin(), out.end());
        return out;
    }

    static std::vector<std::string> sorted(std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    }
};

TEST_F(GroupsTest, CreateWithMembersStoresThemApartFromTheResource) {
    auto a = make_user("acme", "alice");
    auto b = make_user("acme", "bob");
    std::vector<member_ref> m = refs({a, b});
    m[0].display = "Alice A.";
    m[1].type = member_type::user;
    auto g = create("acme", "Admins", std::move(m));
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->id.size(), 36u);
    EXPECT_EQ(g->version, 1);
    EXPECT_EQ(g->display_name, "Admins");
    EXPECT_FALSE(g->resource.contains("members"));
    ASSERT_TRUE(g->members);
    EXPECT_EQ(g->members->size(), 2u);

    auto got = dir.get_group("acme", g->id);
    ASSERT_TRUE(got);
    ASSERT_TRUE(got->members);
    for (const auto& mem : *got->members) {
        EXPECT_EQ(mem.type, member_type::user);
        EXPECT_EQ(mem.display, mem.id == a ? "alice" : "bob");  // their userNames: the sent one is not kept
    }
    auto bare = dir.get_group("acme", g->id, false);
    ASSERT_TRUE(bare);
    EXPECT_FALSE(bare->members);  // not read at all

    auto log = dir.audit_log("acme", 1);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].action, "group.create");
    EXPECT_EQ(log[0].resource_type, "Group");
    EXPECT_EQ(log[0].summary["members"]["added"], 2);
}

TEST_F(GroupsTest, DisplayNameIsRequiredButNotUnique) {
    EXPECT_EQ(create("acme", "").error().code, error_code::invalid_value);
    group_write w;
    w.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}};
    EXPECT_EQ(dir.create_group(who, "acme", w).error().code, error_code::invalid_value);
    w.resource = resource("X");
    w.resource["members"] = json::array();
    EXPECT_EQ(dir.create_group(who, "acme", w).error().code, error_code::invalid_value);
    EXPECT_EQ(create("nowhere", "X").error().code, error_code::unknown_tenant);

    group_id("acme", "Sales");
    group_id("acme", "SALES");
    EXPECT_EQ(dir.find_groups("acme", group_index::display_name, "sales").size(), 2u);
    EXPECT_TRUE(dir.find_groups("globex", group_index::display_name, "sales").empty());
    EXPECT_EQ(dir.count_groups("acme"), 2);
}

TEST_F(GroupsTest, UnknownOrForeignMembersAreRefusedAndNothingIsStored) {
    auto a = make_user("acme", "alice");
    auto foreign = make_user("globex", "mallory");
    auto foreign_group = group_id("globex", "Theirs");
    for (const auto& bad : {std::string("no-such-id"), foreign, foreign_group}) {
        auto g = create("acme", "Admins", refs({a, bad}));
        ASSERT_FALSE(g) << bad;
        EXPECT_EQ(g.error().code, error_code::invalid_value);
        EXPECT_NE(g.error().message.find(bad), std::string::npos) << g.error().message;
    }
    EXPECT_EQ(dir.count_groups("acme"), 0);

    auto id = group_id("acme", "Admins", refs({a}));
    auto before = dir.get_group("acme", id);
    auto r = steps("acme", id, {member_step::add(refs({foreign}))});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, error_code::invalid_value);
    EXPECT_EQ(dir.get_group("acme", id)->version, before->version);
    EXPECT_EQ(member_ids("acme", id), std::vector<std::string>{a});

    std::vector<member_ref> typed = refs({a});
    typed[0].type = member_type::group;  // a is a user
    EXPECT_EQ(steps("acme", id, {member_step::add(typed)}).error().code, error_code::invalid_value);
}

TEST_F(GroupsTest, AddRemoveReplaceWriteOnlyWhatChanged) {
    auto a = make_user("acme", "a");
    auto b = make_user("acme", "b");
    auto c = make_user("acme", "c");
    auto id = group_id("acme", "G", refs({a}));

    auto g = steps("acme", id, {member_step::add(refs({b, c}))});
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->version, 2);
    EXPECT_EQ(g->members->size(), 3u);
    auto log = dir.audit_log("acme", 1);
    EXPECT_EQ(log[0].action, "group.members");
    EXPECT_EQ(log[0].summary["added"], 2);
    EXPECT_EQ(log[0].summary["removed"], 0);
    EXPECT_EQ(sorted(log[0].summary["added_ids"].get<std::vector<std::string>>()), sorted({b, c}));

    // Re-adding, and removing someone absent, change nothing: no version, no event.
    auto same = steps("acme", id, {member_step::add(refs({a, b})), member_step::remove(refs({"absent"}))});
    ASSERT_TRUE(same);
    EXPECT_EQ(same->version, 2);
    EXPECT_EQ(dir.audit_log("acme", 10).size(), 5u);  // 3 user.create, group.create, group.members

    // Entra: remove a value list removes only those.
    g = steps("acme", id, {member_step::remove(refs({b}))});
    ASSERT_TRUE(g);
    EXPECT_EQ(g->version, 3);
    EXPECT_EQ(member_ids("acme", id), sorted({a, c}));
    EXPECT_EQ(dir.audit_log("acme", 1)[0].summary["removed_ids"], json::array({b}));

    // Okta: remove + add in one change.
    g = steps("acme", id, {member_step::remove(refs({a})), member_step::add(refs({b}))});
    ASSERT_TRUE(g);
    EXPECT_EQ(member_ids("acme", id), sorted({b, c}));

    // Replace the set: only the difference is written.
    g = steps("acme", id, {member_step::remove_all(), member_step::add(refs({c, a}))});
    ASSERT_TRUE(g);
    EXPECT_EQ(member_ids("acme", id), sorted({a, c}));
    auto ev = dir.audit_log("acme", 1)[0];
    EXPECT_EQ(ev.summary["added"], 1);
    EXPECT_EQ(ev.summary["removed"], 1);

    g = steps("acme", id, {member_step::remove_all()});
    ASSERT_TRUE(g);
    EXPECT_TRUE(g->members->empty());
}

TEST_F(GroupsTest, MembersAreNamedAsTheyAreNamedNow) {
    auto a = make_user("acme", "a");
    auto inner = group_id("acme", "Inner");
    std::vector<member_ref> m = refs({a, inner});
    m[0].display = "Alice";  // what a writer sends is not kept
    auto id = group_id("acme", "G", m);
    const auto display_of = [&](const std::string& member) {
        const auto g = dir.get_group("acme", id);
        for (const auto& mem : *g->members)
            if (mem.id == member) return mem.display;
        return std::optional<std::string>();
    };
    EXPECT_EQ(display_of(a), "a");
    EXPECT_EQ(display_of(inner), "Inner");
    m[0].display = "Alicia";
    auto g = steps("acme", id, {member_step::add(m)});
    ASSERT_TRUE(g);
    EXPECT_EQ(g->version, 1);  // re-adding with another display changes nothing

    ASSERT_TRUE(dir.modify_user(who, "acme", a, [](const user& u) -> result<user_write> {
        user_write w;
        w.resource = u.resource;
        w.resource["displayName"] = "Ann Lee";
        return w;
    }));
    ASSERT_TRUE(dir.modify_group(who, "acme", inner, [](const group&) -> result<group_change> {
        return group_change{resource("Core"), {}};
    }));
    EXPECT_EQ(display_of(a), "Ann Lee");
    EXPECT_EQ(display_of(inner), "Core");
}

TEST_F(GroupsTest, RemoveMatchingSeesTheEarlierSteps) {
    auto a = make_user("acme", "a");
    auto b = make_user("acme", "b");
    auto inner = group_id("acme", "Inner");
    auto id = group_id("acme", "G", refs({a, inner}));
    auto g = steps("acme", id,
                   {member_step::add(refs({b})), member_step::remove_matching([](const group_member& m) {
                        return m.type == member_type::user;
                    })});
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(member_ids("acme", id), std::vector<std::string>{inner});
}

TEST_F(GroupsTest, ResourceAndMembersChangeTogetherOrNotAtAll) {
    auto a = make_user("acme", "a");
    auto b = make_user("acme", "b");
    auto id = group_id("acme", "G", refs({a}));
    // A bad resource after good member steps: nothing is written.
    auto r = dir.modify_group(who, "acme", id, [&](const group&) -> result<group_change> {
        return group_change{json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}},
                            {member_step::add(refs({b}))}};
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(member_ids("acme", id), std::vector<std::string>{a});
    // A good resource with a bad member: nothing is written either.
    r = dir.modify_group(who, "acme", id, [&](const group&) -> result<group_change> {
        return group_change{resource("Renamed"), {member_step::add(refs({b, "ghost"}))}};
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(dir.get_group("acme", id)->display_name, "G");
    EXPECT_EQ(member_ids("acme", id), std::vector<std::string>{a});
    // Both at once: one version, two events.
    r = dir.modify_group(who, "acme", id, [&](const group&) -> result<group_change> {
        return group_change{resource("Renamed"), {member_step::add(refs({b}))}};
    });
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->version, 2);
    EXPECT_EQ(r->display_name, "Renamed");
    auto log = dir.audit_log("acme", 2);
    EXPECT_EQ(log[0].action, "group.members");
    EXPECT_EQ(log[1].action, "group.update");
    EXPECT_EQ(log[1].summary["changed"], json::array({"displayName"}));
    // Stale expected version.
    EXPECT_EQ(steps("acme", id, {member_step::remove_all()}, 1).error().code,
              error_code::precondition_failed);
}

TEST_F(GroupsTest, NestedGroupsWithoutCycles) {
    auto u = make_user("acme", "u");
    auto inner = group_id("acme", "Inner", refs({u}));
    auto outer = group_id("acme", "Outer", refs({inner}));
    auto top = group_id("acme", "Top", refs({outer}));
    auto g = dir.get_group("acme", outer);
    ASSERT_EQ(g->members->size(), 1u);
    EXPECT_EQ(g->members->at(0).type, member_type::group);

    EXPECT_EQ(steps("acme", inner, {member_step::add(refs({inner}))}).error().code,
              error_code::invalid_value);
    auto cycle = steps("acme", inner, {member_step::add(refs({top}))});
    ASSERT_FALSE(cycle);
    EXPECT_NE(cycle.error().message.find("cycle"), std::string::npos);
    // Replacing Inner's set with Outer (which contains Inner) is a cycle too.
    EXPECT_FALSE(steps("acme", inner, {member_step::remove_all(), member_step::add(refs({outer}))}));

    auto usr = dir.get_user("acme", u);
    ASSERT_TRUE(usr);
    ASSERT_TRUE(usr->groups);
    ASSERT_EQ(usr->groups->size(), 3u);
    EXPECT_EQ(usr->groups->at(0).id, inner);
    EXPECT_TRUE(usr->groups->at(0).direct);
    EXPECT_EQ(usr->groups->at(0).display_name, "Inner");
    EXPECT_FALSE(usr->groups->at(1).direct);
    EXPECT_FALSE(usr->groups->at(2).direct);
}

TEST_F(GroupsTest, UserReadsCarryTheirGroups) {
    auto a = make_user("acme", "a");
    auto b = make_user("acme", "b");
    auto id = group_id("acme", "G", refs({a}));
    auto listed = dir.list_users("acme", 0, 10);
    ASSERT_EQ(listed.size(), 2u);
    ASSERT_TRUE(listed[0].groups && listed[1].groups);
    EXPECT_EQ(listed[0].groups->size(), 1u);
    EXPECT_EQ(listed[0].groups->at(0).id, id);
    EXPECT_TRUE(listed[1].groups->empty());
    auto found = dir.find_users("acme", user_index::user_name, "A");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].groups->size(), 1u);
    int scanned = 0;
    dir.scan_users("acme", [&](user&& u) {
        EXPECT_TRUE(u.groups);
        scanned += static_cast<int>(u.groups->size());
        return true;
    });
    EXPECT_EQ(scanned, 1);
    auto modified = dir.modify_user(who, "acme", b, [&](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.resource["displayName"] = "B";
        return w;
    });
    ASSERT_TRUE(modified);
    EXPECT_TRUE(modified->groups && modified->groups->empty());
}

TEST_F(GroupsTest, DeletingAUserRemovesItsMemberships) {
    auto a = make_user("acme", "a");
    auto b = make_user("acme", "b");
    auto g1 = group_id("acme", "G1", refs({a, b}));
    auto g2 = group_id("acme", "G2", refs({a}));
    ASSERT_TRUE(dir.delete_user(who, "acme", a));
    EXPECT_EQ(member_ids("acme", g1), std::vector<std::string>{b});
    EXPECT_TRUE(member_ids("acme", g2).empty());
    EXPECT_EQ(dir.get_group("acme", g1)->version, 2);  // a membership change is a change of the group
    auto log = dir.audit_log("acme", 3);
    EXPECT_EQ(log[0].action, "user.delete");
    EXPECT_EQ(log[1].action, "group.members");
    EXPECT_EQ(log[1].summary["removed_ids"], json::array({a}));
    // A new user can't reuse the dangling membership.
    auto again = make_user("acme", "a");
    EXPECT_EQ(member_ids("acme", g1), std::vector<std::string>{b});
    (void)again;
}

TEST_F(GroupsTest, DeletingAGroupRemovesItsMembersAndItsMemberships) {
    auto u = make_user("acme", "u");
    auto inner = group_id("acme", "Inner", refs({u}));
    auto outer = group_id("acme", "Outer", refs({inner, u}));
    ASSERT_TRUE(dir.delete_group(who, "acme", inner));
    EXPECT_EQ(dir.get_group("acme", inner).error().code, error_code::not_found);
    EXPECT_EQ(member_ids("acme", outer), std::vector<std::string>{u});
    auto usr = dir.get_user("acme", u);
    ASSERT_EQ(usr->groups->size(), 1u);
    EXPECT_EQ(usr->groups->at(0).id, outer);
    auto log = dir.audit_log("acme", 2);
    EXPECT_EQ(log[0].action, "group.delete");
    EXPECT_EQ(log[0].summary["before"]["members"], 1);
    EXPECT_EQ(log[1].action, "group.members");
    EXPECT_EQ(log[1].resource_id, outer);
    EXPECT_EQ(dir.delete_group(who, "acme", inner).error().code, error_code::not_found);
    EXPECT_EQ(dir.delete_group(who, "acme", outer, 7).error().code, error_code::precondition_failed);
}

TEST_F(GroupsTest, TenantsAreIsolated) {
    auto a = make_user("acme", "a");
    auto id = group_id("acme", "G", refs({a}));
    EXPECT_EQ(dir.get_group("globex", id).error().code, error_code::not_found);
    EXPECT_EQ(steps("globex", id, {member_step::remove_all()}).error().code, error_code::not_found);
    EXPECT_EQ(dir.delete_group(who, "globex", id).error().code, error_code::not_found);
    EXPECT_TRUE(dir.find_groups("globex", group_index::id, id).empty());
    EXPECT_TRUE(dir.list_groups("globex", 0, 10).empty());
    EXPECT_EQ(dir.count_groups("globex"), 0);
    // A globex group can't take acme's user, nor acme's group.
    auto theirs = group_id("globex", "Theirs");
    EXPECT_EQ(steps("globex", theirs, {member_step::add(refs({a}))}).error().code, error_code::invalid_value);
    EXPECT_EQ(steps("globex", theirs, {member_step::add(refs({id}))}).error().code,
              error_code::invalid_value);
    EXPECT_EQ(member_ids("acme", id), std::vector<std::string>{a});
    EXPECT_TRUE(dir.audit_log("globex", 10).size() == 1u);  // just its group.create
}

TEST_F(GroupsTest, ListFindAndScanSkipMembersOnRequest) {
    auto a = make_user("acme", "a");
    group_id("acme", "One", refs({a}));
    auto two = group_id("acme", "Two");
    dir.scan_groups(
        "acme",
        [](group&& g) {
            EXPECT_FALSE(g.members);
            return true;
        },
        false);
    auto page = dir.list_groups("acme", 1, 5, true);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].id, two);
    ASSERT_TRUE(page[0].members);
    EXPECT_TRUE(page[0].members->empty());
    auto found = dir.find_groups("acme", group_index::display_name, "ONE", false);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_FALSE(found[0].members);
}

}  // namespace
}  // namespace dirsync::directory
