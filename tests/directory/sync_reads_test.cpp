// What sync runs read and write through the directory: records by source and anchor, orphan age, synced
// groups, and batch steps that fail alone.
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

class SyncReadsTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "d.db")};
    tenant_directory dir{db_};
    actor scim{"scim-token", "0123abcd"};
    actor sync{"source", "corp"};

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", std::nullopt}});
    }

    static json person(const std::string& name) {
        return json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                    {"userName", name},
                    {"emails", {{{"value", name + "@example.com"}}}}};
    }

    user make(const std::string& tenant, const std::string& name, const std::string& source,
              std::optional<std::string> anchor) {
        user_write w;
        w.resource = person(name);
        w.source = source;
        w.source_anchor = std::move(anchor);
        auto u = dir.create_user(source == "scim" ? scim : sync, tenant, std::move(w));
        EXPECT_TRUE(u) << u.error().message;
        return u ? *u : user{};
    }

    std::vector<user_brief> owned(const std::string& tenant, const std::string& source) {
        std::vector<user_brief> out;
        dir.scan_source_users(tenant, source, [&](user_brief&& b) {
            out.push_back(std::move(b));
            return true;
        });
        return out;
    }
};

TEST_F(SyncReadsTest, ScanBySourceVisitsOnlyThatSourceInThatTenant) {
    auto a = make("acme", "alice", "corp", "A-1");
    make("acme", "bob", "scim", std::nullopt);
    make("acme", "carol", "other", "A-1");   // same anchor, another source
    make("globex", "alice", "corp", "A-1");  // same anchor, another tenant
    auto d = make("acme", "dave", "corp", "D-1");

    auto briefs = owned("acme", "corp");
    ASSERT_EQ(briefs.size(), 2u);
    EXPECT_EQ(briefs[0].id, a.id);
    EXPECT_EQ(briefs[1].id, d.id);
    EXPECT_EQ(briefs[0].source_anchor, "A-1");
    EXPECT_EQ(briefs[0].user_name, "alice");
    EXPECT_EQ(briefs[0].status, user_status::provisioned);
    EXPECT_EQ(briefs[0].version, 1);
    // The stored text is the canonical dump of the resource, `active` included.
    EXPECT_EQ(briefs[0].resource_json, a.resource.dump());
    EXPECT_TRUE(json::parse(briefs[0].resource_json).at("active").get<bool>());

    int visited = 0;
    dir.scan_source_users("acme", "corp", [&](user_brief&&) { return ++visited < 1; });
    EXPECT_EQ(visited, 1);
    EXPECT_TRUE(owned("acme", "nobody").empty());
}

TEST_F(SyncReadsTest, ADigestScanCarriesTheStoredTextsDigestAndTheTextsAreReadById) {
    auto a = make("acme", "alice", "corp", "A-1");
    auto d = make("acme", "dave", "corp", "D-1");
    auto g = make("globex", "gina", "corp", "G-1");
    std::vector<user_brief> briefs;
    dir.scan_source_users(
        "acme", "corp",
        [&](user_brief&& b) {
            briefs.push_back(std::move(b));
            return true;
        },
        brief_resource::digest);
    ASSERT_EQ(briefs.size(), 2u);
    EXPECT_TRUE(briefs[0].resource_json.empty());
    ASSERT_TRUE(briefs[0].resource_digest);
    EXPECT_EQ(*briefs[0].resource_digest, common::sha256(a.resource.dump()));
    EXPECT_EQ(briefs[0].user_name, "alice");
    EXPECT_FALSE(owned("acme", "corp")[0].resource_digest);  // a text scan carries the text only

    // Quotes and backslashes in an id cannot break the list; another tenant's id is not answered.
    const std::vector<std::string> ids{a.id, d.id, g.id, "no\"such\\id"};
    auto texts = dir.stored_user_resources("acme", ids);
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts.at(a.id), a.resource.dump());
    EXPECT_EQ(texts.at(d.id), d.resource.dump());
    EXPECT_TRUE(dir.stored_user_resources("acme", std::vector<std::string>{}).empty());
}

TEST_F(SyncReadsTest, FindByAnchorAndCandidates) {
    auto a = make("acme", "alice", "corp", "A-1");
    auto b = make("acme", "bob", "scim", std::nullopt);
    auto found = dir.find_user_by_anchor("acme", "corp", "A-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, a.id);
    EXPECT_FALSE(dir.find_user_by_anchor("acme", "other", "A-1"));
    EXPECT_FALSE(dir.find_user_by_anchor("globex", "corp", "A-1"));

    auto by_mail = dir.find_user_briefs("acme", user_index::email, "BOB@example.com");
    ASSERT_EQ(by_mail.size(), 1u);
    EXPECT_EQ(by_mail[0].id, b.id);
    EXPECT_EQ(by_mail[0].source, "scim");
    EXPECT_EQ(dir.find_user_briefs("acme", user_index::user_name, "ALICE").size(), 1u);
    EXPECT_TRUE(dir.find_user_briefs("globex", user_index::user_name, "alice").empty());
}

TEST_F(SyncReadsTest, OrphanSinceIsSetKeptAndClearedExplicitly) {
    auto a = make("acme", "alice", "corp", "A-1");
    const auto since = common::from_epoch_ms(1'700'000'000'000);
    auto orphaned = dir.modify_user(sync, "acme", a.id, [&](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.source = cur.source;
        w.source_anchor = cur.source_anchor;
        w.status = user_status::orphan;
        w.orphan_since = since;
        return w;
    });
    ASSERT_TRUE(orphaned) << orphaned.error().message;
    EXPECT_EQ(orphaned->orphan_since, since);
    EXPECT_EQ(orphaned->status, user_status::orphan);
    EXPECT_TRUE(orphaned->active);  // an orphan stays enabled
    EXPECT_EQ(orphaned->version, 2);
    EXPECT_EQ(owned("acme", "corp").at(0).orphan_since, since);

    // A writer that does not name orphan_since (a SCIM replace) keeps it.
    auto kept = dir.modify_user(scim, "acme", a.id, [&](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.resource["displayName"] = "Alice";
        w.source = cur.source;
        w.source_anchor = cur.source_anchor;
        return w;
    });
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->orphan_since, since);

    // Writing the same value again is no change: no version, no audit event.
    const auto events = dir.audit_log("acme", 100).size();
    auto same = dir.modify_user(sync, "acme", a.id, [&](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.source = cur.source;
        w.source_anchor = cur.source_anchor;
        w.status = cur.status;
        w.orphan_since = since;
        return w;
    });
    ASSERT_TRUE(same);
    EXPECT_EQ(same->version, kept->version);
    EXPECT_EQ(dir.audit_log("acme", 100).size(), events);

    auto cleared = dir.modify_user(sync, "acme", a.id, [&](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.source = cur.source;
        w.source_anchor = cur.source_anchor;
        w.status = user_status::provisioned;
        w.orphan_since = std::optional<common::timestamp>{};
        return w;
    });
    ASSERT_TRUE(cleared);
    EXPECT_FALSE(cleared->orphan_since);
    EXPECT_FALSE(dir.get_user("acme", a.id)->orphan_since);

    auto log = dir.audit_log("acme", 100);
    bool saw_orphan_since = false;
    for (const auto& e : log)
        if (e.summary.contains("after") && e.summary["after"].contains("orphanSince"))
            saw_orphan_since = true;
    EXPECT_TRUE(saw_orphan_since);
    EXPECT_EQ(log.front().actor, "source:corp");
}

TEST_F(SyncReadsTest, SyncedGroupsCarrySourceAndAnchor) {
    auto a = make("acme", "alice", "corp", "A-1");
    group_write w;
    w.resource = json{{"displayName", "Staff"}};
    w.source = "corp";
    w.source_anchor = "G-1";
    w.members = {member_ref{a.id, std::nullopt, std::nullopt}};
    auto g = dir.create_group(sync, "acme", w);
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->source, "corp");
    EXPECT_EQ(g->source_anchor, "G-1");

    group_write scim_group;
    scim_group.resource = json{{"displayName", "Pushed"}};
    ASSERT_TRUE(dir.create_group(scim, "acme", scim_group));

    // The anchor is unique per (tenant, source).
    auto dup = dir.create_group(sync, "acme", w);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, error_code::uniqueness);
    w.source = "other";
    EXPECT_TRUE(dir.create_group(sync, "acme", w));

    std::vector<group_brief> groups;
    dir.scan_source_groups("acme", "corp", [&](group_brief&& b) {
        groups.push_back(std::move(b));
        return true;
    });
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].id, g->id);
    EXPECT_EQ(groups[0].display_name, "Staff");
    ASSERT_EQ(groups[0].members.size(), 1u);
    EXPECT_EQ(groups[0].members[0].id, a.id);
    EXPECT_EQ(groups[0].resource_json, g->resource.dump());

    auto found = dir.find_group_by_anchor("acme", "corp", "G-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, g->id);
    EXPECT_FALSE(dir.find_group_by_anchor("globex", "corp", "G-1"));

    // A modification keeps source and anchor; so does a read back.
    auto renamed = dir.modify_group(sync, "acme", g->id, [](const group& cur) -> result<group_change> {
        group_change c;
        c.resource = cur.resource;
        c.resource["displayName"] = "All staff";
        return c;
    });
    ASSERT_TRUE(renamed);
    auto back = dir.get_group("acme", g->id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->source, "corp");
    EXPECT_EQ(back->source_anchor, "G-1");
    EXPECT_EQ(back->display_name, "All staff");
}

TEST_F(SyncReadsTest, AFailedBatchStepIsUndoneAloneAndTheBatchCommits) {
    make("acme", "taken", "scim", std::nullopt);
    std::vector<error_code> failures;
    auto r = dir.in_batch(sync, [&](tenant_directory::batch& b) -> result<void> {
        auto first = b.step([](tenant_directory::batch& s) -> result<void> {
            user_write w;
            w.resource = person("first");
            w.source = "corp";
            w.source_anchor = "F-1";
            auto u = s.create_user("acme", std::move(w));
            if (!u) return u.error();
            return {};
        });
        EXPECT_TRUE(first);
        // A group create whose member does not exist fails after its row was inserted: the step undoes it.
        auto bad_group = b.step([](tenant_directory::batch& s) -> result<void> {
            group_write w;
            w.resource = json{{"displayName", "Broken"}};
            w.source = "corp";
            w.source_anchor = "G-X";
            w.members = {member_ref{"no-such-id", std::nullopt, std::nullopt}};
            auto g = s.create_group("acme", std::move(w));
            if (!g) return g.error();
            return {};
        });
        if (!bad_group) failures.push_back(bad_group.error().code);
        auto dup = b.step([](tenant_directory::batch& s) -> result<void> {
            user_write w;
            w.resource = person("TAKEN");
            w.source = "corp";
            w.source_anchor = "T-1";
            auto u = s.create_user("acme", std::move(w));
            if (!u) return u.error();
            return {};
        });
        if (!dup) failures.push_back(dup.error().code);
        return {};
    });
    ASSERT_TRUE(r);
    EXPECT_EQ(failures, (std::vector<error_code>{error_code::invalid_value, error_code::uniqueness}));
    EXPECT_EQ(owned("acme", "corp").size(), 1u);
    EXPECT_EQ(dir.count_groups("acme"), 0);
    EXPECT_FALSE(dir.find_group_by_anchor("acme", "corp", "G-X"));
}

}  // namespace
}  // namespace dirsync::directory
