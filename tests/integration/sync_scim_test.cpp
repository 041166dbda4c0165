// A `type: scim` source end to end: a second real dirsyncd, loaded through its own SCIM API, serves as the
// remote service provider that the dirsyncd under test pulls users and groups from.
#include <signal.h>

#include <fstream>
#include <map>

#include "tests/integration/sync_fixture.hpp"
#include "tests/support/helper_process.hpp"
#include "tests/support/test_certificates.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* remote_token = "remote-token-0123456789";
constexpr const char* bulk_urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The remote: another dirsyncd with one tenant whose SCIM token is `remote_token`.
class remote_provider {
  public:
    /// `extra_tokens`: more SCIM tokens the remote accepts besides `remote_token`.
    /// `tls`: the remote serves HTTPS with a certificate of the test CA (ca_file()); the test's own client
    /// speaks plain HTTP only, so such a remote cannot be loaded.
    explicit remote_provider(const std::vector<std::string>& extra_tokens = {}, bool tls = false)
        : tls_(tls) {
        if (tls) write_certificates(dir_.path());
        std::string tokens = "      - sha256: \"" + common::to_hex(common::sha256(remote_token)) + "\"\n";
        for (const auto& t : extra_tokens)
            tokens += "      - sha256: \"" + common::to_hex(common::sha256(t)) + "\"\n";
        std::ofstream(dir_.file("remote.yaml")) << "server:\n"
                                                   "  listen: 127.0.0.1:0\n"
                                                   "  threads: 2\n"
                                                   "  limits: { max_body_bytes: 4MiB }\n"
                                                << (tls ? "  tls: { cert: " + dir_.file("server.pem") +
                                                              ", key: " + dir_.file("server.key") + " }\n"
                                                        : std::string())
                                                << ""
                                                   "storage:\n"
                                                   "  sqlite: "
                                                << dir_.file("remote.db")
                                                << "\n"
                                                   "tenants:\n"
                                                   "  - id: remote\n"
                                                   "    name: Remote IdP\n"
                                                   "    scim_tokens:\n"
                                                << tokens;
        process_ = std::make_unique<daemon_process>(dir_.file("remote.yaml"), dir_.file("remote.log"));
        process_->start();
    }

    std::uint16_t port() const { return process_->port(); }
    daemon_process& process() { return *process_; }
    std::string url() const {
        return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) + "/scim/v2";
    }
    std::string ca_file() const { return dir_.file("ca.pem"); }
    std::string wrong_ca_file() const { return dir_.file("wrong-ca.pem"); }

    http_result call(const std::string& method, const std::string& target, const std::string& body = {}) {
        http_client c(port());
        std::vector<std::string> headers = {std::string("Authorization: Bearer ") + remote_token};
        if (!body.empty()) headers.push_back("Content-Type: application/scim+json");
        return c.request(method, "/scim/v2" + target, body, headers);
    }

    static json person(int i) {
        char name[32];
        std::snprintf(name, sizeof name, "user%05d", i);
        return {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User", enterprise}},
                {"userName", std::string(name) + "@remote.example"},
                {"displayName", "User " + std::to_string(i)},
                {"name", {{"givenName", "Given" + std::to_string(i)}, {"familyName", "Family"}}},
                {"active", i % 10 != 3},
                {"emails",
                 {{{"value", std::string(name) + "@work.example"}, {"type", "work"}},
                  {{"value", std::string(name) + "@home.example"}, {"type", "home"}}}},
                {enterprise, {{"department", i % 2 == 0 ? "Even" : "Odd"}}}};
    }

    /// Creates users `first`..`last` through Bulk, 500 per request; returns userName -> id.
    std::map<std::string, std::string> add_people(int first, int last) {
        std::map<std::string, std::string> ids;
        for (int start = first; start <= last; start += 500) {
            json ops = json::array();
            for (int i = start; i <= std::min(last, start + 499); ++i)
                ops.push_back({{"method", "POST"},
                               {"path", "/Users"},
                               {"bulkId", "u" + std::to_string(i)},
                               {"data", person(i)}});
            auto r = call("POST", "/Bulk", json({{"schemas", {bulk_urn}}, {"Operations", ops}}).dump());
            EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
            const json answer = json::parse(r.body, nullptr, false);
            if (!answer.is_object()) continue;
            for (const auto& op : answer["Operations"]) {
                EXPECT_EQ(op.value("status", ""), "201") << op.dump();
                const std::string location = op.value("location", "");
                const int i = std::stoi(op["bulkId"].get<std::string>().substr(1));
                ids[person(i)["userName"].get<std::string>()] = location.substr(location.rfind('/') + 1);
            }
        }
        return ids;
    }

    std::string add_group(const std::string& name, const std::vector<std::string>& member_ids) {
        json members = json::array();
        for (const auto& id : member_ids) members.push_back({{"value", id}});
        auto r = call("POST", "/Groups",
                      json({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", name},
                            {"members", members}})
                          .dump());
        EXPECT_EQ(r.status, 201) << r.body;
        return json::parse(r.body, nullptr, false).value("id", "");
    }

  private:
    bool tls_ = false;
    temp_dir dir_;
    std::unique_ptr<daemon_process> process_;
};

class SyncScimTest : public SyncDaemonTest {
  protected:
    explicit SyncScimTest(const std::vector<std::string>& extra_remote_tokens = {}, bool remote_tls = false)
        : remote(extra_remote_tokens, remote_tls) {}

    remote_provider remote;
    std::string source_extra = "    page_size: 100\n";

    /// Loads the remote before the daemon under test starts (its first scheduled run reads it 2 s later).
    virtual void load_remote() {}
    virtual std::string token_at_start() const { return remote_token; }
    virtual std::string auth_yaml() const {
        return "    auth: { bearer_token: { file: " + dir_.file("remote.token") + " } }\n";
    }

    void SetUp() override {
        source_name = "idp";
        std::ofstream(dir_.file("remote.token")) << token_at_start() << "\n";
        load_remote();
        DaemonTest::SetUp();
    }

    std::string extra_top_level_yaml() const override {
        return admin_tokens_yaml() +
               "sources:\n"
               "  - name: idp\n"
               "    tenant: acme\n"
               "    type: scim\n"
               "    url: " +
               remote.url() + "\n" + auth_yaml() +
               "    retries: 1\n"
               "    schedule: { every: 24h, jitter: 1ms }\n"
               "    timeouts: { connect: 5s, operation: 5s, run: 120s }\n" +
               source_extra +
               "    users:\n"
               "      map:\n"
               "        userName: \"{userName}\"\n"
               "        displayName: \"{displayName}\"\n"
               "        name.givenName: \"{name.givenName}\"\n"
               "        emails[type eq \"work\"].value: '{emails[type eq \"work\"].value}'\n"
               "        " +
               enterprise + ":department: \"{" + enterprise +
               ":department}\"\n"
               "    groups: {}\n"
               "    roles:\n"
               "      - { role: admin, when: 'groups[display eq \"Admins\"]' }\n"
               "    safety: { max_orphans: 100, max_orphan_ratio: 0.5 }\n";
    }
};

class SyncScimBigRemoteTest : public SyncScimTest {
  protected:
    std::map<std::string, std::string> ids;

    void load_remote() override {
        ids = remote.add_people(1, 10'000);
        ASSERT_EQ(ids.size(), 10'000u);
        const std::string admins = remote.add_group("Admins", {ids.at("user00001@remote.example")});
        // A group member of a group: users are read, member groups are noted and left out.
        remote.add_group("Staff",
                         {ids.at("user00001@remote.example"), ids.at("user00002@remote.example"), admins});
    }
};

TEST_F(SyncScimBigRemoteTest, PullsTenThousandUsersAndGroupsThenRenamesAndDeletes) {
    const std::string bob = ids.at("user00002@remote.example");
    auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(first["trigger"], "schedule");
    EXPECT_EQ(first["counts"]["read"], 10'000);
    EXPECT_EQ(first["counts"]["created"], 10'000);
    EXPECT_EQ(first["counts"]["groups_created"], 2);
    EXPECT_EQ(user_count(), 10'000);

    auto u = find_user("user00001@remote.example");
    ASSERT_FALSE(u.is_null());
    EXPECT_EQ(u["displayName"], "User 1");
    EXPECT_EQ(u["name"]["givenName"], "Given1");
    ASSERT_EQ(u["emails"].size(), 1u);  // the work address only
    EXPECT_EQ(u["emails"][0]["value"], "user00001@work.example");
    EXPECT_EQ(u[enterprise]["department"], "Odd");
    EXPECT_EQ(u["active"], true);
    EXPECT_EQ(find_user("user00003@remote.example")["active"], false);  // active eq false: disabled

    // The role comes from the remote's group, by a SCIM filter on the user's groups.
    auto roles = parse(admin("GET", "/tenants/acme/users/" + u["id"].get<std::string>()));
    EXPECT_EQ(roles["roles"], json::array({"admin"})) << roles.dump();
    auto staff = parse(call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22Staff%22"));
    ASSERT_EQ(staff["totalResults"], 1);
    EXPECT_EQ(staff["Resources"][0]["members"].size(), 2u);

    // Nothing changed: nothing written.
    auto second = run_now(R"({"mode":"full"})");
    ASSERT_EQ(second["status"], "ok") << second.dump();
    EXPECT_EQ(second["counts"]["unchanged"], 10'000);
    EXPECT_EQ(second["counts"]["updated"], 0);

    // A rename reaches the tenant by an incremental run (meta.lastModified), a delete by the next full run.
    auto renamed = remote.call("PATCH", "/Users/" + bob,
                               R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                   "Operations":[{"op":"replace","path":"userName","value":"robert@remote.example"}]})");
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    ASSERT_EQ(remote.call("DELETE", "/Users/" + ids.at("user00004@remote.example")).status, 204);
    auto changes = run_now(R"({"mode":"incremental"})");
    ASSERT_EQ(changes["status"], "ok") << changes.dump();
    EXPECT_EQ(changes["mode"], "incremental");
    EXPECT_LT(changes["counts"]["read"].get<int>(), 10);
    EXPECT_EQ(changes["counts"]["updated"], 1);
    EXPECT_EQ(changes["counts"]["orphaned"], 0);  // deletes are not visible by lastModified
    EXPECT_FALSE(find_user("robert@remote.example").is_null());
    EXPECT_TRUE(find_user("user00002@remote.example").is_null());

    auto full = run_now(R"({"mode":"full"})");
    ASSERT_EQ(full["status"], "ok") << full.dump();
    EXPECT_EQ(full["counts"]["orphaned"], 1);
    auto gone = find_user("user00004@remote.example");
    ASSERT_FALSE(gone.is_null());  // flagged, not deleted
    EXPECT_EQ(parse(admin("GET", "/tenants/acme/users/" + gone["id"].get<std::string>()))["status"],
              "orphan");
}

class SyncScimSlowRemoteTest : public SyncScimTest {
  protected:
    SyncScimSlowRemoteTest() { source_extra = "    page_size: 10\n    rate_limit: 20\n"; }
    void load_remote() override { remote.add_people(1, 300); }
};

TEST_F(SyncScimSlowRemoteTest, ARemoteThatFailsMidReadOrphansNothing) {
    auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(user_count(), 300);

    // About 30 pages at 20 requests/s: the remote dies while the run reads.
    const std::int64_t id = start_run(R"({"mode":"full"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    remote.process().kill_hard();
    auto failed = wait_run(id);
    EXPECT_EQ(failed["status"], "failed") << failed.dump();
    EXPECT_TRUE(failed["counts"].is_null() || failed["counts"].value("orphaned", 0) == 0) << failed.dump();
    ASSERT_FALSE(failed["errors"].empty());
    EXPECT_NE(failed["errors"][0].get<std::string>().find("/Users"), std::string::npos) << failed.dump();
    EXPECT_EQ(user_count(), 300);
    EXPECT_FALSE(find_user("user00150@remote.example").is_null());
    EXPECT_EQ(find_user("user00150@remote.example")["active"], true);
}

class SyncScimWrongTokenTest : public SyncScimTest {
  protected:
    void load_remote() override { remote.add_people(1, 5); }
    std::string token_at_start() const override { return "a-token-the-remote-does-not-know"; }
};

TEST_F(SyncScimWrongTokenTest, ARefusedTokenFailsTheRunAndSaysSo) {
    auto run = wait_first_run();
    EXPECT_EQ(run["status"], "failed") << run.dump();
    ASSERT_FALSE(run["errors"].empty());
    const std::string error = run["errors"][0];
    EXPECT_NE(error.find("HTTP 401"), std::string::npos) << error;
    EXPECT_NE(error.find("refused the token"), std::string::npos) << error;
    EXPECT_EQ(error.find("a-token-the-remote"), std::string::npos) << error;  // never the secret
    EXPECT_EQ(user_count(), 0);

    // The next run reads the rotated token again.
    std::ofstream(dir_.file("remote.token")) << remote_token << "\n";
    auto ok = run_now(R"({"mode":"full"})");
    EXPECT_EQ(ok["status"], "ok") << ok.dump();
    EXPECT_EQ(user_count(), 5);
}

/// The token endpoint issues A (which the remote does not accept), then B, then C, each for 4 s.
class SyncScimOAuthTest : public SyncScimTest {
  protected:
    static constexpr const char* token_b = "oauth-token-b-0123456789";
    static constexpr const char* token_c = "oauth-token-c-0123456789";

    SyncScimOAuthTest() : SyncScimTest({token_b, token_c}) {
        port_ = endpoint_.start(
            {DIRSYNC_TEST_PYTHON, DIRSYNC_OAUTH_ENDPOINT_SCRIPT, "--dir", tokens_dir_.path().string(),
             "--client-id", "dirsyncd", "--client-secret", "s3cret:&", "--expires-in", "4", "--tokens",
             "oauth-token-a-0123456789", token_b, token_c},
            tokens_dir_.file("endpoint.log"), tokens_dir_.path() / "ready");
        std::ofstream(tokens_dir_.file("client.secret")) << "s3cret:&\n";
    }

    void load_remote() override { remote.add_people(1, 5); }

    std::string auth_yaml() const override {
        return "    auth:\n"
               "      oauth:\n"
               "        token_url: http://127.0.0.1:" +
               std::to_string(port_) +
               "/oauth2/token\n"
               "        client_id: dirsyncd\n"
               "        client_secret: { file: " +
               tokens_dir_.file("client.secret") +
               " }\n"
               "        scope: scim.read\n";
    }

    int issued() const { return std::stoi("0" + read_file(tokens_dir_.path() / "issued")); }

    temp_dir tokens_dir_;
    helper_process endpoint_;
    std::uint16_t port_ = 0;
};

TEST_F(SyncScimOAuthTest, TokensAreFetchedKeptUntilExpiryAndReplacedWhenRefused) {
    // A is refused by the remote: the run fetches another token (B) once and goes on.
    auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(user_count(), 5);
    EXPECT_EQ(issued(), 2);

    // B is kept for the next run while it is valid.
    auto second = run_now(R"({"mode":"full"})");
    ASSERT_EQ(second["status"], "ok") << second.dump();
    EXPECT_EQ(issued(), 2);

    // Once B expired, the next run fetches C.
    std::this_thread::sleep_for(std::chrono::seconds(4));
    auto third = run_now(R"({"mode":"full"})");
    ASSERT_EQ(third["status"], "ok") << third.dump();
    EXPECT_EQ(issued(), 3);
    EXPECT_EQ(daemon_->log().find("oauth-token-"), std::string::npos);  // tokens never logged
    EXPECT_EQ(daemon_->log().find("s3cret"), std::string::npos);
}

/// The remote serves HTTPS (and has no users: the test's client cannot load it); the source trusts the
/// test CA that signed its certificate.
class SyncScimHttpsTest : public SyncScimTest {
  protected:
    SyncScimHttpsTest() : SyncScimTest({}, true) { source_extra = "    ca_file: " + remote.ca_file() + "\n"; }
};

TEST_F(SyncScimHttpsTest, ReadsOverHttpsWithItsCa) {
    auto first = wait_first_run();
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(first["counts"]["read"], 0);
}

/// As above, but the source trusts an unrelated CA.
class SyncScimUntrustedHttpsTest : public SyncScimTest {
  protected:
    SyncScimUntrustedHttpsTest() : SyncScimTest({}, true) {
        source_extra = "    ca_file: " + remote.wrong_ca_file() + "\n";
    }
};

TEST_F(SyncScimUntrustedHttpsTest, AnUntrustedCertificateFailsTheRun) {
    auto first = wait_first_run();
    EXPECT_EQ(first["status"], "failed") << first.dump();
    ASSERT_FALSE(first["errors"].empty());
    EXPECT_NE(first["errors"][0].get<std::string>().find("certificate"), std::string::npos) << first.dump();
}

}  // namespace
}  // namespace dirsync::testing
