// LDAP reconciliation end to end: a real slapd (tests/support/slapd_fixture.hpp) read by the real dirsyncd on
// its schedule and through the admin API, with the results checked over SCIM and the admin API.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "common/sha256.hpp"
#include "ldap/blocking_client.hpp"
#include "tests/integration/sync_fixture.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/slapd_fixture.hpp"

namespace dirsync::testing {
namespace {

constexpr std::size_t people = 300;
constexpr std::size_t group_members = 40;

slapd_options directory_options() {
    slapd_options o;
    o.bulk_people = people;
    o.big_group_members = group_members;
    o.syncprov_sessionlog = 1000;
    return o;
}

class SyncLdapTest : public SyncDaemonTest {
  protected:
    slapd_server slapd{directory_options()};
    std::string users_filter = "(objectClass=inetOrgPerson)";
    std::string users_base = "ou=Bulk,dc=example,dc=com";
    std::string password_file_content = slapd_server::reader_password;
    std::string extra_source_yaml;
    std::string display_name = "{cn}";
    std::string extra_sources_yaml;  ///< more items of `sources:`

    void SetUp() override {
        std::ofstream(dir_.file("ldap.pw")) << password_file_content << "\n";
        DaemonTest::SetUp();
    }

    std::string extra_top_level_yaml() const override {
        return admin_tokens_yaml() +
               "sources:\n"
               "  - name: corp\n"
               "    tenant: acme\n"
               "    type: ldap\n"
               "    flavour: openldap\n"
               "    url: " +
               slapd.ldap_url() +
               "\n"
               "    bind_dn: " +
               slapd_server::reader_dn +
               "\n"
               "    bind_password: { file: " +
               dir_.file("ldap.pw") +
               " }\n"
               "    schedule: { every: 1h, jitter: 1ms }\n"
               "    timeouts: { connect: 5s, operation: 3s, run: 60s }\n"
               "    users:\n"
               "      base_dn: " +
               users_base +
               "\n"
               "      filter: \"" +
               users_filter +
               "\"\n"
               "      map:\n"
               "        userName: \"{uid}\"\n"
               "        name.familyName: \"{sn}\"\n"
               "        displayName: \"" +
               display_name +
               "\"\n"
               "        emails[type eq \"work\"].value: \"{mail|lower}\"\n"
               "    groups:\n"
               "      base_dn: ou=Groups,dc=example,dc=com\n"
               "    roles:\n"
               "      - { role: admin, when_member_of: \"cn=Big Group,ou=Groups,dc=example,dc=com\" }\n"
               "    safety: { max_orphans: 100, max_orphan_ratio: 0.5 }\n" +
               extra_source_yaml + extra_sources_yaml;
    }

    std::unique_ptr<ldap::blocking_client> writer() {
        ldap::connection_settings c;
        c.url = slapd.ldap_url();
        c.bind_dn = slapd_server::admin_dn;
        c.bind_password = ldap::secret(slapd_server::admin_password);
        c.operation_timeout = std::chrono::seconds(5);
        auto w = std::make_unique<ldap::blocking_client>(std::move(c));
        auto connected = w->connect();
        EXPECT_TRUE(connected) << (connected ? "" : connected.error().message);
        return w;
    }

    static std::string person_dn(int i) {
        char uid[32];
        std::snprintf(uid, sizeof uid, "person%05d", i);
        return std::string("uid=") + uid + ",ou=Bulk,dc=example,dc=com";
    }
};

TEST_F(SyncLdapTest, InitialRunCreatesUsersGroupsAndRolesThenNothingChanges) {
    auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(first["trigger"], "schedule");
    EXPECT_EQ(first["mode"], "full");
    EXPECT_EQ(first["counts"]["created"], people);
    EXPECT_EQ(user_count(), static_cast<std::int64_t>(people));

    auto u = find_user("person00007");
    ASSERT_FALSE(u.is_null());
    EXPECT_EQ(u["displayName"], "Person 7");
    EXPECT_EQ(u["name"]["familyName"], "7");
    EXPECT_EQ(u["emails"][0]["value"], "person00007@example.com");
    EXPECT_EQ(u["emails"][0]["type"], "work");
    EXPECT_EQ(u["active"], true);

    auto groups =
        parse(call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22Big%20Group%22"));
    ASSERT_EQ(groups["totalResults"], 1) << groups.dump();
    EXPECT_EQ(groups["Resources"][0]["members"].size(), group_members);

    // A second run over an unchanged directory writes nothing.
    auto second = run_now(R"({"mode":"full"})");
    ASSERT_EQ(second["status"], "ok") << second.dump();
    EXPECT_EQ(second["trigger"], "manual");
    EXPECT_EQ(second["counts"]["created"], 0);
    EXPECT_EQ(second["counts"]["updated"], 0);
    EXPECT_EQ(second["counts"]["unchanged"], people);
    EXPECT_EQ(
        parse(call(acme_token, "GET", "/scim/v2/Users/" + u["id"].get<std::string>()))["meta"]["version"],
        u["meta"]["version"]);

    // The CLI sees the same history.
    auto sources = parse(admin("GET", "/sync/sources"));
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources[0]["name"], "corp");
    EXPECT_EQ(sources[0]["last_run"]["id"], second["id"]);
}

TEST_F(SyncLdapTest, AReloadedSourceRunsWithItsNewRulesAndSourcesComeAndGo) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    display_name = "{cn} (corp)";
    extra_sources_yaml =
        "  - name: second\n    tenant: globex\n    type: ldap\n    url: " + slapd.ldap_url() +
        "\n    bind_dn: " + slapd_server::reader_dn + "\n    bind_password: { file: " + dir_.file("ldap.pw") +
        " }\n    schedule: { every: 1h }\n    users:\n      base_dn: " + users_base +
        "\n      map:\n        userName: \"{uid}\"\n";
    write_config();
    auto r = admin("POST", "/reload");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("source second added"), std::string::npos) << r.body;
    auto sources = parse(admin("GET", "/sync/sources"));
    ASSERT_EQ(sources.size(), 2u) << sources.dump();
    EXPECT_EQ(sources[1]["name"], "second");
    EXPECT_FALSE(sources[1]["next_run"].is_null()) << "a new source is scheduled";

    auto run = run_now(R"({"mode":"full"})");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["counts"]["updated"], people);
    EXPECT_EQ(find_user("person00007")["displayName"], "Person 7 (corp)");

    extra_sources_yaml.clear();
    write_config();
    r = admin("POST", "/reload");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("source second removed"), std::string::npos) << r.body;
    EXPECT_EQ(parse(admin("GET", "/sync/sources")).size(), 1u);
    EXPECT_EQ(admin("GET", "/sync/sources/second").status, 404);
}

TEST_F(SyncLdapTest, ChangesRenamesMovesAndOrphans) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    auto before = find_user("person00010");
    ASSERT_FALSE(before.is_null());
    auto w = writer();
    // Attribute change, rename (new uid/RDN) and move out of the base.
    ASSERT_TRUE(w->modify(person_dn(10), {{ldap::modification::operation::replace, "cn", {"Renamed Ten"}}}));
    ASSERT_TRUE(w->rename(person_dn(11), "uid=person-eleven"));
    ASSERT_TRUE(w->modify("uid=person-eleven,ou=Bulk,dc=example,dc=com",
                          {{ldap::modification::operation::replace, "uid", {"person-eleven"}}}));
    ASSERT_TRUE(w->rename(person_dn(12), "uid=person00012", "ou=Services,dc=example,dc=com"));
    auto eleven = find_user("person00011");

    auto run = run_now(R"({"mode":"full"})");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["counts"]["updated"], 2) << run.dump();
    EXPECT_EQ(run["counts"]["orphaned"], 1) << run.dump();

    auto after = find_user("person00010");
    EXPECT_EQ(after["id"], before["id"]);
    EXPECT_EQ(after["displayName"], "Renamed Ten");
    auto renamed = find_user("person-eleven");
    ASSERT_FALSE(renamed.is_null());
    EXPECT_EQ(renamed["id"], eleven["id"]) << "a rename keeps the record (same anchor)";
    EXPECT_TRUE(find_user("person00011").is_null());
    EXPECT_EQ(user_count(), static_cast<std::int64_t>(people));  // the orphan is kept

    // The moved entry comes back: un-orphaned, same record.
    ASSERT_TRUE(w->rename("uid=person00012,ou=Services,dc=example,dc=com", "uid=person00012",
                          "ou=Bulk,dc=example,dc=com"));
    auto back = run_now(R"({"mode":"full"})");
    ASSERT_EQ(back["status"], "ok") << back.dump();
    EXPECT_EQ(back["counts"]["unorphaned"], 1) << back.dump();
}

TEST_F(SyncLdapTest, SyncreplIncrementalSeesAddModifyAndDelete) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    auto w = writer();
    ldap::entry added;
    added.dn = "uid=newcomer,ou=Bulk,dc=example,dc=com";
    added.attributes = {{"objectClass", {"inetOrgPerson"}},
                        {"uid", {"newcomer"}},
                        {"cn", {"New Comer"}},
                        {"sn", {"Comer"}},
                        {"mail", {"NewComer@Example.com"}}};
    ASSERT_TRUE(w->add(added));
    ASSERT_TRUE(w->modify(person_dn(20), {{ldap::modification::operation::replace, "sn", {"Twenty"}}}));
    ASSERT_TRUE(w->remove(person_dn(21)));

    auto run = run_now(R"({"mode":"incremental"})");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["mode"], "incremental");
    EXPECT_EQ(run["counts"]["read"], 2) << run.dump();
    EXPECT_EQ(run["counts"]["created"], 1) << run.dump();
    EXPECT_EQ(run["counts"]["updated"], 1) << run.dump();
    EXPECT_EQ(run["counts"]["orphaned"], 1) << run.dump();
    auto n = find_user("newcomer");
    ASSERT_FALSE(n.is_null());
    EXPECT_EQ(n["emails"][0]["value"], "newcomer@example.com");
    EXPECT_EQ(find_user("person00020")["name"]["familyName"], "Twenty");
}

TEST_F(SyncLdapTest, DryRunWritesNothing) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    auto w = writer();
    ASSERT_TRUE(w->modify(person_dn(30), {{ldap::modification::operation::replace, "cn", {"Dry Thirty"}}}));
    auto run = run_now(R"({"dry_run":true,"mode":"full"})");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["dry_run"], true);
    EXPECT_EQ(run["counts"]["updated"], 1);
    EXPECT_EQ(find_user("person00030")["displayName"], "Person 30");
}

TEST_F(SyncLdapTest, ADryRunAfterARuleChangeReadsInFullAndNeverBecomesTheLastRun) {
    const auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok");
    // The rules change; the directory does not. An incremental read would see nothing to do.
    display_name = "{cn} (trial)";
    write_config();
    ASSERT_EQ(admin("POST", "/reload").status, 200);
    auto run = run_now(R"({"dry_run":true})");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["mode"], "full");
    EXPECT_EQ(run["counts"]["updated"], people) << "the plan shows what the new rules would change";
    EXPECT_EQ(find_user("person00007")["displayName"], "Person 7") << "a dry run writes nothing";
    const auto source = parse(admin("GET", "/sync/sources/corp"));
    EXPECT_EQ(source["last_run"]["id"], first["id"]) << source.dump();
    EXPECT_EQ(source["last_dry_run"]["id"], run["id"]) << source.dump();

    // The admin API returns the plan the dry run kept, not only its counts.
    EXPECT_EQ(run["has_plan"], true) << run.dump();
    auto plan = parse(admin("GET", "/sync/runs/" + run["id"].dump() + "/plan"));
    EXPECT_EQ(plan["tenant"], "acme") << plan.dump();
    EXPECT_EQ(plan["totals"]["updates"], people);
    ASSERT_EQ(plan["updates"].size(), people);
    EXPECT_EQ(plan["truncated"], false);
    const auto& after = plan["updates"][0]["changes"]["displayName"]["after"];
    ASSERT_TRUE(after.is_string()) << plan["updates"][0].dump();
    EXPECT_TRUE(after.get<std::string>().ends_with(" (trial)")) << after;
    // A real run keeps none.
    auto none = admin("GET", "/sync/runs/" + first["id"].dump() + "/plan");
    EXPECT_EQ(none.status, 404);
    EXPECT_NE(none.body.find("only dry runs keep theirs"), std::string::npos) << none.body;

    // dirsyncctl waits for a dry run and prints its plan.
    std::ofstream(dir_.file("admin.token")) << admin_token << "\n";
    auto [status, out] =
        run_command(std::string(DIRSYNCCTL_PATH) + " sync run corp --dry-run --url http://127.0.0.1:" +
                    std::to_string(port()) + " --token-file " + dir_.file("admin.token") + " 2>&1");
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("would update  person"), std::string::npos) << out;
    EXPECT_NE(out.find(" (trial)\""), std::string::npos) << out;
}

/// A process started by the test (so that it can be killed and reaped), its output in `log_file`.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_file) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

TEST_F(SyncLdapTest, OneRunPerSourceWhoeverStartsIt) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    const std::string sync_cli = std::string(DIRSYNCD_PATH) + " sync --config " + dir_.file("dirsyncd.yaml") +
                                 " --source corp --full --no-progress";

    // The daemon runs the source (held up by a directory that does not answer): a one-shot run does not
    // start.
    slapd.suspend();
    auto started = admin("POST", "/sync/sources/corp/runs", R"({"mode":"full"})");
    ASSERT_EQ(started.status, 202) << started.body;
    const auto daemon_run = parse(started)["run"].get<std::int64_t>();
    auto [status, out] = run_command(sync_cli + " 2>&1");
    EXPECT_EQ(status, 4) << out;
    EXPECT_NE(out.find("run " + std::to_string(daemon_run) + " of corp is in progress"), std::string::npos)
        << out;
    EXPECT_NE(out.find(":" + std::to_string(daemon_->pid()) + ")"), std::string::npos)
        << "names the daemon: " << out;
    slapd.resume();
    wait_run(daemon_run);

    // A one-shot run holds the source: the daemon does not start another, and says who has it.
    slapd.suspend();
    const pid_t cli = spawn({std::string(DIRSYNCD_PATH), "sync", "--config", dir_.file("dirsyncd.yaml"),
                             "--source", "corp", "--full", "--no-progress"},
                            dir_.file("cli.log"));
    ASSERT_GT(cli, 0);
    std::int64_t cli_run = 0;
    for (int i = 0; i < 200 && cli_run == 0; ++i) {
        auto runs = parse(admin("GET", "/sync/sources/corp/runs?limit=1"));
        if (runs.is_array() && !runs.empty() && runs[0]["trigger"] == "cli" && runs[0]["status"] == "running")
            cli_run = runs[0]["id"].get<std::int64_t>();
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_NE(cli_run, 0) << "the one-shot run did not start";
    auto refused = admin("POST", "/sync/sources/corp/runs", R"({"mode":"full"})");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(parse(refused)["code"], "run_in_progress") << refused.body;
    EXPECT_NE(refused.body.find(":" + std::to_string(cli) + ")"), std::string::npos) << refused.body;
    EXPECT_EQ(
        parse(admin("GET", "/sync/runs/" + std::to_string(cli_run)))["holder"].get<std::string>(),
        refused.body.substr(refused.body.find('(') + 1, refused.body.find(')') - refused.body.find('(') - 1));

    // Killed mid-run, it leaves its lease behind: the daemon takes the source over at once (the process is
    // gone) and marks the run interrupted.
    ASSERT_EQ(::kill(cli, SIGKILL), 0);
    ASSERT_EQ(::waitpid(cli, nullptr, 0), cli);
    slapd.resume();
    auto after = run_now(R"({"mode":"full"})");
    EXPECT_EQ(after["status"], "ok") << after.dump();
    auto interrupted = parse(admin("GET", "/sync/runs/" + std::to_string(cli_run)));
    EXPECT_EQ(interrupted["status"], "failed") << interrupted.dump();
    EXPECT_EQ(interrupted["errors"], nlohmann::json::array({"interrupted"})) << interrupted.dump();
}

TEST_F(SyncLdapTest, MassOrphaningIsBlockedUntilReleased) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    // 200 of 300 entries leave the source: above max_orphans (100) and max_orphan_ratio (50%).
    auto w = writer();
    for (int i = 101; i <= 300; ++i) ASSERT_TRUE(w->remove(person_dn(i)));
    auto run = run_now(R"({"mode":"full"})");
    ASSERT_EQ(run["status"], "blocked") << run.dump();
    EXPECT_NE(run["blocked_reason"].get<std::string>().find("orphan"), std::string::npos);
    EXPECT_EQ(run["counts"]["orphaned"], 0);
    EXPECT_EQ(find_user("person00200")["active"], true);

    auto again = run_now(R"({"mode":"full"})");
    ASSERT_EQ(again["status"], "blocked") << "stays blocked until released";

    auto released =
        admin("POST", "/sync/sources/corp/runs/" + std::to_string(again["id"].get<int>()) + "/release");
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(
        admin("POST", "/sync/sources/corp/runs/" + std::to_string(run["id"].get<int>()) + "/release").status,
        409)
        << "only the latest blocked run can be released";
    // A release schedules the source's next run at once; it applies what was held back.
    nlohmann::json after;
    for (int i = 0; i < 300 && after.is_null(); ++i) {
        auto runs = parse(admin("GET", "/sync/sources/corp/runs?limit=1"));
        if (!runs.empty() && runs[0]["id"].get<int>() > again["id"].get<int>())
            after = wait_run(runs[0]["id"]);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(after.is_null()) << "no run after the release";
    ASSERT_EQ(after["status"], "ok") << after.dump();
    EXPECT_EQ(after["counts"]["orphaned"], 200) << after.dump();
    auto next = run_now(R"({"mode":"full"})");
    EXPECT_EQ(next["status"], "ok") << "the orphans are done: the source is no longer blocked";
    EXPECT_EQ(next["counts"]["orphaned"], 0);
}

TEST_F(SyncLdapTest, AFilterThatExcludesMostEntriesIsBlocked) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    // The admin narrows the filter to person00001..person00009: 291 of 300 records would be orphaned.
    users_filter = "(&(objectClass=inetOrgPerson)(uid=person0000*))";
    write_config();
    restart();
    auto run = run_now(R"({"mode":"full"})");
    ASSERT_EQ(run["status"], "blocked") << run.dump();
    EXPECT_NE(run["blocked_reason"].get<std::string>().find("291"), std::string::npos) << run.dump();
    EXPECT_EQ(run["counts"]["orphaned"], 0);
    EXPECT_EQ(run["counts"]["orphans_planned"], 291) << run.dump();
    // Held back: the 291 orphans and the 31 removals from Big Group of members the filter no longer reads.
    EXPECT_EQ(run["counts"]["held_back"], 291 + static_cast<int>(group_members) - 9) << run.dump();
    auto sources = parse(admin("GET", "/sync/sources"));
    EXPECT_EQ(sources[0]["blocked"], true);
}

TEST_F(SyncLdapTest, AnEmptyBaseIsBlocked) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    // The base is emptied (here: pointed at an OU without people): zero entries while the source owns 300.
    users_base = "ou=Groups,dc=example,dc=com";
    write_config();
    restart();
    auto run = run_now(R"({"mode":"full"})");
    ASSERT_EQ(run["status"], "blocked") << run.dump();
    EXPECT_EQ(run["counts"]["orphaned"], 0);
    EXPECT_EQ(user_count(), static_cast<std::int64_t>(people));
    EXPECT_EQ(find_user("person00001")["active"], true);
}

class SyncLdapLiveTest : public SyncLdapTest {
  protected:
    SyncLdapLiveTest() { extra_source_yaml = "    live: true\n"; }

    /// Waits until the source's live watch is up.
    void wait_watching() {
        for (int i = 0; i < 200; ++i) {
            auto source = parse(admin("GET", "/sync/sources/corp"));
            if (source.contains("live") && source["live"].value("watching", false)) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "the live watch did not start: " << admin("GET", "/sync/sources/corp").body;
    }

    /// Waits (up to `limit`) until `check` holds.
    template <class Check>
    bool eventually(Check check, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (check()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return check();
    }

    static ldap::entry person(const std::string& uid) {
        ldap::entry e;
        e.dn = "uid=" + uid + ",ou=Bulk,dc=example,dc=com";
        e.attributes = {
            {"objectClass", {"inetOrgPerson"}}, {"uid", {uid}}, {"cn", {"Live " + uid}}, {"sn", {"Live"}}};
        return e;
    }

    std::string user_status(const std::string& user_name) {
        auto u = find_user(user_name);
        if (u.is_null()) return "absent";
        return parse(admin("GET", "/tenants/acme/users/" + u["id"].get<std::string>())).value("status", "?");
    }
};

TEST_F(SyncLdapLiveTest, ChangesArriveWithoutWaitingForTheSchedule) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    wait_watching();
    auto w = writer();
    ASSERT_TRUE(w->add(person("live-one")));
    EXPECT_TRUE(eventually([&] { return !find_user("live-one").is_null(); }));
    ASSERT_TRUE(w->modify(person_dn(30), {{ldap::modification::operation::replace, "cn", {"Thirty Live"}}}));
    EXPECT_TRUE(eventually([&] { return find_user("person00030")["displayName"] == "Thirty Live"; }));
    ASSERT_TRUE(w->remove(person_dn(31)));
    EXPECT_TRUE(eventually([&] { return user_status("person00031") == "orphan"; }));

    // The live changes read as one continuous run: the add and the modify in one run with both counts; the
    // delete in a run of its own (runs that orphan stay apart for the safety rules).
    ASSERT_TRUE(
        eventually([&] { return parse(admin("GET", "/sync/sources/corp"))["running_run"].is_null(); }));
    auto runs = parse(admin("GET", "/sync/sources/corp/runs"));
    ASSERT_TRUE(runs.is_array());
    std::vector<nlohmann::json> live;
    for (const auto& r : runs)
        if (r["trigger"] == "live") live.insert(live.begin(), r);  // oldest first
    ASSERT_EQ(live.size(), 2u) << runs.dump();
    EXPECT_EQ(live[0]["status"], "ok") << live[0].dump();
    EXPECT_EQ(live[0]["mode"], "incremental");
    EXPECT_EQ(live[0]["counts"]["created"], 1) << live[0].dump();
    EXPECT_EQ(live[0]["counts"]["updated"], 1) << live[0].dump();
    EXPECT_EQ(live[1]["counts"]["orphaned"], 1) << live[1].dump();
    EXPECT_EQ(live[1]["counts"]["created"], 0) << live[1].dump();

    // slapd restarts: the watch comes back on its own and changes flow again.
    ASSERT_TRUE(slapd.restart()) << slapd.log();
    ASSERT_TRUE(eventually([&] { return daemon_->log().find("live watch ended") != std::string::npos; }));
    auto again = writer();
    ASSERT_TRUE(again->add(person("live-two")));
    EXPECT_TRUE(eventually([&] { return !find_user("live-two").is_null(); }, std::chrono::seconds(20)))
        << daemon_->log();
}

TEST_F(SyncLdapLiveTest, ABurstOfDeletesIsHeldLikeABlockedRun) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    wait_watching();
    auto w = writer();
    for (int i = 100; i < 260; ++i) ASSERT_TRUE(w->remove(person_dn(i)));  // 160 > safety.max_orphans (100)
    ASSERT_TRUE(eventually([&] { return parse(admin("GET", "/sync/sources/corp"))["blocked"] == true; }));
    // Deleted one by one, the first ones were orphaned by live runs until the count passed the limit; the
    // rest are held, not orphaned.
    EXPECT_EQ(user_status("person00259"), "provisioned");
    auto source = parse(admin("GET", "/sync/sources/corp"));
    const auto blocked_run = source["last_run"];
    EXPECT_EQ(blocked_run["trigger"], "live") << blocked_run.dump();
    EXPECT_EQ(blocked_run["status"], "blocked") << blocked_run.dump();
    // Further changes do not run into the held deletes again and again.
    ASSERT_TRUE(w->add(person("live-three")));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(parse(admin("GET", "/sync/sources/corp"))["last_run"]["id"], blocked_run["id"]);

    // A release lets through what the blocked run planned; deletes that arrived while it waited are held in
    // turn by the run the release starts, and released the same way.
    for (int round = 0; round < 3 && user_status("person00259") != "orphan"; ++round) {
        auto state = parse(admin("GET", "/sync/sources/corp"));
        if (state["blocked"] == true) {
            const auto id = state["last_run"]["id"].get<std::int64_t>();
            auto released = admin("POST", "/sync/sources/corp/runs/" + std::to_string(id) + "/release");
            ASSERT_EQ(released.status, 200) << released.body;
        }
        eventually([&] {
            auto now = parse(admin("GET", "/sync/sources/corp"));
            return now["running_run"].is_null() && now["last_run"]["id"] != state["last_run"]["id"];
        });
    }
    EXPECT_EQ(user_status("person00259"), "orphan") << admin("GET", "/sync/sources/corp/runs").body;
}

class SyncLdapWrongPasswordTest : public SyncLdapTest {
  protected:
    void SetUp() override {
        password_file_content = "not-the-password";
        SyncLdapTest::SetUp();
    }
};

TEST_F(SyncLdapWrongPasswordTest, RunFailsClearlyAndScimKeepsServing) {
    auto run = wait_first_run();
    ASSERT_EQ(run["status"], "failed") << run.dump();
    ASSERT_FALSE(run["errors"].empty());
    EXPECT_NE(run["errors"][0].get<std::string>().find("Invalid credentials"), std::string::npos)
        << run.dump();
    EXPECT_EQ(daemon_->log().find("not-the-password"), std::string::npos) << "the password is never logged";
    EXPECT_EQ(create_user(acme_token, "still-serving").empty(), false);
}

TEST_F(SyncLdapTest, StoppedServerFailsTheRunAndOrphansNothing) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    slapd.suspend();
    auto run = run_now(R"({"mode":"full"})");
    slapd.resume();
    ASSERT_EQ(run["status"], "failed") << run.dump();
    EXPECT_EQ(run["counts"].value("orphaned", 0), 0);
    EXPECT_EQ(user_count(), static_cast<std::int64_t>(people));
    EXPECT_EQ(find_user("person00001")["active"], true);
}

TEST_F(SyncLdapTest, OneShotDryRunShowsRoleChangesAndDirsyncctlSeesTheHistory) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    // person00005 leaves cn=Big Group, which grants the admin role.
    auto w = writer();
    ASSERT_TRUE(w->modify("cn=Big Group,ou=Groups,dc=example,dc=com",
                          {{ldap::modification::operation::remove, "member", {person_dn(5)}}}));
    auto [status, out] =
        run_command(std::string(DIRSYNCD_PATH) + " sync --config " + dir_.file("dirsyncd.yaml") +
                    " --source corp --dry-run --full --json 2>&1");
    ASSERT_EQ(status, 0) << out;
    auto j = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    EXPECT_EQ(j["run"]["dry_run"], true);
    EXPECT_EQ(j["run"]["trigger"], "cli");
    ASSERT_EQ(j["plan"]["updates"].size(), 1u) << j["plan"].dump();
    const auto& change = j["plan"]["updates"][0];
    EXPECT_EQ(change["userName"], "person00005");
    EXPECT_EQ(change["roles"]["before"], nlohmann::json::array({"admin"}));
    EXPECT_EQ(change["roles"]["after"], nlohmann::json::array());
    EXPECT_EQ(j["plan"]["group_updates"].size(), 1u);

    // Nothing was written by the dry run; the daemon's history shows the CLI's run too.
    auto group =
        parse(call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22Big%20Group%22"));
    EXPECT_EQ(group["Resources"][0]["members"].size(), group_members);
    std::ofstream(dir_.file("admin.token")) << admin_token << "\n";
    const std::string ctl = std::string(DIRSYNCCTL_PATH) +
                            " sync runs corp --url http://127.0.0.1:" + std::to_string(port()) +
                            " --token-file " + dir_.file("admin.token");
    auto [ctl_status, table] = run_command(ctl + " 2>&1");
    ASSERT_EQ(ctl_status, 0) << table;
    EXPECT_NE(table.find("cli"), std::string::npos) << table;
    EXPECT_NE(table.find("schedule"), std::string::npos) << table;
    auto [bad_status, bad] = run_command(std::string(DIRSYNCCTL_PATH) +
                                         " sync runs --url http://127.0.0.1:" + std::to_string(port()) +
                                         " --token-file " + dir_.file("ldap.pw") + " 2>&1");
    EXPECT_EQ(bad_status, 1) << bad;
    EXPECT_NE(bad.find("401"), std::string::npos) << bad;

    // dirsyncctl sync run waits for the run and exits 0 when it is ok.
    auto [run_status, run_out] =
        run_command(std::string(DIRSYNCCTL_PATH) + " sync run corp --full --url http://127.0.0.1:" +
                    std::to_string(port()) + " --token-file " + dir_.file("admin.token") + " 2>&1");
    EXPECT_EQ(run_status, 0) << run_out;
    EXPECT_NE(run_out.find(": full, ok"), std::string::npos) << run_out;
    group = parse(call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22Big%20Group%22"));
    EXPECT_EQ(group["Resources"][0]["members"].size(), group_members - 1);
}

/// The posixAccount and posixGroup entries of the OpenLDAP project's nis_sample.ldif, moved from
/// "o=SGI, c=US" to ou=SGI,dc=example,dc=com (the test slapd's suffix), without empty values, with the cn
/// today's posixAccount requires (its uid); and a group listing a name no account has.
/// How many posixAccount entries nis_people_and_groups() kept.
int nis_accounts = 0;

std::string nis_people_and_groups() {
    nis_accounts = 0;
    std::ifstream in(std::string(DIRSYNC_LDAP_DATA) + "/nis_sample.ldif");
    EXPECT_TRUE(in) << "nis_sample.ldif not found in " << DIRSYNC_LDAP_DATA;
    std::string out = "dn: ou=SGI,dc=example,dc=com\nobjectClass: organizationalUnit\nou: SGI\n\n";
    std::string entry, line;
    std::set<std::string> seen;
    auto flush = [&] {
        std::string lower = entry;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const bool account = lower.find("objectclass: posixaccount") != std::string::npos;
        if (account && lower.find("\ncn:") == std::string::npos)
            if (auto at = entry.find("\nuid: "); at != std::string::npos)  // today's schema requires a cn
                entry += "cn: " + entry.substr(at + 6, entry.find('\n', at + 1) - at - 6) + "\n";
        // The sample has a DN twice (uid=nobody): the first one stays.
        const auto dn = lower.substr(0, lower.find('\n'));
        if ((account || lower.find("objectclass: posixgroup") != std::string::npos) &&
            seen.insert(dn).second) {
            out += entry + "\n";
            if (account) ++nis_accounts;
        }
        entry.clear();
    };
    while (std::getline(in, line)) {
        if (line.empty()) {
            flush();
            continue;
        }
        if (line.back() == ':' || line.ends_with(": ")) continue;  // an empty value
        if (auto at = line.find(", o=SGI, c=US"); at != std::string::npos)
            line.replace(at, std::string::npos, ",ou=SGI,dc=example,dc=com");
        entry += line + "\n";
    }
    flush();
    out +=
        "dn: cn=ghosts,ou=SGI,dc=example,dc=com\nobjectClass: posixGroup\ncn: ghosts\ngidNumber: 999\n"
        "memberUid: ROOT\nmemberUid: nobody-here\n\n";
    return out;
}

slapd_options nis_options() {
    slapd_options o;
    o.extra_ldif = nis_people_and_groups();
    return o;
}

class SyncPosixGroupsTest : public DaemonTest {
  protected:
    slapd_server slapd{nis_options()};

    std::string extra_top_level_yaml() const override {
        std::ofstream(dir_.file("ldap.pw")) << slapd_server::reader_password << "\n";
        return std::string(
                   "sources:\n"
                   "  - name: sgi\n"
                   "    tenant: acme\n"
                   "    type: ldap\n"
                   "    flavour: openldap\n"
                   "    url: ") +
               slapd.ldap_url() + "\n    bind_dn: " + slapd_server::reader_dn +
               "\n    bind_password: { file: " + dir_.file("ldap.pw") +
               " }\n"
               "    schedule: { every: 1h }\n"
               "    users:\n"
               "      base_dn: ou=SGI,dc=example,dc=com\n"
               "      filter: (objectClass=posixAccount)\n"
               "      map:\n"
               "        userName: \"{uid}\"\n"
               "        displayName: \"{gecos|default \\\"{uid}\\\"}\"\n"
               "    groups:\n"
               "      base_dn: ou=SGI,dc=example,dc=com\n"
               "      filter: (objectClass=posixGroup)\n"
               "      member_attribute: memberUid\n"
               "    roles:\n"
               "      - { role: admin, when_member_of: \"cn=sys,ou=SGI,dc=example,dc=com\" }\n";
    }
};

TEST_F(SyncPosixGroupsTest, MemberUidNamesResolveToTheUsersWithThatUid) {
    auto [status, out] = run_command(std::string(DIRSYNCD_PATH) + " sync --config " +
                                     dir_.file("dirsyncd.yaml") + " --source sgi --full --json 2>/dev/null");
    ASSERT_EQ(status, 0) << out;
    auto j = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    EXPECT_EQ(j["run"]["counts"]["read"], nis_accounts) << j["run"].dump();
    EXPECT_GE(nis_accounts, 20);
    EXPECT_EQ(j["run"]["counts"]["groups_created"], 17) << j["run"].dump();

    auto group = [&](const std::string& name) {
        auto r = call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22" + name + "%22");
        auto g = parse(r);
        EXPECT_EQ(g["totalResults"], 1) << r.body;
        std::set<std::string> members;
        for (const auto& m : g["Resources"][0]["members"]) {
            auto user = parse(call(acme_token, "GET", "/scim/v2/Users/" + m["value"].get<std::string>()));
            members.insert(user["userName"].get<std::string>());
        }
        return members;
    };
    // cn=bin lists root, bin and daemon by name.
    EXPECT_EQ(group("bin"), (std::set<std::string>{"root", "bin", "daemon"}));
    // Matching is case-insensitive (uid is); a name no account has is left out, and said so.
    EXPECT_EQ(group("ghosts"), std::set<std::string>{"root"});
    bool reported = false;
    for (const auto& n : j["plan"]["notes"])
        reported = reported || n.get<std::string>().find("nobody-here") != std::string::npos;
    EXPECT_TRUE(reported) << j["plan"]["notes"].dump();
    // Roles by group work through names too: the members of cn=sys are admins.
    auto adm = parse(call(acme_token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22adm%22"));
    ASSERT_EQ(adm["totalResults"], 1);
    EXPECT_NE(adm["Resources"][0].dump().find("admin"), std::string::npos) << adm.dump();
}

class SyncLdapStartTlsTest : public SyncLdapTest {
  protected:
    void SetUp() override {
        extra_source_yaml = "    start_tls: true\n    ca_file: " + slapd.ca_file() + "\n";
        SyncLdapTest::SetUp();
    }
};

TEST_F(SyncLdapStartTlsTest, ReadsOverStartTlsWithTheTestCa) {
    auto run = wait_first_run();
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_EQ(run["counts"]["created"], people);
}

TEST_F(SyncLdapTest, AdminApiRefusesScimTokensAndUnknownSources) {
    EXPECT_EQ(call(acme_token, "GET", "/admin/v1/sync/sources").status, 401);
    EXPECT_EQ(admin("GET", "/sync/sources/nope").status, 404);
    EXPECT_EQ(admin("POST", "/sync/sources/nope/runs").status, 404);
    EXPECT_EQ(admin("GET", "/sync/runs/999999").status, 404);
}

}  // namespace
}  // namespace dirsync::testing
