// Operating the real daemon: Prometheus /metrics (parsed by the reference parser), /readyz, request ids, and
// what systemd hears on its notify socket (READY, RELOADING, WATCHDOG).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <filesystem>

#include "tests/integration/daemon_fixture.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scoped_env.hpp"

namespace dirsync::testing {
namespace {

constexpr const char* operator_token = "operations-test-operator-token";

/// One sample of a parsed exposition.
struct sample {
    std::string name;
    nlohmann::json labels;
    double value = 0;
};

class OperationsTest : public DaemonTest {
  protected:
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) + "\"\n" +
               metrics_yaml();
    }
    virtual std::string metrics_yaml() const { return ""; }

    /// /metrics parsed by prometheus_client's parser (failing the test when it does not parse).
    std::vector<sample> scrape(std::uint16_t port, const std::string& token) {
        http_client c(port);
        std::vector<std::string> headers;
        if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
        auto r = c.request("GET", "/metrics", {}, headers);
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
            << r.header("Content-Type");
        const auto file = dir_.write("metrics.txt", r.body);
        auto [status, out] = run_command(std::string(DIRSYNC_TEST_PYTHON) + " " +
                                         DIRSYNC_PROM_SAMPLES_SCRIPT + " " + file + " 2>&1");
        EXPECT_EQ(status, 0) << out << "\n" << r.body;
        std::vector<sample> samples;
        auto parsed = nlohmann::json::parse(out, nullptr, false);
        if (!parsed.is_array()) return samples;
        for (const auto& s : parsed)
            if (s["value"].is_number()) samples.push_back({s["name"], s["labels"], s["value"].get<double>()});
        return samples;
    }

    /// The value of the sample `name` whose labels include `labels`; nullopt when there is none.
    static std::optional<double> value(const std::vector<sample>& samples, const std::string& name,
                                       const nlohmann::json& labels = nlohmann::json::object()) {
        for (const auto& s : samples) {
            if (s.name != name) continue;
            bool match = true;
            for (const auto& [k, v] : labels.items()) match = match && s.labels.value(k, "") == v;
            if (match) return s.value;
        }
        return std::nullopt;
    }
};

TEST_F(OperationsTest, MetricsParseAndMoveAsRequestsHappen) {
    auto before = scrape(port(), operator_token);
    const nlohmann::json created{{"route", "/scim/v2/Users"}, {"method", "POST"}, {"code", "2xx"}};
    const double posts_before = value(before, "dirsyncd_http_requests_total", created).value_or(0);
    const double commits_before = value(before, "dirsyncd_store_commit_duration_seconds_count").value_or(0);
    for (const char* name : {"m1", "m2", "m3"}) create_user(globex_token, name);
    call(globex_token, "GET", "/scim/v2/Users/no-such-id");

    auto after = scrape(port(), operator_token);
    EXPECT_EQ(value(after, "dirsyncd_http_requests_total", created), posts_before + 3);
    EXPECT_GE(value(after, "dirsyncd_http_requests_total",
                    {{"route", "/scim/v2/Users/{id}"}, {"method", "GET"}, {"code", "4xx"}})
                  .value_or(0),
              1);
    // Latency histograms: cumulative buckets ending in +Inf equal to the count.
    const nlohmann::json users_post{{"route", "/scim/v2/Users"}, {"method", "POST"}};
    EXPECT_EQ(value(after, "dirsyncd_http_request_duration_seconds_count", users_post),
              value(after, "dirsyncd_http_request_duration_seconds_bucket",
                    {{"route", "/scim/v2/Users"}, {"method", "POST"}, {"le", "+Inf"}}));
    EXPECT_GE(value(after, "dirsyncd_store_commit_duration_seconds_count").value_or(0), commits_before + 3);
    EXPECT_GE(value(after, "dirsyncd_store_commit_rows_sum").value_or(0), 3);
    EXPECT_GE(value(after, "dirsyncd_store_commit_writes_sum").value_or(0), 3);
    // Users and seats by tenant, from the store.
    EXPECT_EQ(value(after, "dirsyncd_tenant_users", {{"tenant", "globex"}, {"status", "provisioned"}}), 3);
    EXPECT_EQ(value(after, "dirsyncd_tenant_seats_limit", {{"tenant", "globex"}}), 3);
    EXPECT_FALSE(value(after, "dirsyncd_tenant_seats_limit", {{"tenant", "acme"}})) << "unlimited: absent";
    EXPECT_EQ(value(after, "dirsyncd_tenants"), 2);
    EXPECT_EQ(value(after, "dirsyncd_outbox_messages", {{"state", "pending"}}), 0);
    // Process metrics.
    EXPECT_GT(value(after, "process_resident_memory_bytes").value_or(0), 1e6);
    EXPECT_GT(value(after, "process_open_fds").value_or(0), 3);
    EXPECT_TRUE(value(after, "process_cpu_seconds_total"));
    // A path is never a label: no series names the id that was asked for.
    const auto r = call(operator_token, "GET", "/metrics");
    EXPECT_EQ(r.body.find("no-such-id"), std::string::npos);
}

TEST_F(OperationsTest, MetricsOnTheMainListenerNeedAnOperatorToken) {
    EXPECT_EQ(call("", "GET", "/metrics").status, 401);
    EXPECT_EQ(call(acme_token, "GET", "/metrics").status, 401);
    EXPECT_EQ(call(operator_token, "GET", "/metrics").status, 200);
}

TEST_F(OperationsTest, EveryAnswerCarriesARequestIdThatTheAccessLogNames) {
    auto r = call(acme_token, "GET", "/scim/v2/Users");
    const auto id = r.header("X-Request-Id");
    ASSERT_EQ(id.size(), 16u);
    EXPECT_TRUE(wait_for_log("request_id=" + id));
    r = call(acme_token, "GET", "/scim/v2/Users", {}, {"X-Request-Id: trace-4711"});
    EXPECT_EQ(r.header("X-Request-Id"), "trace-4711");
    EXPECT_TRUE(wait_for_log("request_id=trace-4711"));
    // Answers the server gives itself carry one too.
    r = call(acme_token, "GET", "/scim/v2/Users", {}, std::vector<std::string>(200, "X-Many: 1"));
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(r.header("X-Request-Id").size(), 16u);
}

TEST_F(OperationsTest, ReadinessFailsWhileTheStoreIsReadOnly) {
    auto r = call("", "GET", "/readyz");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["status"], "ready");
    EXPECT_EQ(parse(r)["checks"]["store"], "ok");

    // Permissions bind root only through the daemon's user: run it as nobody for this.
    if (::geteuid() == 0) {
        ASSERT_EQ(daemon_->stop(), 0);
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path()))
            ASSERT_EQ(::chown(entry.path().c_str(), 65534, 65534), 0);
        ASSERT_EQ(::chown(dir_.path().c_str(), 65534, 65534), 0);
        daemon_->run_as = std::pair<uid_t, gid_t>(65534, 65534);
        daemon_->start();
        ASSERT_EQ(call("", "GET", "/readyz").status, 200);
    }
    const auto db = dir_.file("data/dirsyncd.db");
    ASSERT_EQ(::chmod(db.c_str(), 0444), 0);
    r = call("", "GET", "/readyz");
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(parse(r)["status"], "not_ready");
    EXPECT_NE(parse(r)["checks"]["store"].get<std::string>().find("read-only"), std::string::npos) << r.body;
    EXPECT_EQ(call("", "GET", "/healthz").status, 200) << "liveness is not readiness";
    ASSERT_EQ(::chmod(db.c_str(), 0644), 0);
    EXPECT_EQ(call("", "GET", "/readyz").status, 200);
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
class notify_socket {
  public:
    explicit notify_socket(std::string path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("bind");
        timeval tv{0, 100'000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~notify_socket() { ::close(fd_); }
    /// Every message received until `until` says stop (or 10 s).
    std::vector<std::string> receive_until(
        const std::function<bool(const std::vector<std::string>&)>& until) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!until(messages_) && std::chrono::steady_clock::now() < deadline) {
            char buf[4096];
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0) messages_.emplace_back(buf, static_cast<std::size_t>(n));
        }
        return messages_;
    }

  private:
    std::string path_;
    int fd_ = -1;
    std::vector<std::string> messages_;
};

bool has(const std::vector<std::string>& messages, const std::string& text) {
    for (const auto& m : messages)
        if (m.find(text) != std::string::npos) return true;
    return false;
}

class SystemdNotifyTest : public OperationsTest {
  protected:
    void SetUp() override {
        notify_.emplace(dir_.file("notify.sock"));
        env_socket_.emplace("NOTIFY_SOCKET", dir_.file("notify.sock").c_str());
        env_usec_.emplace("WATCHDOG_USEC", "400000");  // 0.4 s: pings every 0.2 s
        OperationsTest::SetUp();
    }
    void TearDown() override {
        OperationsTest::TearDown();
        env_usec_.reset();
        env_socket_.reset();
    }
    std::optional<notify_socket> notify_;
    std::optional<scoped_env> env_socket_, env_usec_;
};

TEST_F(SystemdNotifyTest, ReadyThenWatchdogPingsAndAReloadIsAnnounced) {
    auto seen = notify_->receive_until([](const auto& m) {
        int pings = 0;
        for (const auto& x : m) pings += x.find("WATCHDOG=1") != std::string::npos;
        return has(m, "READY=1") && pings >= 3;
    });
    EXPECT_TRUE(has(seen, "READY=1"));
    EXPECT_TRUE(has(seen, "WATCHDOG=1")) << "a healthy daemon feeds the watchdog";
    ASSERT_EQ(::kill(daemon_->pid(), SIGHUP), 0);
    seen = notify_->receive_until([](const auto& m) {
        for (std::size_t i = 0; i < m.size(); ++i)
            if (m[i].find("RELOADING=1") != std::string::npos)
                for (std::size_t j = i + 1; j < m.size(); ++j)
                    if (m[j].find("READY=1") != std::string::npos) return true;
        return false;
    });
    bool reloading = false, ready_after = false;
    for (const auto& m : seen) {
        if (m.find("RELOADING=1") != std::string::npos) {
            reloading = true;
            EXPECT_NE(m.find("MONOTONIC_USEC="), std::string::npos) << m;
        } else if (reloading && m.find("READY=1") != std::string::npos) {
            ready_after = true;
        }
    }
    EXPECT_TRUE(reloading);
    EXPECT_TRUE(ready_after);
}

TEST_F(SystemdNotifyTest, AStoppedProcessIsNotFedAndStopAnnouncesItself) {
    notify_->receive_until([](const auto& m) { return has(m, "WATCHDOG=1"); });
    EXPECT_EQ(daemon_->stop(), 0);
    auto seen = notify_->receive_until([](const auto& m) { return has(m, "STOPPING=1"); });
    EXPECT_TRUE(has(seen, "STOPPING=1"));
}

class SeparateMetricsListenerTest : public OperationsTest {
  protected:
    std::string metrics_yaml() const override {
        return "metrics:\n  listen: 127.0.0.1:0\n  tenant_labels: 1\n";
    }
};

TEST_F(SeparateMetricsListenerTest, ServesMetricsAndHealthWithoutTokensAndBoundsTenantLabels) {
    ASSERT_TRUE(wait_for_log("metrics and health on 127.0.0.1:"));
    const auto log = daemon_->log();
    const auto at =
        log.find("metrics and health on 127.0.0.1:") + std::string("metrics and health on 127.0.0.1:").size();
    const auto metrics_port = static_cast<std::uint16_t>(std::stoi(log.substr(at)));
    create_user(acme_token, "counted");
    auto samples = scrape(metrics_port, "");
    EXPECT_EQ(value(samples, "dirsyncd_users", {{"status", "provisioned"}}), 1);
    // Two tenants configured, labels for at most one: totals only.
    EXPECT_FALSE(value(samples, "dirsyncd_tenant_users", {{"tenant", "acme"}}));
    http_client c(metrics_port);
    EXPECT_EQ(c.request("GET", "/readyz").status, 200);
    EXPECT_EQ(c.request("GET", "/scim/v2/Users").status, 404) << "only monitoring on this listener";
    // The main listener no longer serves /metrics.
    EXPECT_EQ(call(operator_token, "GET", "/metrics").status, 404);
}

}  // namespace
}  // namespace dirsync::testing

namespace dirsync::testing {
namespace {

/// The operator token as a systemd credential, as the unit would pass it.
class CredentialTokenTest : public DaemonTest {
  protected:
    void SetUp() override {
        std::filesystem::create_directories(dir_.file("credentials"));
        std::ofstream(dir_.file("credentials/ops-admin")) << operator_token << "\n";
        env_.emplace("CREDENTIALS_DIRECTORY", dir_.file("credentials").c_str());
        DaemonTest::SetUp();
        env_.reset();  // what a shell outside the unit has
    }
    std::string extra_top_level_yaml() const override { return "admin_tokens:\n  - credential: ops-admin\n"; }
    std::optional<scoped_env> env_;
};

TEST_F(CredentialTokenTest, CheckConfigAndDirsyncctlReadCredentialsFromAShellWithTheirDirectory) {
    const auto config = dir_.file("dirsyncd.yaml");
    auto [status, out] = run_command(std::string(DIRSYNCD_PATH) + " --check-config " + config + " 2>&1");
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("--credentials-directory"), std::string::npos) << out;
    std::tie(status, out) = run_command(std::string(DIRSYNCD_PATH) + " --check-config " + config +
                                        " --credentials-directory " + dir_.file("credentials") + " 2>&1");
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(out.find(operator_token), std::string::npos) << "never the secret";

    std::tie(status, out) = run_command(
        std::string(DIRSYNCCTL_PATH) + " tenants --url http://127.0.0.1:" + std::to_string(port()) +
        " --config " + config + " --credentials-directory " + dir_.file("credentials") + " 2>&1");
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("acme"), std::string::npos) << out;
}

}  // namespace
}  // namespace dirsync::testing

namespace dirsync::testing {
namespace {

/// Behind a TLS-terminating proxy that forwards https://sync.example.com/dirsync/ to the daemon.
class PublicBaseUrlTest : public DaemonTest {
  protected:
    std::string extra_server_yaml() const override {
        return "  public_base_url: HTTPS://Sync.Example.com/dirsync/\n";
    }
};

TEST_F(PublicBaseUrlTest, EveryGeneratedUrlIsBuiltOnIt) {
    auto r = call(acme_token, "POST", "/scim/v2/Users", user_json("proxied").dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = parse(r)["id"].get<std::string>();
    const std::string users = "https://sync.example.com/dirsync/scim/v2/Users/";
    EXPECT_EQ(r.header("Location"), users + id);
    EXPECT_EQ(parse(r)["meta"]["location"], users + id);
    nlohmann::json group{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                         {"displayName", "Proxied"},
                         {"members", {{{"value", id}}}}};
    r = call(acme_token, "POST", "/scim/v2/Groups", group.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(parse(r)["members"][0]["$ref"], users + id) << r.body;
    EXPECT_EQ(parse(r)["meta"]["location"].get<std::string>().rfind(
                  "https://sync.example.com/dirsync/scim/v2/Groups/", 0),
              0u);
}

}  // namespace
}  // namespace dirsync::testing

namespace dirsync::testing {
namespace {

TEST_F(OperationsTest, ABackupUnderWriteLoadHoldsEveryWriteAcknowledgedBeforeItAndRestores) {
    // Writers create users as fast as they can; each id is noted with whether its 201 came before the
    // backup began.
    std::atomic<bool> backup_began{false}, done{false};
    std::mutex noted;
    std::vector<std::string> before, after;
    std::vector<std::thread> writers;
    for (int t = 0; t < 2; ++t)
        writers.emplace_back([&, t] {
            http_client c(port());
            for (int n = 0; !done; ++n) {
                auto r = c.request("POST", "/scim/v2/Users",
                                   user_json("backup-" + std::to_string(t) + "-" + std::to_string(n)).dump(),
                                   {"Authorization: Bearer " + std::string(acme_token),
                                    "Content-Type: application/scim+json"});
                const bool began = backup_began;  // read after the answer: acknowledged before if still false
                if (r.status != 201) continue;
                std::lock_guard lock(noted);
                (began ? after : before).push_back(parse(r)["id"].get<std::string>());
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto db = dir_.file("data/dirsyncd.db");
    const auto copy = dir_.file("backup.db");
    backup_began = true;
    auto [status, out] =
        run_command(std::string(DIRSYNCCTL_PATH) + " backup " + copy + " --store " + db + " 2>&1");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // writes go on after it too
    done = true;
    for (auto& w : writers) w.join();
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("schema version"), std::string::npos) << out;
    ASSERT_GT(before.size(), 10u);

    // A second backup to the same file is refused: a backup never overwrites.
    auto again = run_command(std::string(DIRSYNCCTL_PATH) + " backup " + copy + " --store " + db + " 2>&1");
    EXPECT_EQ(again.first, 1) << again.second;

    // Restore: stop, put the copy in place, start; every write acknowledged before the backup is there.
    ASSERT_EQ(daemon_->stop(), 0);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::filesystem::copy_file(copy, db);
    daemon_->start();
    for (const auto& id : before) {
        auto r = call(acme_token, "GET", "/scim/v2/Users/" + id);
        ASSERT_EQ(r.status, 200) << "acknowledged before the backup but missing: " << id;
    }
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users?count=0").status, 200);
}

}  // namespace
}  // namespace dirsync::testing

namespace dirsync::testing {
namespace {

TEST_F(OperationsTest, StatusShowsVersionUptimeTenantsStoreAndSources) {
    create_user(acme_token, "status-user");
    auto r = call(operator_token, "GET", "/admin/v1/status");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = parse(r);
    EXPECT_EQ(j["version"], DIRSYNC_TEST_VERSION);
    EXPECT_GE(j["uptime_seconds"].get<std::int64_t>(), 0);
    EXPECT_EQ(j["tenants"], 2);
    EXPECT_EQ(j["users"], 1);
    EXPECT_EQ(j["ready"], true);
    EXPECT_GT(j["store"]["bytes"].get<std::int64_t>(), 0);
    EXPECT_EQ(j["store"]["path"], dir_.file("data/dirsyncd.db"));
    EXPECT_TRUE(j["sources"].is_array());
    EXPECT_EQ(call(acme_token, "GET", "/admin/v1/status").status, 401);

    std::ofstream(dir_.file("operator.token")) << operator_token << "\n";
    auto [status, out] = run_command(std::string(DIRSYNCCTL_PATH) +
                                     " status --url http://127.0.0.1:" + std::to_string(port()) +
                                     " --token-file " + dir_.file("operator.token") + " 2>&1");
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find(std::string("dirsyncd ") + DIRSYNC_TEST_VERSION + ", up "), std::string::npos) << out;
    EXPECT_NE(out.find("\nready\n"), std::string::npos) << out;
    EXPECT_NE(out.find("tenants 2, users 1"), std::string::npos) << out;
}

}  // namespace
}  // namespace dirsync::testing
