// Two real dirsyncd processes on one PostgreSQL database (active/active behind a load balancer): every rule
// holds across them as within one process. Runs on the run's private cluster (tests/support/test_store.hpp).
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "tests/integration/fleet_fixture.hpp"
#include "tests/support/smtp_sink.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* operator_token = "multi-instance-operator-token";

constexpr const char* globex_admin = "multi-instance-globex-admin-token";

class MultiInstanceTest : public FleetTest<DaemonTest> {
  protected:
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) + "\"\n";
    }
    std::string tenant_extra_yaml(const std::string& id) const override {
        if (id != "globex") return "";
        return "    admin_tokens:\n      - sha256: \"" + common::to_hex(common::sha256(globex_admin)) +
               "\"\n";
    }

    http_result post_user(std::size_t instance, const std::string& token, const std::string& user_name) {
        return call_on(instance, token, "POST", "/scim/v2/Users", user_json(user_name).dump());
    }

    json tenant_on(std::size_t instance, const std::string& id) {
        auto r = call_on(instance, operator_token, "GET", "/admin/v1/tenants/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r);
    }

    static std::string patch_body(const json& operations) {
        return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                    {"Operations", operations}}
            .dump();
    }
};

TEST_F(MultiInstanceTest, BothInstancesServeTheSameRecords) {
    auto r = post_user(0, acme_token, "shared-record");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = parse(r)["id"].get<std::string>();
    auto got = call_on(1, acme_token, "GET", "/scim/v2/Users/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(parse(got)["userName"], "shared-record");
    auto again = parse(call_on(0, acme_token, "GET", "/scim/v2/Users/" + id));
    EXPECT_EQ(again["meta"]["version"], parse(got)["meta"]["version"]);
}

TEST_F(MultiInstanceTest, TenantsAreIsolatedForEveryVerbWhicheverInstanceWroteOrIsAsked) {
    // acme's records, written through one instance; globex asks the other (and then the same one).
    auto made = post_user(0, acme_token, "alice");
    ASSERT_EQ(made.status, 201) << made.body;
    const auto user = parse(made)["id"].get<std::string>();
    auto group_made = call_on(0, acme_token, "POST", "/scim/v2/Groups",
                              json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                   {"displayName", "Acme Admins"},
                                   {"members", {{{"value", user}}}}}
                                  .dump());
    ASSERT_EQ(group_made.status, 201) << group_made.body;
    const auto group = parse(group_made)["id"].get<std::string>();
    // As each instance serves them (their locations name the instance asked).
    const json user_before[] = {parse(call_on(0, acme_token, "GET", "/scim/v2/Users/" + user)),
                                parse(call_on(1, acme_token, "GET", "/scim/v2/Users/" + user))};
    const json group_before[] = {parse(call_on(0, acme_token, "GET", "/scim/v2/Groups/" + group)),
                                 parse(call_on(1, acme_token, "GET", "/scim/v2/Groups/" + group))};
    const std::string rename = patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", "pwned"}}});

    for (std::size_t i : {1, 0}) {
        SCOPED_TRACE("instance " + std::to_string(i));
        for (const auto& [method, target, body] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"GET", "/scim/v2/Users/" + user, ""},
                 {"PUT", "/scim/v2/Users/" + user, user_json("mallory").dump()},
                 {"PATCH", "/scim/v2/Users/" + user, rename},
                 {"DELETE", "/scim/v2/Users/" + user, ""},
                 {"GET", "/scim/v2/Groups/" + group, ""},
                 {"PUT", "/scim/v2/Groups/" + group,
                  json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "pwned"}}
                      .dump()},
                 {"PATCH", "/scim/v2/Groups/" + group, rename},
                 {"DELETE", "/scim/v2/Groups/" + group, ""}}) {
            SCOPED_TRACE(method + " " + target);
            expect_scim_error(call_on(i, globex_token, method, target, body), 404);
        }
        for (const std::string& query :
             std::vector<std::string>{"/scim/v2/Users", "/scim/v2/Users?filter=userName%20eq%20%22alice%22",
                                      "/scim/v2/Users?filter=id%20eq%20%22" + user + "%22", "/scim/v2/Groups",
                                      "/scim/v2/Groups?filter=displayName%20eq%20%22Acme%20Admins%22"}) {
            auto r = call_on(i, globex_token, "GET", query);
            ASSERT_EQ(r.status, 200) << query << ": " << r.body;
            EXPECT_EQ(parse(r)["totalResults"], 0) << query;
        }
        auto searched = call_on(i, globex_token, "POST", "/scim/v2/.search",
                                R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})");
        EXPECT_EQ(parse(searched)["totalResults"], 0) << searched.body;
        // Bulk reaches no further.
        auto bulk =
            call_on(i, globex_token, "POST", "/scim/v2/Bulk",
                    json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                         {"Operations",
                          {{{"method", "DELETE"}, {"path", "/Users/" + user}},
                           {{"method", "PATCH"},
                            {"path", "/Groups/" + group},
                            {"data", json::parse(patch_body({{{"op", "remove"}, {"path", "members"}}}))}}}}}
                        .dump());
        ASSERT_EQ(bulk.status, 200) << bulk.body;
        for (const auto& op : parse(bulk)["Operations"]) EXPECT_EQ(op["status"], "404") << bulk.body;
        // The admin API: another tenant is unknown to globex's administrator, and acme's user is not
        // found under globex.
        for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", "/admin/v1/tenants/acme"},
                 {"GET", "/admin/v1/tenants/acme/users"},
                 {"GET", "/admin/v1/tenants/acme/users/" + user},
                 {"POST", "/admin/v1/tenants/acme/users/" + user + "/disable"},
                 {"DELETE", "/admin/v1/tenants/acme/users/" + user},
                 {"GET", "/admin/v1/tenants/acme/audit"}}) {
            SCOPED_TRACE(method + " " + target);
            expect_admin_error(call_on(i, globex_admin, method, target), 404, "unknown_tenant");
        }
        EXPECT_EQ(call_on(i, globex_admin, "GET", "/admin/v1/tenants/globex/users/" + user).status, 404);
    }
    // A globex group cannot take acme's user as a member, through either instance.
    auto theirs = call_on(
        1, globex_token, "POST", "/scim/v2/Groups",
        json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "Theirs"}}.dump());
    ASSERT_EQ(theirs.status, 201) << theirs.body;
    expect_scim_error(
        call_on(0, globex_token, "PATCH", "/scim/v2/Groups/" + parse(theirs)["id"].get<std::string>(),
                patch_body({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", user}}}}}})),
        400, "invalidValue");
    // Nothing of acme changed, seen from both; the same userName is free in globex.
    for (std::size_t i : {0, 1}) {
        EXPECT_EQ(parse(call_on(i, acme_token, "GET", "/scim/v2/Users/" + user)), user_before[i]);
        EXPECT_EQ(parse(call_on(i, acme_token, "GET", "/scim/v2/Groups/" + group)), group_before[i]);
    }
    EXPECT_EQ(post_user(1, globex_token, "alice").status, 201);
}

TEST_F(MultiInstanceTest, AStormOfCreatesOfOneUserNameMakesExactlyOneUser) {
    for (int round = 0; round < 5; ++round) {
        const std::string name = "storm-" + std::to_string(round);
        std::atomic<int> created{0}, conflicts{0}, other{0};
        std::vector<std::thread> clients;
        for (std::size_t i = 0; i < 8; ++i)
            clients.emplace_back([&, i] {
                auto r = post_user(i, acme_token, name);
                if (r.status == 201)
                    ++created;
                else if (r.status == 409 && parse(r)["scimType"] == "uniqueness")
                    ++conflicts;
                else
                    ++other;
            });
        for (auto& c : clients) c.join();
        EXPECT_EQ(created, 1) << name;
        EXPECT_EQ(conflicts, 7) << name;
        EXPECT_EQ(other, 0) << name;
    }
    EXPECT_EQ(tenant_on(1, "acme")["users"]["total"], 5);
}

TEST_F(MultiInstanceTest, TheLastSeatsAreGrantedOnceFromBothInstances) {
    // globex has 3 seats; twelve users arrive at once through both instances.
    std::vector<std::thread> clients;
    std::atomic<int> created{0};
    for (std::size_t i = 0; i < 12; ++i)
        clients.emplace_back([&, i] {
            if (post_user(i, globex_token, "seat-" + std::to_string(i)).status == 201) ++created;
        });
    for (auto& c : clients) c.join();
    EXPECT_EQ(created, 12);
    for (std::size_t i = 0; i < 2; ++i) {
        auto t = tenant_on(i, "globex");
        EXPECT_EQ(t["seats"], json({{"limit", 3}, {"used", 3}, {"free", 0}})) << t.dump();
        EXPECT_EQ(t["users"]["requested"], 9) << t.dump();
    }
}

TEST_F(MultiInstanceTest, AnInstanceKilledUnderWriteLoadLosesNoAnsweredWriteAndTheOtherServesOn) {
    // Six clients, three per instance, each creating users, renaming each, and deleting every third: what
    // was answered must hold through the survivor. A request without an answer (the instance died under
    // it) leaves its user's state unknown, and unchecked.
    struct expected {
        bool deleted = false;
        std::optional<std::string> display;  ///< the last answered rename
        bool unknown = false;
    };
    std::mutex m;
    std::map<std::string, expected> users;
    std::atomic<int> renames{0}, deletes{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (std::size_t t = 0; t < 6; ++t)
        clients.emplace_back([&, t] {
            // The answer to one request; nullopt when none came (the instance is gone or went under it).
            auto send = [&](const std::string& method, const std::string& target,
                            const std::string& body) -> std::optional<http_result> {
                try {
                    auto r = call_on(t, acme_token, method, target, body);
                    if (r.status == 0) return std::nullopt;
                    return r;
                } catch (const std::exception&) {
                    return std::nullopt;
                }
            };
            std::string previous;
            for (int i = 0; !stop; ++i) {
                const std::string name = "load-" + std::to_string(t) + "-" + std::to_string(i);
                auto made = send("POST", "/scim/v2/Users", user_json(name).dump());
                if (!made) {
                    if (t % 2 == 0) return;  // the first instance is gone
                    continue;
                }
                if (made->status != 201) continue;
                const auto id = parse(*made)["id"].get<std::string>();
                {
                    std::lock_guard lock(m);
                    users[id] = {};
                }
                const std::string display = "Renamed " + name;
                auto renamed =
                    send("PATCH", "/scim/v2/Users/" + id,
                         patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", display}}}));
                {
                    std::lock_guard lock(m);
                    if (!renamed)
                        users[id].unknown = true;
                    else if (renamed->status == 200) {
                        users[id].display = display;
                        ++renames;
                    }
                }
                if (i % 3 == 2 && !previous.empty()) {
                    auto gone = send("DELETE", "/scim/v2/Users/" + previous, "");
                    std::lock_guard lock(m);
                    if (!gone)
                        users[previous].unknown = true;
                    else if (gone->status == 204) {
                        users[previous].deleted = true;
                        ++deletes;
                    }
                }
                previous = id;
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    daemon_->kill_hard();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the second instance keeps taking writes
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_GT(users.size(), 10u);
    EXPECT_GT(renames, 5);
    EXPECT_GT(deletes, 2);
    std::size_t checked = 0;
    for (const auto& [id, want] : users) {
        if (want.unknown) continue;
        ++checked;
        auto r = call_on(1, acme_token, "GET", "/scim/v2/Users/" + id);
        if (want.deleted) {
            EXPECT_EQ(r.status, 404) << id << " was deleted: " << r.body;
            continue;
        }
        ASSERT_EQ(r.status, 200) << id << ": " << r.body;
        if (want.display) {
            EXPECT_EQ(parse(r)["displayName"], *want.display) << id;
        }
    }
    EXPECT_GT(checked, 10u);
    // And it still writes.
    EXPECT_EQ(post_user(1, acme_token, "after-the-kill").status, 201);
}

TEST_F(MultiInstanceTest, AnOutdatedVersionIsRefusedWhicheverInstanceWrote) {
    auto r = post_user(0, acme_token, "versioned");
    ASSERT_EQ(r.status, 201);
    const auto id = parse(r)["id"].get<std::string>();
    const auto etag = r.header("ETag");
    ASSERT_FALSE(etag.empty());
    auto patch = [&](std::size_t instance, const std::string& display) {
        http_client c(instance_port(instance));
        json body = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                     {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", display}}}}};
        return c.request("PATCH", "/scim/v2/Users/" + id, body.dump(),
                         {"Authorization: Bearer " + std::string(acme_token),
                          "Content-Type: application/scim+json", "If-Match: " + etag});
    };
    EXPECT_EQ(patch(1, "From the second").status, 200);
    auto late = patch(0, "From the first, late");
    EXPECT_EQ(late.status, 412) << late.body;
}

/// Both instances run an outbox worker on the one outbox, delivering to a real SMTP server.
class MultiInstanceOutboxTest : public FleetTest<DaemonTest> {
  protected:
    smtp_sink mail_;

    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) +
               "\"\n"
               "logging: { level: debug }\n"
               "notifications:\n"
               "  email:\n"
               "    smtp: " +
               mail_.url() +
               "\n"
               "    starttls: none\n"
               "    from: access@dirsync.example\n"
               "    timeout: 3s\n";
    }
    std::string tenant_extra_yaml(const std::string& id) const override {
        if (id != "acme") return "";
        return "    owner: owner@acme.example\n"
               "    provisioning: invite\n"
               "    invitations:\n"
               "      link: \"https://app.example.com/join?code={code}\"\n"
               "      daily_limit: 1000\n";
    }
};

TEST_F(MultiInstanceOutboxTest, EachMessageIsDeliveredOnceWhileBothInstancesDeliver) {
    // Invitations arrive through both instances over about four seconds, so both workers (each looking
    // every second) find messages due.
    constexpr int requests = 20;
    std::set<std::string> invited;
    for (int n = 0; n < requests; ++n) {
        const std::string a = "p" + std::to_string(n) + "a@acme.example";
        const std::string b = "p" + std::to_string(n) + "b@acme.example";
        auto r = call_on(static_cast<std::size_t>(n), operator_token, "POST",
                         "/admin/v1/tenants/acme/invitations", json{{"emails", {a, b}}}.dump());
        ASSERT_EQ(r.status, 200) << r.body;
        ASSERT_EQ(parse(r)["invited"], 2) << r.body;
        invited.insert({a, b});
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    auto delivered = [&] {
        auto r = call_on(1, operator_token, "GET", "/admin/v1/tenants/acme/notifications?limit=200");
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r)["notifications"];
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (mail_.messages().size() < invited.size() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Both workers look at least twice more: nothing is sent again.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));

    const auto messages = mail_.messages();
    std::multiset<std::string> recipients;
    for (const auto& m : messages)
        for (const auto& to : m["rcpt_tos"]) recipients.insert(to.get<std::string>());
    EXPECT_EQ(messages.size(), invited.size());
    EXPECT_EQ(std::set<std::string>(recipients.begin(), recipients.end()), invited);
    for (const auto& address : invited) EXPECT_EQ(recipients.count(address), 1u) << address;
    const auto outbox = delivered();
    ASSERT_EQ(outbox.size(), invited.size()) << outbox.dump();
    for (const auto& m : outbox) {
        EXPECT_EQ(m["state"], "delivered") << m;
        EXPECT_EQ(m["attempts"], 1) << m;
    }
    // The work was shared: each instance delivered some of it.
    EXPECT_NE(daemon_->log().find("delivered "), std::string::npos);
    EXPECT_NE(second_->log().find("delivered "), std::string::npos);
}

}  // namespace
}  // namespace dirsync::testing
