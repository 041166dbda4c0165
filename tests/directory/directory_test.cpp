#include "directory/directory.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::directory {
namespace {

using json = nlohmann::json;

user_write as_write(json resource) {
    user_write w;
    w.resource = std::move(resource);
    return w;
}

class DirectoryTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "d.db")};
    tenant_directory dir{db_};
    actor who{"scim-token", "0123abcd"};

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 2}});
    }

    static user_write write(json resource) {
        user_write w;
        w.resource = std::move(resource);
        return w;
    }

    static json person(std::string user_name, bool active = true) {
        return json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                    {"userName", std::move(user_name)},
                    {"active", active},
                    {"name", {{"givenName", "Barbara"}, {"familyName", "Jensen"}}},
                    {"emails", {{{"value", "BJensen@Example.com"}, {"type", "work"}}}}};
    }
};

TEST_F(DirectoryTest, CreateAssignsIdVersionAndProjections) {
    auto u = dir.create_user(who, "acme", write(person("bjensen")));
    ASSERT_TRUE(u) << u.error().message;
    EXPECT_EQ(u->id.size(), 36u);
    EXPECT_EQ(u->version, 1);
    EXPECT_EQ(u->user_name, "bjensen");
    EXPECT_EQ(u->given_name, "Barbara");
    EXPECT_EQ(u->status, user_status::provisioned);
    EXPECT_EQ(u->source, "scim");
    auto again = dir.get_user("acme", u->id);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->resource, u->resource);
    EXPECT_EQ(again->created, u->created);
}

TEST_F(DirectoryTest, UserNameIsUniqueCaseInsensitivelyAndKeepsCase) {
    ASSERT_TRUE(dir.create_user(who, "acme", write(person("BJensen"))));
    for (auto variant : {"bjensen", "BJENSEN", "bJeNsEn"}) {
        auto dup = dir.create_user(who, "acme", write(person(variant)));
        ASSERT_FALSE(dup) << variant;
        EXPECT_EQ(dup.error().code, error_code::uniqueness);
    }
    auto found = dir.find_users("acme", user_index::user_name, "bjensen");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].user_name, "BJensen");
    // Non-ASCII case variants collide too.
    ASSERT_TRUE(dir.create_user(who, "acme", write(person("müller"))));
    EXPECT_FALSE(dir.create_user(who, "acme", write(person("MÜLLER"))));
}

TEST_F(DirectoryTest, TenantsAreIsolated) {
    auto a = dir.create_user(who, "acme", write(person("bjensen")));
    ASSERT_TRUE(a);
    // The same userName is free in another tenant.
    ASSERT_TRUE(dir.create_user(who, "globex", write(person("bjensen"))));
    // A record of acme does not exist for globex, for every verb.
    EXPECT_EQ(dir.get_user("globex", a->id).error().code, error_code::not_found);
    EXPECT_EQ(dir.delete_user(who, "globex", a->id).error().code, error_code::not_found);
    auto mod = dir.modify_user(who, "globex", a->id, [](const user& u) -> result<user_write> {
        user_write w;
        w.resource = u.resource;
        return w;
    });
    EXPECT_EQ(mod.error().code, error_code::not_found);
    EXPECT_TRUE(dir.find_users("globex", user_index::id, a->id).empty());
    EXPECT_EQ(dir.count_users("acme"), 1);
    EXPECT_EQ(dir.count_users("globex"), 1);
    EXPECT_TRUE(dir.get_user("acme", a->id));
}

TEST_F(DirectoryTest, UnknownTenantIsRefused) {
    auto u = dir.create_user(who, "nope", write(person("x")));
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().code, error_code::unknown_tenant);
}

TEST_F(DirectoryTest, InvalidResourcesAreRefused) {
    struct {
        json resource;
        const char* message;
    } cases[] = {
        {json::object(), "userName is required"},
        {json{{"userName", ""}}, "userName is required"},
        {json{{"userName", 42}}, "userName must be a string"},
        {json{{"userName", "a"}, {"active", "yes"}}, "active must be a boolean"},
        {json{{"userName", "a"}, {"name", "Bob"}}, "name must be an object"},
        {json{{"userName", "a"}, {"emails", "a@b"}}, "emails must be an array"},
        {json{{"userName", "a"}, {"externalId", 7}}, "externalId must be a string"},
        {json::array(), "must be a JSON object"},
    };
    for (auto& c : cases) {
        auto u = dir.create_user(who, "acme", write(c.resource));
        ASSERT_FALSE(u) << c.resource.dump();
        EXPECT_EQ(u.error().code, error_code::invalid_value);
        EXPECT_NE(u.error().message.find(c.message), std::string::npos) << u.error().message;
    }
    EXPECT_EQ(dir.count_users("acme"), 0);
}

TEST_F(DirectoryTest, WritesAreCheckedAgainstTheServedSchemas) {
    // Whoever writes (SCIM, a sync run, a bench loader), the record meets the schemas the service serves,
    // configured extensions included, and in canonical types: converting is the writer's business.
    resource::schema badge;
    badge.id = "urn:example:acme:2.0:User";
    badge.name = "Acme";
    resource::attribute number;
    number.name = "badge";
    number.type = resource::attribute_type::integer;
    number.required = true;
    badge.attributes.push_back(number);
    tenant_directory strict{db_, std::make_shared<const resource::service_schemas>(
                                     std::vector<resource::schema>{badge}, std::vector<resource::schema>{})};
    json u = person("bjensen");
    u["urn:example:acme:2.0:User"] = {{"badge", "7"}};
    auto refused = strict.create_user(who, "acme", write(u));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, error_code::invalid_value);
    EXPECT_EQ(refused.error().message, "badge must be an integer, not a string");
    u["urn:example:acme:2.0:User"] = json::object();
    u["schemas"].push_back("urn:example:acme:2.0:User");
    refused = strict.create_user(who, "acme", write(u));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "'urn:example:acme:2.0:User:badge' is required by that schema");
    u["urn:example:acme:2.0:User"] = {{"BADGE", 7}};
    auto stored = strict.create_user(who, "acme", write(u));
    ASSERT_TRUE(stored) << stored.error().message;
    EXPECT_EQ(stored->resource["urn:example:acme:2.0:User"], (json{{"badge", 7}}));

    auto not_a_boolean = dir.create_user(who, "acme", write(json{{"userName", "b"}, {"active", "True"}}));
    ASSERT_FALSE(not_a_boolean);
    EXPECT_EQ(not_a_boolean.error().message, "active must be a boolean, not a string");
    group_write g;
    g.resource = json{{"displayName", "G"}, {"externalId", 7}};
    auto group = dir.create_group(who, "acme", g);
    ASSERT_FALSE(group);
    EXPECT_EQ(group.error().message, "externalId must be a string, not an integer");
    EXPECT_EQ(dir.count_users("acme"), 1);
}

TEST_F(DirectoryTest, RecordsOverTheStoredSizeLimitAreRefusedWhoeverWritesThem) {
    tenant_directory small{db_, resource::default_service_schemas(), record_limits{2048}};
    json big = person("big");
    big["nickName"] = std::string(3000, 'x');
    auto refused = small.create_user(who, "acme", write(big));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, error_code::too_large);
    EXPECT_NE(refused.error().message.find("at most 2048"), std::string::npos) << refused.error().message;
    EXPECT_EQ(small.count_users("acme"), 0);

    auto fits = small.create_user(who, "acme", write(person("small")));
    ASSERT_TRUE(fits) << fits.error().message;
    auto grown = small.modify_user(who, "acme", fits->id,
                                   [&](const user&) -> result<user_write> { return write(big); });
    ASSERT_FALSE(grown);
    EXPECT_EQ(grown.error().code, error_code::too_large);
    EXPECT_EQ(small.get_user("acme", fits->id)->version, 1);  // nothing written

    group_write g;
    g.resource = json{{"displayName", "G"}, {"externalId", std::string(3000, 'g')}};
    EXPECT_EQ(small.create_group(who, "acme", g).error().code, error_code::too_large);
    g.resource = json{{"displayName", "G"}};
    auto group = small.create_group(who, "acme", g);
    ASSERT_TRUE(group) << group.error().message;
    auto renamed =
        small.modify_group(who, "acme", group->id, [](const directory::group&) -> result<group_change> {
            group_change c;
            c.resource = json{{"displayName", "G"}, {"externalId", std::string(3000, 'e')}};
            return c;
        });
    ASSERT_FALSE(renamed);
    EXPECT_EQ(renamed.error().code, error_code::too_large);
}

TEST_F(DirectoryTest, StatusFollowsActiveAndSeats) {
    // globex has 2 seats.
    auto a = dir.create_user(who, "globex", write(person("a")));
    auto b = dir.create_user(who, "globex", write(person("b")));
    auto c = dir.create_user(who, "globex", write(person("c")));
    auto d = dir.create_user(who, "globex", write(person("d", false)));
    ASSERT_TRUE(a && b && c && d);
    EXPECT_EQ(a->status, user_status::provisioned);
    EXPECT_EQ(b->status, user_status::provisioned);
    EXPECT_EQ(c->status, user_status::requested);
    EXPECT_TRUE(c->active);
    EXPECT_EQ(d->status, user_status::disabled);

    auto set_active = [&](const std::string& id, bool active) {
        return dir.modify_user(who, "globex", id, [&](const user& u) -> result<user_write> {
            user_write w;
            w.resource = u.resource;
            w.resource["active"] = active;
            return w;
        });
    };
    // Disabling a seated user frees a seat, which c (waiting) gets in the same transaction.
    auto a2 = set_active(a->id, false);
    ASSERT_TRUE(a2);
    EXPECT_EQ(a2->status, user_status::disabled);
    EXPECT_FALSE(a2->resource["active"].get<bool>());
    EXPECT_EQ(dir.get_user("globex", c->id)->status, user_status::provisioned);
    // No seat left for d or a: they wait.
    auto d2 = set_active(d->id, true);
    ASSERT_TRUE(d2);
    EXPECT_EQ(d2->status, user_status::requested);
    auto a3 = set_active(a->id, true);
    ASSERT_TRUE(a3);
    EXPECT_EQ(a3->status, user_status::requested);
    EXPECT_EQ(dir.usage("globex")->seats_used, 2);
}

TEST_F(DirectoryTest, AFreedSeatGoesToTheLongestWaitingUser) {
    std::vector<std::string> ids;
    for (const char* name : {"a", "b", "w1", "w2", "w3"}) {
        auto u = dir.create_user(who, "globex", write(person(name)));
        ASSERT_TRUE(u);
        ids.push_back(u->id);
    }
    auto status_of = [&](int i) { return dir.get_user("globex", ids[static_cast<std::size_t>(i)])->status; };
    EXPECT_EQ(status_of(2), user_status::requested);
    EXPECT_EQ(status_of(4), user_status::requested);

    // A deletion frees a seat: w1, who waited longest, gets it; the audit says so.
    ASSERT_TRUE(dir.delete_user(who, "globex", ids[0]));
    EXPECT_EQ(status_of(2), user_status::provisioned);
    EXPECT_EQ(status_of(3), user_status::requested);
    auto log = dir.audit_log("globex", 1);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].action, "user.seat_granted");
    EXPECT_EQ(log[0].resource_id, ids[2]);
    EXPECT_EQ(log[0].summary["before"]["status"], "requested");
    EXPECT_EQ(log[0].summary["after"]["status"], "provisioned");

    // Raising the limit in the configuration seats everyone still waiting, in order.
    dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 10}});
    EXPECT_EQ(status_of(3), user_status::provisioned);
    EXPECT_EQ(status_of(4), user_status::provisioned);
    auto usage = dir.usage("globex");
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->seats_used, 4);
    for (const auto& [status, n] : usage->by_status)
        EXPECT_EQ(n, status == user_status::provisioned ? 4 : 0) << to_string(status);
}

TEST_F(DirectoryTest, TheSeatCountFollowsEveryMove) {
    auto count = [&] { return dir.usage("acme")->seats_used; };
    auto u = dir.create_user(who, "acme", write(person("a")));
    auto v = dir.create_user(who, "acme", write(person("b", false)));
    ASSERT_TRUE(u && v);
    EXPECT_EQ(count(), 1);  // a disabled user holds none
    const actor sync{"source", "corp-ldap"}, admin{"admin", "0a0b0c0d"};
    auto set_status = [&](const actor& by, const std::string& id, user_status s) {
        auto r = dir.modify_user(by, "acme", id, [&](const user& cur) -> result<user_write> {
            user_write w;
            w.resource = cur.resource;
            w.status = s;
            return w;
        });
        return r ? r->status : user_status::requested;
    };
    EXPECT_EQ(set_status(sync, u->id, user_status::orphan), user_status::orphan);
    EXPECT_EQ(count(), 1);  // an orphan is still enabled
    EXPECT_EQ(set_status(admin, u->id, user_status::disconnected), user_status::disconnected);
    EXPECT_EQ(count(), 0);
    EXPECT_EQ(set_status(admin, v->id, user_status::provisioned), user_status::provisioned);
    EXPECT_EQ(count(), 1);
    user_write invited = write(person("invited"));
    invited.status = user_status::pending_invite;
    invited.resource["emails"] = json::array({{{"value", "invited@example.com"}}});
    ASSERT_TRUE(dir.create_user(admin, "acme", invited));
    EXPECT_EQ(count(), 1);  // an invitation holds none
    ASSERT_TRUE(dir.delete_user(who, "acme", v->id));
    EXPECT_EQ(count(), 0);
    EXPECT_FALSE(dir.usage("nope"));
}

TEST_F(DirectoryTest, AWriterCannotMakeAMoveThatIsNotItsToMake) {
    const actor admin{"admin", "0a0b0c0d"};
    auto u = dir.create_user(who, "acme", write(person("gone")));
    ASSERT_TRUE(u);
    auto disconnected = dir.modify_user(admin, "acme", u->id, [](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.status = user_status::disconnected;
        return w;
    });
    ASSERT_TRUE(disconnected);
    EXPECT_EQ(disconnected->status, user_status::disconnected);
    EXPECT_FALSE(disconnected->active);
    // The IdP pushes active: true and a new title: the title is taken, the user stays disconnected.
    auto pushed = dir.modify_user(who, "acme", u->id, [](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        w.resource["active"] = true;
        w.resource["title"] = "Boss";
        return w;
    });
    ASSERT_TRUE(pushed);
    EXPECT_EQ(pushed->status, user_status::disconnected);
    EXPECT_FALSE(pushed->active);
    EXPECT_EQ(pushed->resource["title"], "Boss");
}

TEST_F(DirectoryTest, TheSeatCountIsKeptAcrossReopening) {
    // A database opened again keeps the running count it was given.
    ASSERT_TRUE(dir.create_user(who, "globex", write(person("a"))));
    ASSERT_TRUE(dir.create_user(who, "globex", write(person("b"))));
    store::database again(testing::test_store(dir_, "d.db"));
    tenant_directory other(again);
    // Not configured in this process: its records are kept but not seen.
    EXPECT_FALSE(other.usage("globex"));
    EXPECT_FALSE(other.find_tenant("globex"));
    other.configure_tenants({{"globex", "Globex", 2}});
    EXPECT_EQ(other.usage("globex")->seats_used, 2);
}

TEST_F(DirectoryTest, ATenantNoLongerConfiguredKeepsItsRecordsUnseenUntilConfiguredAgain) {
    ASSERT_TRUE(dir.create_user(who, "globex", write(person("kept"))));
    dir.configure_tenants({{"acme", "Acme", std::nullopt}});
    EXPECT_FALSE(dir.find_tenant("globex"));
    EXPECT_FALSE(dir.usage("globex"));
    ASSERT_EQ(dir.usages().size(), 1u);
    EXPECT_EQ(dir.usages().front().settings.id, "acme");
    dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 2}});
    ASSERT_TRUE(dir.usage("globex"));
    EXPECT_EQ(dir.usage("globex")->seats_used, 1);
}

TEST_F(DirectoryTest, ExplicitStatusIsTakenAndMirroredIntoActive) {
    user_write w = write(person("svc"));
    w.status = user_status::disabled;
    auto u = dir.create_user(who, "acme", w);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->status, user_status::disabled);
    EXPECT_FALSE(u->active);
    EXPECT_FALSE(u->resource["active"].get<bool>());
}

TEST_F(DirectoryTest, ModifyBumpsVersionOnlyOnChangeAndChecksExpectedVersion) {
    auto u = dir.create_user(who, "acme", write(person("bjensen")));
    ASSERT_TRUE(u);
    auto same = dir.modify_user(who, "acme", u->id, [](const user& cur) -> result<user_write> {
        user_write w;
        w.resource = cur.resource;
        return w;
    });
    ASSERT_TRUE(same);
    EXPECT_EQ(same->version, 1);

    auto changed = dir.modify_user(
        who, "acme", u->id,
        [](const user& cur) -> result<user_write> {
            user_write w;
            w.resource = cur.resource;
            w.resource["displayName"] = "Babs";
            return w;
        },
        1);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->version, 2);
    EXPECT_EQ(changed->display_name, "Babs");

    auto stale = dir.modify_user(
        who, "acme", u->id, [](const user& cur) -> result<user_write> { return as_write(cur.resource); }, 1);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, error_code::precondition_failed);
    EXPECT_EQ(dir.delete_user(who, "acme", u->id, 1).error().code, error_code::precondition_failed);
    EXPECT_TRUE(dir.delete_user(who, "acme", u->id, 2));
    EXPECT_EQ(dir.get_user("acme", u->id).error().code, error_code::not_found);
}

TEST_F(DirectoryTest, RenameToTakenUserNameIsRefused) {
    auto a = dir.create_user(who, "acme", write(person("alice")));
    auto b = dir.create_user(who, "acme", write(person("bob")));
    ASSERT_TRUE(a && b);
    auto r = dir.modify_user(who, "acme", b->id, [](const user& cur) -> result<user_write> {
        user_write w = as_write(cur.resource);
        w.resource["userName"] = "ALICE";
        return w;
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, error_code::uniqueness);
    // Changing only the case of one's own userName is allowed.
    auto own = dir.modify_user(who, "acme", a->id, [](const user& cur) -> result<user_write> {
        user_write w = as_write(cur.resource);
        w.resource["userName"] = "Alice";
        return w;
    });
    ASSERT_TRUE(own);
    EXPECT_EQ(own->user_name, "Alice");
}

TEST_F(DirectoryTest, IndexesFindByExternalIdAndEmail) {
    auto r = person("bjensen");
    r["externalId"] = "EXT-1";
    auto u = dir.create_user(who, "acme", write(r));
    ASSERT_TRUE(u);
    EXPECT_EQ(dir.find_users("acme", user_index::external_id, "EXT-1").size(), 1u);
    EXPECT_TRUE(dir.find_users("acme", user_index::external_id, "ext-1").empty());  // caseExact
    EXPECT_EQ(dir.find_users("acme", user_index::email, "bjensen@EXAMPLE.com").size(), 1u);
    EXPECT_EQ(dir.find_users("acme", user_index::id, u->id).size(), 1u);
    EXPECT_TRUE(dir.find_users("globex", user_index::email, "bjensen@example.com").empty());
    // Changing the e-mail moves the index entry.
    ASSERT_TRUE(dir.modify_user(who, "acme", u->id, [](const user& cur) -> result<user_write> {
        user_write w = as_write(cur.resource);
        w.resource["emails"] = json::array({{{"value", "new@example.com"}}});
        return w;
    }));
    EXPECT_TRUE(dir.find_users("acme", user_index::email, "bjensen@example.com").empty());
    EXPECT_EQ(dir.find_users("acme", user_index::email, "NEW@example.com").size(), 1u);
}

TEST_F(DirectoryTest, AuditEventsAreWrittenWithTheChange) {
    auto u = dir.create_user(who, "acme", write(person("bjensen")));
    ASSERT_TRUE(u);
    ASSERT_TRUE(dir.modify_user(who, "acme", u->id, [](const user& cur) -> result<user_write> {
        user_write w = as_write(cur.resource);
        w.resource["active"] = false;
        return w;
    }));
    ASSERT_TRUE(dir.delete_user(who, "acme", u->id));
    auto log = dir.audit_log("acme", 10);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].action, "user.delete");
    EXPECT_EQ(log[1].action, "user.update");
    EXPECT_EQ(log[1].summary["before"]["status"], "provisioned");
    EXPECT_EQ(log[1].summary["after"]["status"], "disabled");
    EXPECT_EQ(log[1].summary["changed"], json::array({"active"}));
    EXPECT_EQ(log[2].action, "user.create");
    for (auto& e : log) {
        EXPECT_EQ(e.actor, "scim-token:0123abcd");
        EXPECT_EQ(e.resource_id, u->id);
    }
    // A refused change leaves no audit event.
    ASSERT_FALSE(dir.create_user(who, "acme", write(json{{"userName", ""}})));
    EXPECT_EQ(dir.audit_log("acme", 10).size(), 3u);
    EXPECT_TRUE(dir.audit_log("globex", 10).empty());
}

TEST_F(DirectoryTest, BatchIsAllOrNothing) {
    auto r = dir.in_batch(who, [&](tenant_directory::batch& b) -> result<void> {
        if (auto u = b.create_user("acme", write(person("one"))); !u) return u.error();
        if (auto u = b.create_user("acme", write(person("two"))); !u) return u.error();
        if (auto u = b.create_user("acme", write(person("ONE"))); !u) return u.error();  // duplicate
        return {};
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, error_code::uniqueness);
    EXPECT_EQ(dir.count_users("acme"), 0);
    EXPECT_TRUE(dir.audit_log("acme", 10).empty());

    ASSERT_TRUE(dir.in_batch(who, [&](tenant_directory::batch& b) -> result<void> {
        for (int i = 0; i < 100; ++i)
            if (auto u = b.create_user("acme", write(person("u" + std::to_string(i)))); !u) return u.error();
        return {};
    }));
    EXPECT_EQ(dir.count_users("acme"), 100);
    auto page = dir.list_users("acme", 10, 5);
    ASSERT_EQ(page.size(), 5u);
    EXPECT_EQ(page[0].user_name, "u10");
    EXPECT_EQ(page[4].user_name, "u14");
}

TEST_F(DirectoryTest, SourceAnchorIsUniquePerSource) {
    user_write w = write(person("ldap1"));
    w.source = "corp-ldap";
    w.source_anchor = "6f1c7d2e-0000-4000-8000-000000000001";
    ASSERT_TRUE(dir.create_user(who, "acme", w));
    user_write again = write(person("ldap2"));
    again.source = "corp-ldap";
    again.source_anchor = w.source_anchor;
    auto dup = dir.create_user(who, "acme", again);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, error_code::uniqueness);
}

TEST_F(DirectoryTest, ConcurrentWritersAndReadersStayConsistent) {
    constexpr int per_thread = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                auto u = dir.create_user(who, "acme",
                                         write(person("t" + std::to_string(t) + "-" + std::to_string(i))));
                ASSERT_TRUE(u);
                ASSERT_TRUE(dir.get_user("acme", u->id));
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(dir.count_users("acme"), 4 * per_thread);
}

TEST(DirectoryReopen, DataSurvivesReopen) {
    testing::temp_dir tmp;
    std::string id;
    {
        store::database db(testing::test_store(tmp, "x.db"));
        tenant_directory dir(db);
        dir.configure_tenants({{"acme", "Acme", std::nullopt}});
        auto u = dir.create_user({"cli", "test"}, "acme", as_write(json{{"userName", "keep"}}));
        ASSERT_TRUE(u);
        id = u->id;
    }
    store::database db(testing::test_store(tmp, "x.db"));
    tenant_directory dir(db);
    auto u = dir.get_user("acme", id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->user_name, "keep");
}

}  // namespace
}  // namespace dirsync::directory
