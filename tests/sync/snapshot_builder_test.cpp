#include "sync/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "entry_fixture.hpp"
#include "group_source_fixture.hpp"

namespace dirsync::sync {
namespace {

using testing::make_entry;

source_mapper mapper_for(const std::string& nested, const std::string& roles = "") {
    return testing::group_source_mapper(nested, roles);
}

std::string uuid(int n) { return testing::test_uuid(n); }

ldap::entry_record user(const std::string& uid, int id) {
    return make_entry("uid=" + uid + ",ou=people,dc=example,dc=com",
                      {{"uid", {uid}}, {"entryUUID", {uuid(id)}}});
}

ldap::entry_record group(const std::string& cn, int id, std::vector<std::string> members) {
    auto e =
        make_entry("cn=" + cn + ",ou=groups,dc=example,dc=com", {{"cn", {cn}}, {"entryUUID", {uuid(id)}}});
    if (!members.empty()) e.attributes["member"] = std::move(members);
    return e;
}

std::string udn(const std::string& uid) { return "uid=" + uid + ",ou=people,dc=example,dc=com"; }
std::string gdn(const std::string& cn) { return "CN=" + cn + ", OU=Groups,DC=example,DC=com"; }

const source_group& find_group(const snapshot& s, const std::string& name) {
    for (const auto& g : s.groups)
        if (g.resource["displayName"] == name) return g;
    throw std::runtime_error("no group " + name);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// admins -> {alice, ops}; ops -> {bob, devs}; devs -> {carol, ops (a cycle)}; empty; outsider member.
void add_sample(snapshot_builder& b) {
    b.add_group(group("admins", 100, {udn("alice"), gdn("ops")}));
    b.add_user(user("alice", 1));
    b.add_user(user("bob", 2));
    b.add_group(group("ops", 101, {udn("bob"), gdn("devs"), "uid=stranger,ou=elsewhere,dc=example,dc=com"}));
    b.add_group(group("devs", 102, {udn("carol"), gdn("ops")}));
    b.add_user(user("carol", 3));
    b.add_group(group("empty", 103, {}));
}

TEST(SnapshotBuilder, FlattensNestedGroupsThroughCycles) {
    auto mapper = mapper_for("flatten");
    snapshot_builder b(mapper, true);
    add_sample(b);
    auto s = b.finish();
    ASSERT_EQ(s.users.size(), 3u);
    ASSERT_EQ(s.groups.size(), 4u);
    EXPECT_EQ(sorted(find_group(s, "admins").member_user_anchors),
              (std::vector<std::string>{uuid(1), uuid(2), uuid(3)}));
    EXPECT_EQ(sorted(find_group(s, "ops").member_user_anchors), (std::vector<std::string>{uuid(2), uuid(3)}));
    EXPECT_EQ(sorted(find_group(s, "devs").member_user_anchors),
              (std::vector<std::string>{uuid(2), uuid(3)}));
    EXPECT_TRUE(find_group(s, "empty").member_user_anchors.empty());
    for (const auto& g : s.groups) EXPECT_TRUE(g.member_group_anchors.empty());
    EXPECT_TRUE(s.skipped.empty());
    ASSERT_EQ(b.notes().size(), 1u);
    EXPECT_EQ(b.notes()[0],
              "cn=ops,ou=groups,dc=example,dc=com: 1 member is not a user or group read from this source");
}

TEST(SnapshotBuilder, DropsTheTextsTheDirectoryStoresAsTheyAre) {
    auto mapper = mapper_for("flatten");
    // What the directory stores: alice's and carol's texts as a first run would write them; bob's differs.
    std::map<std::string, common::sha256_digest, std::less<>> stored;
    {
        snapshot_builder first(mapper, true);
        add_sample(first);
        for (const auto& u : first.finish().users)
            stored.emplace(u.anchor, common::sha256(u.anchor == uuid(2) ? u.text + " " : u.text));
    }
    std::vector<std::string> asked;
    snapshot_builder b(mapper, true);
    b.add_user(user("alice", 1));  // before the lookup is known: dropped when it is given
    b.add_user(user("bob", 2));
    b.drop_stored_texts([&](std::string_view anchor) -> const common::sha256_digest* {
        asked.emplace_back(anchor);
        auto it = stored.find(anchor);
        return it == stored.end() ? nullptr : &it->second;
    });
    b.add_user(user("carol", 3));  // after: dropped as it is added
    b.add_user(user("dave", 4));   // no record: a create keeps its text
    b.add_group(group("all", 100, {udn("alice"), udn("bob"), udn("carol"), udn("dave")}));
    auto s = b.finish();
    EXPECT_EQ(asked, (std::vector<std::string>{uuid(1), uuid(2), uuid(3), uuid(4)}));
    ASSERT_EQ(s.users.size(), 4u);
    EXPECT_TRUE(s.users[0].stored_as_is);
    EXPECT_TRUE(s.users[0].text.empty());
    EXPECT_THROW(s.users[0].take_resource(), std::logic_error);
    EXPECT_FALSE(s.users[1].stored_as_is);
    EXPECT_EQ(s.users[1].take_resource().at("userName"), "bob");
    EXPECT_TRUE(s.users[2].stored_as_is);
    EXPECT_FALSE(s.users[3].stored_as_is);
    EXPECT_FALSE(s.users[3].text.empty());
    // Members still resolve: a dropped text keeps its anchor and DN.
    EXPECT_EQ(sorted(find_group(s, "all").member_user_anchors),
              (std::vector<std::string>{uuid(1), uuid(2), uuid(3), uuid(4)}));
}

TEST(SnapshotBuilder, MemberNamesResolveByUidAndUnmatchedOnesAreNamed) {
    auto mapper = mapper_for("flatten\n      member_attribute: memberUid");
    snapshot_builder b(mapper, true);
    b.add_user(user("alice", 1));
    b.add_user(user("bob", 2));
    // Two entries with the same uid (different anchors): the name is ambiguous.
    b.add_user(
        make_entry("uid=twin,ou=people,dc=example,dc=com", {{"uid", {"twin"}}, {"entryUUID", {uuid(4)}}}));
    b.add_user(
        make_entry("uid=twin,ou=other,dc=example,dc=com", {{"uid", {"Twin"}}, {"entryUUID", {uuid(5)}}}));
    auto staff =
        make_entry("cn=staff,ou=groups,dc=example,dc=com", {{"cn", {"staff"}}, {"entryUUID", {uuid(100)}}});
    staff.attributes["memberuid"] = {"ALICE", " bob ", "alice", "twin", "nobody"};
    b.add_group(staff);
    auto s = b.finish();
    EXPECT_EQ(sorted(find_group(s, "staff").member_user_anchors),
              (std::vector<std::string>{uuid(1), uuid(2)}));
    ASSERT_EQ(b.notes().size(), 1u);
    EXPECT_EQ(
        b.notes()[0],
        "cn=staff,ou=groups,dc=example,dc=com: 2 member names match no user read from this source: twin "
        "(several users), nobody");
}

TEST(SnapshotBuilder, KeepsNestedGroupsAsGroupMembers) {
    auto mapper = mapper_for("keep");
    snapshot_builder b(mapper, false);
    add_sample(b);
    auto s = b.finish();
    const auto& admins = find_group(s, "admins");
    EXPECT_EQ(admins.member_user_anchors, std::vector<std::string>{uuid(1)});
    EXPECT_EQ(admins.member_group_anchors, std::vector<std::string>{uuid(101)});
    const auto& ops = find_group(s, "ops");
    EXPECT_EQ(ops.member_user_anchors, std::vector<std::string>{uuid(2)});
    EXPECT_EQ(ops.member_group_anchors, std::vector<std::string>{uuid(102)});
    EXPECT_EQ(find_group(s, "devs").member_group_anchors, std::vector<std::string>{uuid(101)});
}

TEST(SnapshotBuilder, RolesByGroupFollowNesting) {
    auto mapper =
        mapper_for("keep",
                   "    roles:\n"
                   "      - { role: admin, when_member_of: \"cn=admins,ou=groups,dc=example,dc=com\" }\n"
                   "      - { role: developer, when_member_of: \"cn=devs,ou=groups,dc=example,dc=com\" }\n"
                   "      - { role: named, when: \"(uid=carol)\" }\n");
    snapshot_builder b(mapper, false);
    add_sample(b);
    auto s = b.finish();
    std::map<std::string, std::vector<std::string>> roles;
    for (const auto& u : s.users) roles[u.resource_tree()["userName"]] = u.roles;
    EXPECT_EQ(roles["alice"], std::vector<std::string>{"admin"});
    // bob is in ops, which admins contains, and ops and devs contain each other.
    EXPECT_EQ(roles["bob"], (std::vector<std::string>{"admin", "developer"}));
    EXPECT_EQ(roles["carol"], (std::vector<std::string>{"admin", "developer", "named"}));
}

TEST(SnapshotBuilder, SkippedEntriesAndRepeatedAnchors) {
    auto mapper = mapper_for("flatten");
    snapshot_builder b(mapper, true);
    b.add_user(user("alice", 1));
    b.add_user(make_entry("uid=nouid,ou=people,dc=example,dc=com", {{"entryUUID", {uuid(9)}}}));
    b.add_user(make_entry("uid=noanchor,ou=people,dc=example,dc=com", {{"uid", {"noanchor"}}}));
    auto again = user("alice2", 1);
    b.add_user(again);
    b.add_group(group("g", 100, {udn("alice"), udn("nouid")}));
    b.add_group(group("g2", 100, {}));
    auto s = b.finish();
    ASSERT_EQ(s.users.size(), 1u);
    ASSERT_EQ(s.groups.size(), 1u);
    EXPECT_EQ(s.groups[0].member_user_anchors, std::vector<std::string>{uuid(1)});
    EXPECT_EQ(s.skipped,
              (std::vector<std::string>{
                  "uid=nouid,ou=people,dc=example,dc=com: required attribute 'uid' is missing (userName)",
                  "uid=noanchor,ou=people,dc=example,dc=com: no entryUUID (the anchor attribute; is it "
                  "readable by the bind DN?)",
                  "uid=alice2,ou=people,dc=example,dc=com: the same anchor as "
                  "uid=alice,ou=people,dc=example,dc=com",
                  "cn=g2,ou=groups,dc=example,dc=com: the same anchor as cn=g,ou=groups,dc=example,dc=com"}));
    EXPECT_EQ(s.skipped_anchors, std::vector<std::string>{uuid(9)});
}

TEST(SnapshotBuilder, ManyUsersInManyGroups) {
    auto mapper = mapper_for("flatten");
    snapshot_builder b(mapper, true);
    constexpr int users = 2000;
    constexpr int groups = 20;
    for (int i = 0; i < users; ++i) b.add_user(user("u" + std::to_string(i), i + 1));
    for (int g = 0; g < groups; ++g) {
        std::vector<std::string> members;
        for (int i = g; i < users; i += groups) members.push_back(udn("u" + std::to_string(i)));
        b.add_group(group("g" + std::to_string(g), 10000 + g, std::move(members)));
    }
    auto s = b.finish();
    ASSERT_EQ(s.users.size(), static_cast<std::size_t>(users));
    ASSERT_EQ(s.groups.size(), static_cast<std::size_t>(groups));
    for (const auto& g : s.groups)
        EXPECT_EQ(g.member_user_anchors.size(), static_cast<std::size_t>(users / groups));
    EXPECT_TRUE(b.notes().empty());
}

}  // namespace
}  // namespace dirsync::sync
