// A source shared by two dirsyncd processes on one PostgreSQL database: one run at a time across them, taken
// over when the instance running it is killed, and one live watch that moves to the survivor.
#include <signal.h>

#include <fstream>
#include <string>
#include <thread>

#include "common/clock.hpp"
#include "ldap/blocking_client.hpp"
#include "tests/integration/fleet_fixture.hpp"
#include "tests/integration/sync_fixture.hpp"
#include "tests/support/slapd_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

slapd_options fleet_directory() {
    slapd_options o;
    o.bulk_people = 50;
    o.syncprov_sessionlog = 1000;
    return o;
}

class FleetSyncTest : public FleetTest<SyncDaemonTest> {
  protected:
    slapd_server slapd{fleet_directory()};

    void SetUp() override {
        std::ofstream(dir_.file("ldap.pw")) << slapd_server::reader_password << "\n";
        FleetTest<SyncDaemonTest>::SetUp();
    }

    std::string extra_top_level_yaml() const override {
        return admin_tokens_yaml() +
               "sources:\n"
               "  - name: corp\n"
               "    tenant: acme\n"
               "    type: ldap\n"
               "    flavour: openldap\n"
               "    url: " +
               slapd.ldap_url() + "\n    bind_dn: " + slapd_server::reader_dn +
               "\n    bind_password: { file: " + dir_.file("ldap.pw") +
               " }\n"
               "    live: true\n"
               "    schedule: { every: 1h, jitter: 1ms }\n"
               "    timeouts: { connect: 5s, operation: 60s, run: 120s }\n"
               "    users:\n"
               "      base_dn: ou=Bulk,dc=example,dc=com\n"
               "      filter: \"(objectClass=inetOrgPerson)\"\n"
               "      map:\n"
               "        userName: \"{uid}\"\n"
               "        name.familyName: \"{sn}\"\n"
               "        displayName: \"{cn}\"\n";
    }

    http_result admin_on(std::size_t i, const std::string& method, const std::string& target,
                         const std::string& body = {}) {
        return call_on(i, admin_token, method, "/admin/v1" + target, body);
    }

    /// The instance name (common::instance_name) of instance `i`: what leases and runs record.
    std::string name_of(std::size_t i) { return ":" + std::to_string(instance(i).pid()); }
    static bool names(const json& holder, const std::string& name) {
        return holder.is_string() && holder.get<std::string>().ends_with(name);
    }

    /// Waits until both instances made their first scheduled attempt (one ran, the other found it busy or ran
    /// after it) and no run is under way: the next runs are an hour away.
    void wait_until_settled() {
        ASSERT_TRUE(eventually([&] {
            for (std::size_t i = 0; i < 2; ++i) {
                auto source = parse(admin_on(i, "GET", "/sync/sources/corp"));
                if (!source["running_run"].is_null() || !source["next_run"].is_string()) return false;
                auto next = common::parse_rfc3339(source["next_run"].get<std::string>());
                if (!next || *next < common::now() + 30min) return false;
            }
            auto runs = parse(admin_on(0, "GET", "/sync/sources/corp/runs?limit=1"));
            return runs.is_array() && !runs.empty() && runs[0]["status"] != "running";
        })) << admin_on(0, "GET", "/sync/sources/corp").body
            << admin_on(1, "GET", "/sync/sources/corp").body;
    }

    /// The source's live status as instance `i` reports it.
    json live_on(std::size_t i) {
        return parse(admin_on(i, "GET", "/sync/sources/corp")).value("live", json());
    }

    template <class Check>
    bool eventually(Check check, std::chrono::milliseconds limit = 15s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (check()) return true;
            std::this_thread::sleep_for(50ms);
        }
        return check();
    }

    bool has_user_on(std::size_t i, const std::string& user_name) {
        auto r =
            call_on(i, acme_token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + user_name + "%22");
        return r.status == 200 && parse(r)["totalResults"] == 1;
    }

    /// The newest run with trigger "live" as instance `i` lists it; null when there is none.
    json newest_live_run(std::size_t i) {
        for (const auto& run : parse(admin_on(i, "GET", "/sync/sources/corp/runs?limit=20")))
            if (run["trigger"] == "live") return run;
        return {};
    }

    static ldap::entry person(const std::string& uid) {
        ldap::entry e;
        e.dn = "uid=" + uid + ",ou=Bulk,dc=example,dc=com";
        e.attributes = {
            {"objectClass", {"inetOrgPerson"}}, {"uid", {uid}}, {"cn", {"Live " + uid}}, {"sn", {"Live"}}};
        return e;
    }

    void add_person(const std::string& uid) {
        ldap::connection_settings c;
        c.url = slapd.ldap_url();
        c.bind_dn = slapd_server::admin_dn;
        c.bind_password = ldap::secret(slapd_server::admin_password);
        c.operation_timeout = 5s;
        ldap::blocking_client w(std::move(c));
        auto connected = w.connect();
        ASSERT_TRUE(connected) << connected.error().message;
        auto added = w.add(person(uid));
        ASSERT_TRUE(added) << added.error().message;
    }
};

TEST_F(FleetSyncTest, OneInstanceWatchesALiveSourceAndTheWatchMovesToTheOtherWhenItIsKilled) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    // Exactly one watches; the other stands by and names it.
    std::size_t watcher = 2;
    ASSERT_TRUE(eventually([&] {
        const json live[] = {live_on(0), live_on(1)};
        for (std::size_t i = 0; i < 2; ++i) {
            const auto& other = live[1 - i];
            if (live[i].value("watching", false) && !other.value("watching", true) &&
                names(live[i]["watched_by"], name_of(i)) && names(other["watched_by"], name_of(i))) {
                watcher = i;
                return true;
            }
        }
        return false;
    })) << live_on(0).dump()
        << " " << live_on(1).dump();
    const std::size_t survivor = 1 - watcher;

    add_person("live-before");
    EXPECT_TRUE(eventually([&] { return has_user_on(survivor, "live-before"); }));
    auto before = newest_live_run(survivor);
    EXPECT_TRUE(names(before["holder"], name_of(watcher))) << before.dump();

    // The watching instance dies: the other takes the watch over (its process is gone: at once, not after
    // the lease time) from the stored cookie, and changes flow again.
    const std::string survivor_name = name_of(survivor);
    instance(watcher).kill_hard();
    ASSERT_TRUE(eventually([&] {
        auto live = live_on(survivor);
        return live.value("watching", false) && names(live["watched_by"], survivor_name);
    })) << live_on(survivor).dump();
    add_person("live-after");
    EXPECT_TRUE(eventually([&] { return has_user_on(survivor, "live-after"); }));
    json after;  // the user is written before its run records its end
    EXPECT_TRUE(eventually([&] {
        after = newest_live_run(survivor);
        return after.is_object() && after["status"] != "running";
    }));
    EXPECT_TRUE(names(after["holder"], survivor_name)) << after.dump();
    EXPECT_EQ(after["status"], "ok") << after.dump();
}

TEST_F(FleetSyncTest, ARunIsHeldByOneInstanceAndTakenOverWhenItsInstanceIsKilled) {
    ASSERT_EQ(wait_first_run()["status"], "ok");
    wait_until_settled();
    // Instance 0 runs the source, held up by a directory that does not answer.
    slapd.suspend();
    auto started = admin_on(0, "POST", "/sync/sources/corp/runs", R"({"mode":"full"})");
    ASSERT_EQ(started.status, 202) << started.body;
    const auto held = parse(started)["run"].get<std::int64_t>();
    const std::string first_name = name_of(0);
    // The other instance does not start another, and says which instance has it.
    auto refused = admin_on(1, "POST", "/sync/sources/corp/runs", R"({"mode":"full"})");
    expect_admin_error(refused, 409, "run_in_progress");
    EXPECT_NE(refused.body.find(first_name + ")"), std::string::npos) << refused.body;

    // Killed mid-run: the other takes the source over at once and marks the run interrupted.
    instance(0).kill_hard();
    slapd.resume();
    auto taken = admin_on(1, "POST", "/sync/sources/corp/runs", R"({"mode":"full"})");
    ASSERT_EQ(taken.status, 202) << taken.body;
    const auto id = parse(taken)["run"].get<std::int64_t>();
    json run;
    ASSERT_TRUE(eventually(
        [&] {
            run = parse(admin_on(1, "GET", "/sync/runs/" + std::to_string(id)));
            return run.value("status", "running") != "running";
        },
        60s));
    EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(names(run["holder"], name_of(1))) << run.dump();
    auto interrupted = parse(admin_on(1, "GET", "/sync/runs/" + std::to_string(held)));
    EXPECT_EQ(interrupted["status"], "failed") << interrupted.dump();
    EXPECT_EQ(interrupted["errors"], json::array({"interrupted"})) << interrupted.dump();
    EXPECT_TRUE(names(interrupted["holder"], first_name)) << interrupted.dump();
}

}  // namespace
}  // namespace dirsync::testing
