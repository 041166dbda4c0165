// Reconcile plans applied through the directory, on a real SQLite file.
#include "sync/apply.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "sync/reconcile.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::sync {
namespace {

using json = nlohmann::json;
using directory::user_status;
using namespace std::chrono_literals;

source_user entry(const std::string& anchor, const std::string& name, json extra = json::object()) {
    source_user u;
    u.anchor = anchor;
    u.dn = "uid=" + name + ",ou=people";
    u.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                      {"userName", name},
                      {"name", {{"givenName", name}, {"familyName", "Example"}}},
                      {"emails", {{{"value", name + "@example.com"}, {"type", "work"}}}}};
    u.resource.update(extra);
    return u;
}

source_group group_entry(const std::string& anchor, const std::string& name, std::vector<std::string> users,
                         std::vector<std::string> groups = {}) {
    source_group g;
    g.anchor = anchor;
    g.dn = "cn=" + name + ",ou=groups";
    g.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
    g.member_user_anchors = std::move(users);
    g.member_group_anchors = std::move(groups);
    return g;
}

class ApplyTest : public ::testing::Test {
  protected:
    testing::temp_dir tmp_;
    store::database db_{testing::test_store(tmp_, "d.db")};
    directory::tenant_directory dir{db_};
    directory::actor scim{"scim-token", "0123abcd"};
    policy rules;
    common::timestamp now = common::from_epoch_ms(1'800'000'000'000);

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"small", "Small", 1}});
        rules.source = "corp";
        rules.tenant = "acme";
    }

    plan plan_full(snapshot s, std::optional<release_allowance> allowance = std::nullopt) {
        auto current = load_current(dir, rules.tenant, rules.source);
        reconcile_input in{rules, current, directory_candidates(dir, rules.tenant), now, allowance};
        in.stored_resources = directory_resources(dir, rules.tenant);
        return reconcile(std::move(s), in);
    }

    apply_result sync_full(snapshot s, apply_options opts = {}) {
        return apply(dir, plan_full(std::move(s)), opts);
    }

    directory::user user_by_anchor(const std::string& anchor) {
        auto b = dir.find_user_by_anchor(rules.tenant, rules.source, anchor);
        EXPECT_TRUE(b) << anchor;
        return b ? *dir.get_user(rules.tenant, b->id) : directory::user{};
    }

    std::string scim_user(const std::string& name, json extra = json::object()) {
        directory::user_write w;
        w.resource = entry("", name, std::move(extra)).resource;
        auto u = dir.create_user(scim, rules.tenant, std::move(w));
        EXPECT_TRUE(u) << u.error().message;
        return u ? u->id : "";
    }

    std::size_t audit_events() { return dir.audit_log(rules.tenant, 1'000'000).size(); }

    static snapshot people(std::vector<source_user> users, std::vector<source_group> groups = {}) {
        snapshot s;
        s.users = std::move(users);
        s.groups = std::move(groups);
        return s;
    }
};

TEST_F(ApplyTest, FirstRunCreatesAndASecondRunWritesNothing) {
    auto make = [] {
        return people({entry("a1", "alice"), entry("b1", "bob"), entry("c1", "carol")},
                      {group_entry("g1", "Staff", {"a1", "b1"}), group_entry("g2", "Empty", {})});
    };
    auto first = sync_full(make());
    EXPECT_EQ(first.counts.created, 3u);
    EXPECT_EQ(first.counts.groups_created, 2u);
    EXPECT_EQ(first.counts.memberships_added, 2u);
    EXPECT_EQ(first.counts.failed, 0u);
    EXPECT_TRUE(first.errors.empty());

    auto alice = user_by_anchor("a1");
    EXPECT_EQ(alice.status, user_status::provisioned);
    EXPECT_EQ(alice.source, "corp");
    ASSERT_TRUE(alice.groups);
    ASSERT_EQ(alice.groups->size(), 1u);
    EXPECT_EQ((*alice.groups)[0].display_name, "Staff");
    auto log = dir.audit_log(rules.tenant, 1);
    EXPECT_EQ(log.at(0).actor, "source:corp");

    const auto events = audit_events();
    auto second_plan = plan_full(make());
    EXPECT_EQ(second_plan.unchanged_users, 3u);
    EXPECT_EQ(second_plan.unchanged_groups, 2u);
    EXPECT_TRUE(second_plan.updates.empty());
    EXPECT_TRUE(second_plan.group_updates.empty());
    auto second = apply(dir, second_plan);
    EXPECT_EQ(second.counts.unchanged, 3u);
    EXPECT_EQ(second.counts.created + second.counts.updated + second.counts.groups_updated, 0u);
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(user_by_anchor("a1").version, alice.version);
}

TEST_F(ApplyTest, RenameUpdatesTheSameRecord) {
    sync_full(people({entry("a1", "alice")}));
    auto before = user_by_anchor("a1");
    auto r = sync_full(people({entry("a1", "alice.liddell", {{"title", "Dr"}})}));
    EXPECT_EQ(r.counts.updated, 1u);
    auto after = user_by_anchor("a1");
    EXPECT_EQ(after.id, before.id);
    EXPECT_EQ(after.user_name, "alice.liddell");
    EXPECT_EQ(after.resource["title"], "Dr");
    EXPECT_EQ(after.version, before.version + 1);
    EXPECT_EQ(dir.count_users(rules.tenant), 1);
}

TEST_F(ApplyTest, OrphanThenBackAgain) {
    sync_full(people({entry("a1", "alice"), entry("b1", "bob")}, {group_entry("g1", "Staff", {"a1", "b1"})}));
    auto gone = sync_full(people({entry("a1", "alice")}, {group_entry("g1", "Staff", {"a1"})}));
    EXPECT_EQ(gone.counts.orphaned, 1u);
    EXPECT_EQ(gone.counts.memberships_removed, 1u);
    auto bob = user_by_anchor("b1");
    EXPECT_EQ(bob.status, user_status::orphan);
    EXPECT_TRUE(bob.active);
    EXPECT_EQ(bob.orphan_since, now);

    // Still gone a day later: nothing more without an orphan policy.
    now += 24h;
    auto still = plan_full(people({entry("a1", "alice")}, {group_entry("g1", "Staff", {"a1"})}));
    EXPECT_TRUE(still.orphans.empty());
    EXPECT_TRUE(still.updates.empty());

    auto back = sync_full(
        people({entry("a1", "alice"), entry("b1", "bob")}, {group_entry("g1", "Staff", {"a1", "b1"})}));
    EXPECT_EQ(back.counts.unorphaned, 1u);
    EXPECT_EQ(back.counts.memberships_added, 1u);
    bob = user_by_anchor("b1");
    EXPECT_EQ(bob.status, user_status::provisioned);
    EXPECT_FALSE(bob.orphan_since);
}

TEST_F(ApplyTest, OrphanPolicyDisablesThenDeletes) {
    rules.orphans.disable_after = std::chrono::milliseconds(7 * 24h);
    rules.orphans.delete_after = std::chrono::milliseconds(30 * 24h);
    sync_full(people({entry("a1", "alice"), entry("b1", "bob")}, {group_entry("g1", "Staff", {"b1"})}));
    sync_full(
        people({entry("a1", "alice")}, {group_entry("g1", "Staff", {"b1"})}));  // the group still lists bob
    EXPECT_EQ(user_by_anchor("b1").status, user_status::orphan);

    now += 7 * 24h;
    auto disabled = sync_full(people({entry("a1", "alice")}, {group_entry("g1", "Staff", {"b1"})}));
    EXPECT_EQ(disabled.counts.disabled, 1u);
    auto bob = user_by_anchor("b1");
    EXPECT_EQ(bob.status, user_status::disabled);
    EXPECT_FALSE(bob.active);
    EXPECT_TRUE(bob.orphan_since);

    now += 23 * 24h;
    auto deleted = sync_full(people({entry("a1", "alice")}, {group_entry("g1", "Staff", {"b1"})}));
    EXPECT_EQ(deleted.counts.deleted, 1u);
    EXPECT_FALSE(dir.find_user_by_anchor(rules.tenant, rules.source, "b1"));
    EXPECT_EQ(dir.count_users(rules.tenant), 1);
}

TEST_F(ApplyTest, BlockedRunCreatesButHoldsBackOrphansAndMemberRemovals) {
    std::vector<source_user> all;
    std::vector<std::string> anchors;
    for (int i = 0; i < 10; ++i) {
        all.push_back(entry("a" + std::to_string(i), "u" + std::to_string(i)));
        anchors.push_back("a" + std::to_string(i));
    }
    sync_full(people(all, {group_entry("g1", "All", anchors)}));
    rules.safety.max_orphan_ratio = 0.10;

    auto p = plan_full(people({all[0], entry("n1", "new")}, {group_entry("g1", "All", {"a0", "n1"})}));
    ASSERT_TRUE(p.blocked);
    EXPECT_EQ(*p.blocked, "would orphan 9 of 10 records (90%), above max_orphan_ratio 10%");
    auto r = apply(dir, p);
    EXPECT_EQ(r.counts.created, 1u);
    EXPECT_EQ(r.counts.orphaned, 0u);
    EXPECT_EQ(r.counts.orphans_planned, 9u);
    EXPECT_EQ(r.counts.memberships_added, 1u);
    EXPECT_EQ(r.counts.memberships_removed, 0u);
    EXPECT_EQ(r.counts.held_back, 9u + 9u);
    EXPECT_EQ(user_by_anchor("a5").status, user_status::provisioned);
    EXPECT_EQ(dir.find_group_by_anchor(rules.tenant, rules.source, "g1")->members.size(), 11u);

    // Released with the orphan count it planned, the next run goes through.
    auto released = plan_full(people({all[0], entry("n1", "new")}, {group_entry("g1", "All", {"a0", "n1"})}),
                              release_allowance{7, 9});
    EXPECT_FALSE(released.blocked);
    auto done = apply(dir, released);
    EXPECT_EQ(done.counts.orphaned, 9u);
    EXPECT_EQ(done.counts.memberships_removed, 9u);
    EXPECT_EQ(user_by_anchor("a5").status, user_status::orphan);
}

TEST_F(ApplyTest, AFailedEntryIsCountedAndTheRestIsWritten) {
    scim_user("bob");  // pushed by SCIM, not adopted without match_existing
    auto r = sync_full(people({entry("a1", "alice"), entry("b1", "bob"), entry("c1", "carol")}));
    EXPECT_EQ(r.counts.created, 2u);
    EXPECT_EQ(r.counts.failed, 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], "uid=bob,ou=people: userName 'bob' is already taken in this tenant");
    EXPECT_EQ(dir.count_users(rules.tenant), 3);
}

TEST_F(ApplyTest, ErrorsAreCappedButAllCounted) {
    std::vector<source_user> users;
    for (int i = 0; i < 5; ++i) {
        scim_user("dup" + std::to_string(i));
        users.push_back(entry("d" + std::to_string(i), "dup" + std::to_string(i)));
    }
    auto r = sync_full(people(users), apply_options{2, 3});
    EXPECT_EQ(r.counts.failed, 5u);
    EXPECT_EQ(r.errors.size(), 3u);
}

TEST_F(ApplyTest, AdoptionTakesOwnershipAndKeepsTheId) {
    rules.match_existing = {match_key::external_id, match_key::user_name};
    auto pushed = scim_user("alice", {{"externalId", "E-1"}});
    auto other = dir.create_user(scim, rules.tenant, [] {
        directory::user_write w;
        w.resource = entry("", "carol").resource;
        w.source = "hr";
        w.source_anchor = "H-1";
        return w;
    }());
    ASSERT_TRUE(other);
    auto r = sync_full(people({entry("a1", "alice.l", {{"externalId", "E-1"}}), entry("c1", "carol")}));
    EXPECT_EQ(r.counts.adopted, 1u);
    EXPECT_EQ(r.counts.skipped, 1u);  // carol belongs to another sync source
    auto alice = user_by_anchor("a1");
    EXPECT_EQ(alice.id, pushed);
    EXPECT_EQ(alice.source, "corp");
    EXPECT_EQ(alice.user_name, "alice.l");
    auto carol = dir.get_user(rules.tenant, other->id);
    EXPECT_EQ(carol->source, "hr");
    EXPECT_EQ(carol->version, 1);
}

TEST_F(ApplyTest, RecordsOfOtherSourcesAreNeverTouched) {
    auto pushed = scim_user("bob");
    sync_full(people({entry("a1", "alice")}));
    const auto events = audit_events();
    auto r = sync_full(people({entry("a1", "alice")}));
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(dir.get_user(rules.tenant, pushed)->version, 1);
    EXPECT_EQ(dir.get_user(rules.tenant, pushed)->status, user_status::provisioned);
    (void)r;
}

TEST_F(ApplyTest, SeatLimitMakesCreatesRequested) {
    rules.tenant = "small";
    auto r = sync_full(people({entry("a1", "alice"), entry("b1", "bob")}));
    EXPECT_EQ(r.counts.created, 2u);
    EXPECT_EQ(r.counts.requested, 1u);
    EXPECT_EQ(user_by_anchor("b1").status, user_status::requested);
    // Still no seat: the next run plans nothing for it.
    EXPECT_TRUE(plan_full(people({entry("a1", "alice"), entry("b1", "bob")})).updates.empty());
}

TEST_F(ApplyTest, ARecordChangedSinceThePlanIsNotOverwritten) {
    sync_full(people({entry("a1", "alice")}));
    auto p = plan_full(people({entry("a1", "alice", {{"title", "Dr"}})}));
    auto alice = user_by_anchor("a1");
    ASSERT_TRUE(dir.modify_user(scim, rules.tenant, alice.id, [](const directory::user& cur) {
        directory::user_write w;
        w.resource = cur.resource;
        w.resource["nickName"] = "Al";
        w.source = cur.source;
        w.source_anchor = cur.source_anchor;
        return directory::result<directory::user_write>(std::move(w));
    }));
    auto r = apply(dir, p);
    EXPECT_EQ(r.counts.failed, 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("changed since the plan"), std::string::npos);
    // The next run converges.
    auto again = sync_full(people({entry("a1", "alice", {{"title", "Dr"}})}));
    EXPECT_EQ(again.counts.updated, 1u);
    EXPECT_EQ(user_by_anchor("a1").resource["title"], "Dr");
    EXPECT_FALSE(user_by_anchor("a1").resource.contains("nickName"));
}

TEST_F(ApplyTest, NestedGroupsCreatedInOneRun) {
    rules.nested = nested_groups::keep;
    auto r = sync_full(people({entry("a1", "alice")},
                              {group_entry("g1", "Parent", {}, {"g2"}), group_entry("g2", "Child", {"a1"})}),
                       apply_options{1, 20});
    EXPECT_EQ(r.counts.groups_created, 2u);
    EXPECT_EQ(r.counts.memberships_added, 2u);
    EXPECT_EQ(r.counts.failed, 0u);
    auto parent = dir.find_group_by_anchor(rules.tenant, rules.source, "g1");
    ASSERT_TRUE(parent);
    ASSERT_EQ(parent->members.size(), 1u);
    EXPECT_EQ(parent->members[0].type, directory::member_type::group);
    auto alice = user_by_anchor("a1");
    ASSERT_EQ(alice.groups->size(), 2u);  // Child directly, Parent through nesting
    EXPECT_TRUE(plan_full(people({entry("a1", "alice")}, {group_entry("g1", "Parent", {}, {"g2"}),
                                                          group_entry("g2", "Child", {"a1"})}))
                    .group_updates.empty());
}

TEST_F(ApplyTest, IncrementalDeleteOrphans) {
    sync_full(people({entry("a1", "alice"), entry("b1", "bob")}));
    auto current = load_current(dir, rules.tenant, rules.source);
    delta d;
    d.users = {entry("a1", "alice", {{"title", "Dr"}})};
    d.deleted_anchors = {"b1"};
    reconcile_input in{rules, current, {}, now, std::nullopt};
    in.stored_resources = directory_resources(dir, rules.tenant);
    auto p = reconcile(std::move(d), in);
    auto r = apply(dir, p);
    EXPECT_EQ(r.counts.updated, 1u);
    EXPECT_EQ(r.counts.orphaned, 1u);
    EXPECT_EQ(user_by_anchor("b1").status, user_status::orphan);
}

TEST_F(ApplyTest, DryRunPlanIsJsonAndWritesNothing) {
    sync_full(people({entry("a1", "alice"), entry("b1", "bob")}));
    const auto events = audit_events();
    auto p = plan_full(people({entry("a1", "alicia"), entry("n1", "nina")}));
    auto j = to_json(p);
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(j["creates"].size(), 1u);
    EXPECT_EQ(j["creates"][0]["resource"]["userName"], "nina");
    EXPECT_EQ(j["updates"][0]["changes"]["userName"]["before"], "alice");
    EXPECT_EQ(j["orphans"][0]["anchor"], "b1");
    EXPECT_EQ(j["orphans"][0]["status"]["after"], "orphan");
    EXPECT_EQ(j["counts"]["orphaned"], 1);
    // Round-trips as text, for `dirsyncd sync --dry-run --json`.
    EXPECT_EQ(json::parse(j.dump()), j);
}

/// Not a benchmark: prints how long a reconcile of many unchanged users takes, for a feel of the cost.
/// Run with --gtest_also_run_disabled_tests.
TEST_F(ApplyTest, DISABLED_ManyUnchangedUsersTiming) {
    constexpr int n = 100'000;
    auto make = [] {
        snapshot s;
        s.users.reserve(n);
        for (int i = 0; i < n; ++i) {
            auto id = std::to_string(i);
            s.users.push_back(
                entry("anchor-" + id, "user" + id,
                      {{"displayName", "User " + id}, {"externalId", "E" + id}, {"title", "Staff"}}));
        }
        for (int g = 0; g < 1000; ++g) {
            std::vector<std::string> members;
            for (int m = 0; m < 100; ++m) members.push_back("anchor-" + std::to_string((g * 100 + m) % n));
            s.groups.push_back(
                group_entry("group-" + std::to_string(g), "Group " + std::to_string(g), members));
        }
        return s;
    };
    // Wall and CPU time (the machine may be shared).
    struct stamp_t {
        long long wall_ms;
        long long cpu_ms;
    };
    auto stamp = [] {
        timespec cpu{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
        auto wall = std::chrono::steady_clock::now().time_since_epoch();
        return stamp_t{
            static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(wall).count()),
            static_cast<long long>(cpu.tv_sec) * 1000 + cpu.tv_nsec / 1'000'000};
    };
    auto span = [](stamp_t a, stamp_t b) {
        return std::to_string(b.wall_ms - a.wall_ms) + " ms (cpu " + std::to_string(b.cpu_ms - a.cpu_ms) +
               " ms)";
    };
    auto t0 = stamp();
    auto first = sync_full(make());
    auto t1 = stamp();
    ASSERT_EQ(first.counts.created, static_cast<std::size_t>(n));
    auto s = make();
    auto t2 = stamp();
    auto current = load_current(dir, rules.tenant, rules.source);
    auto t3 = stamp();
    auto p = reconcile(std::move(s), reconcile_input{rules, current, {}, now, std::nullopt});
    auto t4 = stamp();
    auto second = apply(dir, p);
    auto t5 = stamp();
    EXPECT_EQ(second.counts.unchanged, static_cast<std::size_t>(n));
    EXPECT_EQ(p.unchanged_groups, 1000u);
    std::printf("first run (100k creates, 1000 groups x 100): %s\n", span(t0, t1).c_str());
    std::printf("second run: load %s, plan %s, apply %s\n", span(t2, t3).c_str(), span(t3, t4).c_str(),
                span(t4, t5).c_str());
}

}  // namespace
}  // namespace dirsync::sync
