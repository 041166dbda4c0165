// Configuration reload (SIGHUP, POST /admin/v1/reload) against the real daemon.
#include <signal.h>

#include <atomic>
#include <thread>

#include "tests/integration/daemon_fixture.hpp"
#include "tests/support/run_command.hpp"

namespace dirsync::testing {
namespace {

constexpr const char* operator_token = "reload-test-operator-token";
constexpr const char* new_globex_token = "globex-token-after-reload-0123";
constexpr const char* initech_token = "initech-token-0123456789";

std::string digest_item(const char* token) {
    return "      - sha256: \"" + common::to_hex(common::sha256(token)) + "\"\n";
}

class ReloadTest : public DaemonTest {
  protected:
    // What the next write_config() writes; a reload reads it.
    unsigned threads_ = 2;
    unsigned globex_seats_ = 3;
    bool rotate_globex_token_ = false;
    bool with_initech_ = false;
    std::string logging_ = "logging: { level: info, access_log: true }\n";

    std::string extra_server_yaml() const override { return ""; }
    std::string extra_tenants_yaml() const override {
        if (!with_initech_) return "";
        return "  - id: initech\n    name: Initech\n    scim_tokens:\n" + digest_item(initech_token);
    }
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) + "\"\n" +
               logging_;
    }

    /// Writes the fixture's configuration with this test's choices (threads, globex's seats and token).
    void rewrite() {
        write_config();
        std::string text;
        {
            std::ifstream in(dir_.file("dirsyncd.yaml"));
            text.assign(std::istreambuf_iterator<char>(in), {});
        }
        replace(text, "  threads: 2\n", "  threads: " + std::to_string(threads_) + "\n");
        replace(text, "    seats: 3\n", "    seats: " + std::to_string(globex_seats_) + "\n");
        if (rotate_globex_token_)
            replace(text, common::to_hex(common::sha256(globex_token)),
                    common::to_hex(common::sha256(new_globex_token)));
        std::ofstream(dir_.file("dirsyncd.yaml")) << text;
    }

    static void replace(std::string& text, const std::string& from, const std::string& to) {
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    }

    /// Sends SIGHUP and waits for the n-th reload to be logged as finished (applied or refused).
    void sighup_and_wait(int nth) {
        ASSERT_EQ(::kill(daemon_->pid(), SIGHUP), 0);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            auto log = daemon_->log();
            int seen = 0;
            for (auto at = log.find("reload: "); at != std::string::npos; at = log.find("reload: ", at + 1)) {
                auto end = log.find('\n', at);
                auto line = log.substr(at, end - at);
                if (line.find(" applied (") != std::string::npos ||
                    line.find("the running configuration is unchanged") != std::string::npos)
                    ++seen;
            }
            if (seen >= nth) return;
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << log;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
};

TEST_F(ReloadTest, ASighupAddsATenantRotatesATokenAndChangesSeats) {
    const auto kept = create_user(globex_token, "kept-user");
    rotate_globex_token_ = true;
    with_initech_ = true;
    globex_seats_ = 5;
    rewrite();
    sighup_and_wait(1);

    EXPECT_EQ(call(globex_token, "GET", "/scim/v2/Users").status, 401) << "a removed token still works";
    auto r = call(new_globex_token, "GET", "/scim/v2/Users/" + kept);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(call(initech_token, "GET", "/scim/v2/Users").status, 200);
    r = call(operator_token, "GET", "/admin/v1/tenants/globex");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["seats"]["limit"], 5) << r.body;
    EXPECT_TRUE(wait_for_log("reload: tenant initech added"));

    // initech leaves the configuration: unreachable, its records kept until it comes back.
    const auto initech_user = create_user(initech_token, "initech-user");
    with_initech_ = false;
    rewrite();
    sighup_and_wait(2);
    EXPECT_EQ(call(initech_token, "GET", "/scim/v2/Users").status, 401);
    expect_admin_error(call(operator_token, "GET", "/admin/v1/tenants/initech"), 404, "unknown_tenant");
    r = call(operator_token, "GET", "/admin/v1/tenants");
    for (const auto& t : parse(r)["tenants"]) EXPECT_NE(t["id"], "initech") << r.body;
    with_initech_ = true;
    rewrite();
    sighup_and_wait(3);
    r = call(initech_token, "GET", "/scim/v2/Users/" + initech_user);
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ReloadTest, AnInvalidFileChangesNothingAndSaysWhereItIsWrong) {
    {
        std::ofstream out(dir_.file("dirsyncd.yaml"), std::ios::app);
        out << "colour: blue\n";  // an unknown top-level key
    }
    rotate_globex_token_ = false;
    auto r = admin(operator_token, "POST", "/admin/v1/reload");
    expect_admin_error(r, 400, "invalid_configuration");
    auto body = parse(r);
    ASSERT_TRUE(body["errors"].is_array()) << r.body;
    ASSERT_FALSE(body["errors"].empty());
    EXPECT_GT(body["errors"][0]["line"].get<int>(), 1) << r.body;
    EXPECT_GT(body["errors"][0]["column"].get<int>(), 0) << r.body;
    EXPECT_NE(body["errors"][0]["message"].get<std::string>().find("colour"), std::string::npos) << r.body;

    // The same through SIGHUP: logged with file:line:column, and everything still works as before.
    sighup_and_wait(1);
    EXPECT_TRUE(wait_for_log("dirsyncd.yaml:"));
    EXPECT_EQ(call(globex_token, "GET", "/scim/v2/Users").status, 200);
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users").status, 200);

    // Only operators reload.
    expect_admin_error(call(acme_token, "POST", "/admin/v1/reload"), 401, "unauthorized");
}

TEST_F(ReloadTest, DirsyncctlReloadShowsWhatChangedOrWhereTheFileIsWrong) {
    std::ofstream(dir_.file("operator.token")) << operator_token << "\n";
    auto ctl = [&] {
        return run_command(std::string(DIRSYNCCTL_PATH) + " reload --url http://127.0.0.1:" +
                           std::to_string(port()) + " --token-file " + dir_.file("operator.token") + " 2>&1");
    };
    with_initech_ = true;
    rewrite();
    auto [status, out] = ctl();
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("tenant initech added"), std::string::npos) << out;

    std::ofstream(dir_.file("dirsyncd.yaml"), std::ios::app) << "tenants_extra: 1\n";
    std::tie(status, out) = ctl();
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("invalid_configuration"), std::string::npos) << out;
    EXPECT_NE(out.find(dir_.file("dirsyncd.yaml") + ":"), std::string::npos) << out;
    EXPECT_NE(out.find("tenants_extra"), std::string::npos) << out;
    EXPECT_EQ(call(initech_token, "GET", "/scim/v2/Users").status, 200);
}

TEST_F(ReloadTest, SettingsReadOnlyAtStartAreNamedAndKept) {
    threads_ = 3;
    globex_seats_ = 4;
    rewrite();
    auto r = admin(operator_token, "POST", "/admin/v1/reload");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = parse(r);
    EXPECT_EQ(body["reloaded"], true);
    EXPECT_EQ(body["restartRequired"], nlohmann::json::array({"server.threads"})) << r.body;
    EXPECT_NE(body["changes"].dump().find("tenant globex updated"), std::string::npos) << r.body;
    EXPECT_TRUE(wait_for_log("server.threads changed"));
}

TEST_F(ReloadTest, TheAccessLogFollowsItsOwnSettingNotTheLevel) {
    logging_ = "logging: { level: warning, access_log: true }\n";
    rewrite();
    ASSERT_EQ(admin(operator_token, "POST", "/admin/v1/reload").status, 200);
    call(acme_token, "GET", "/scim/v2/Users?count=7");
    EXPECT_TRUE(wait_for_log("count=7")) << "level: warning must not turn the access log off";
    logging_ = "logging: { level: info, access_log: false }\n";
    rewrite();
    ASSERT_EQ(admin(operator_token, "POST", "/admin/v1/reload").status, 200);
    call(acme_token, "GET", "/scim/v2/Users?count=9");
    call(acme_token, "GET", "/scim/v2/Users?count=8");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(daemon_->log().find("count=9"), std::string::npos);
}

TEST_F(ReloadTest, ReloadsUnderLoadLoseNoRequest) {
    std::atomic<bool> done{false};
    std::atomic<int> failures{0}, answered{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 3; ++t) {
        clients.emplace_back([&, t] {
            http_client c(port());  // one keep-alive connection per client, across every reload
            int n = 0;
            while (!done) {
                http_result r;
                if (n % 3 == 0) {
                    r = c.request("POST", "/scim/v2/Users",
                                  user_json("load-" + std::to_string(t) + "-" + std::to_string(n)).dump(),
                                  {"Authorization: Bearer " + std::string(acme_token),
                                   "Content-Type: application/scim+json"});
                    if (r.status != 201) ++failures;
                } else {
                    r = c.request("GET", "/scim/v2/Users?count=5", {},
                                  {"Authorization: Bearer " + std::string(acme_token)});
                    if (r.status != 200) ++failures;
                }
                ++answered;
                ++n;
            }
        });
    }
    for (int i = 1; i <= 8; ++i) {
        globex_seats_ = 3 + static_cast<unsigned>(i);
        with_initech_ = i % 2 == 1;
        rewrite();
        sighup_and_wait(i);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // requests between reloads too
    }
    done = true;
    for (auto& c : clients) c.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(answered.load(), 50);
    EXPECT_EQ(daemon_->log().find("connection reset"), std::string::npos);
}

}  // namespace
}  // namespace dirsync::testing
