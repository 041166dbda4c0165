// Hostile input against the real daemon: each test reproduces a finding of the hardening issue (a crash, a
// 500, input that should be refused) and checks the daemon answers correctly and keeps serving afterwards.
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* admin_token = "hardening-admin-token-0123456789";
constexpr const char* user_schema = "urn:ietf:params:scim:schemas:core:2.0:User";

class HardeningTest : public DaemonTest {
  protected:
    std::string limits_yaml() const override {
        return "  limits: { max_body_bytes: 2MiB, header_timeout: 5s, idle_timeout: 30s, shutdown_grace: 5s "
               "}\n";
    }
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(admin_token)) + "\"\n";
    }

    /// A user whose attribute "x" holds arrays nested `depth` levels (the user object itself is one more).
    static std::string user_with_nesting(const std::string& user_name, std::size_t depth) {
        return R"({"schemas":[")" + std::string(user_schema) + R"("],"userName":")" + user_name +
               R"(","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    }

    void expect_alive() {
        auto r = call(acme_token, "GET", "/scim/v2/Users?count=1");
        EXPECT_EQ(r.status, 200) << "the daemon no longer answers: " << r.body;
    }

    static std::string detail(const http_result& r) { return parse(r).value("detail", ""); }
};

// ---- 1. nesting ----

TEST_F(HardeningTest, DeepJsonIsRefusedOnEveryWritingEndpointAndTheDaemonLives) {
    const std::string id = create_user(acme_token, "deep-target");
    auto group =
        call(acme_token, "POST", "/scim/v2/Groups",
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"deep-group"})");
    ASSERT_EQ(group.status, 201) << group.body;
    const std::string group_id = parse(group)["id"];

    const std::string deep(60'000, '[');
    const std::string deep_value = deep + std::string(60'000, ']');
    struct {
        std::string method;
        std::string target;
        std::string body;
    } requests[] = {
        {"POST", "/scim/v2/Users", user_with_nesting("deep-post", 60'000)},
        {"PUT", "/scim/v2/Users/" + id, user_with_nesting("deep-target", 60'000)},
        {"PATCH", "/scim/v2/Users/" + id,
         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"x","value":)" +
             deep_value + "}]}"},
        {"POST", "/scim/v2/Groups",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","x":)" + deep_value +
             "}"},
        {"PATCH", "/scim/v2/Groups/" + group_id,
         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"x","value":)" +
             deep_value + "}]}"},
        {"POST", "/scim/v2/Bulk",
         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST",)"
         R"("path":"/Users","bulkId":"a","data":)" +
             user_with_nesting("deep-bulk", 60'000) + "}]}"},
        {"POST", "/scim/v2/Users/.search", R"({"filter":)" + deep_value + "}"},
        // Nested objects cost more per level than arrays in most parsers.
        {"POST", "/scim/v2/Users",
         [] {
             std::string s =
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"deep-objects","x":)";
             for (int i = 0; i < 60'000; ++i) s += R"({"a":)";
             return s + "1" + std::string(60'001, '}');
         }()},
    };
    for (const auto& r : requests) {
        SCOPED_TRACE(r.method + " " + r.target);
        auto res = call(acme_token, r.method, r.target, r.body);
        expect_scim_error(res, 400, "invalidSyntax");
        EXPECT_NE(detail(res).find("nested deeper than 32 levels"), std::string::npos) << res.body;
        expect_alive();
    }
    auto admin =
        call(admin_token, "POST", "/admin/v1/sync/sources/none/runs", R"({"dry_run":)" + deep_value + "}");
    EXPECT_EQ(admin.status, 400) << admin.body;
    EXPECT_NE(detail(admin).find("nested deeper"), std::string::npos) << admin.body;

    // Nothing of the refused requests was stored.
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users?filter=userName%20sw%20%22deep-%22"));
    EXPECT_EQ(list["totalResults"], 1) << list.dump();
    auto target = parse(call(acme_token, "GET", "/scim/v2/Users/" + id));
    EXPECT_FALSE(target.contains("x")) << target.dump();
}

TEST_F(HardeningTest, NestingUpToTheLimitIsStoredAndServed) {
    // The user object is level 1, so 31 levels of arrays reach the default limit of 32 exactly.
    auto created = call(acme_token, "POST", "/scim/v2/Users", user_with_nesting("at-the-limit", 31));
    ASSERT_EQ(created.status, 201) << created.body;
    auto got = call(acme_token, "GET", "/scim/v2/Users/" + parse(created)["id"].get<std::string>());
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(parse(got)["x"].dump(), std::string(31, '[') + std::string(31, ']'));

    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", user_with_nesting("over-the-limit", 32)),
                      400, "invalidSyntax");
}

// ---- 2. numbers out of range ----

TEST_F(HardeningTest, NumbersOutOfRangeAre400NamingTheAttribute) {
    const std::string id = create_user(acme_token, "numbers");
    struct {
        std::string method;
        std::string target;
        std::string body;
        std::string attribute;
    } requests[] = {
        {"POST", "/scim/v2/Users",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"n1","x":1e999})", "x"},
        {"POST", "/scim/v2/Users",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"n2","name":{"givenName":-1e999}})",
         "name.givenName"},
        {"PUT", "/scim/v2/Users/" + id,
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"numbers","x":1e999})", "x"},
        {"PATCH", "/scim/v2/Users/" + id,
         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"x","value":1e999}]})",
         "Operations.value"},
        {"POST", "/scim/v2/Groups",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","x":1e999})", "x"},
        {"POST", "/scim/v2/Bulk",
         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST",)"
         R"("path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"n3","x":1e999}}]})",
         "Operations.data.x"},
        {"POST", "/scim/v2/Users/.search", R"({"count":1e999})", "count"},
    };
    for (const auto& r : requests) {
        SCOPED_TRACE(r.method + " " + r.target + " " + r.body);
        auto res = call(acme_token, r.method, r.target, r.body);
        expect_scim_error(res, 400, "invalidValue");
        EXPECT_NE(detail(res).find("\"" + r.attribute + "\""), std::string::npos) << res.body;
    }
    auto admin = call(admin_token, "POST", "/admin/v1/sync/sources/none/runs", R"({"dry_run":1e999})");
    EXPECT_EQ(admin.status, 400) << admin.body;
    EXPECT_NE(detail(admin).find("\"dry_run\""), std::string::npos) << admin.body;
    expect_alive();
    EXPECT_EQ(daemon_->log().find("internal server error"), std::string::npos);
}

TEST_F(HardeningTest, AHugeNumberIsNeitherAnsweredNorLoggedInFull) {
    const auto log_before = daemon_->log().size();
    const std::string digits(900'000, '9');
    auto res = call(acme_token, "POST", "/scim/v2/Users",
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"huge","x":)" +
                        digits + "e999}");
    expect_scim_error(res, 400, "invalidValue");
    EXPECT_LT(res.body.size(), 1000u);
    // An integer too long for 64 bits but within a double is a number like any other.
    auto big = call(acme_token, "POST", "/scim/v2/Users",
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big","x":)" +
                        std::string(300, '9') + "}");
    EXPECT_EQ(big.status, 201) << big.body.substr(0, 300);
    ASSERT_TRUE(wait_for_log("status=201"));
    EXPECT_LT(daemon_->log().size() - log_before, 4096u) << "a log line repeats client input";
}

// ---- 7. input hygiene ----

TEST_F(HardeningTest, ControlCharactersAndBlankNamesAreRefused) {
    const std::string id = create_user(acme_token, "hygiene");
    const std::vector<std::string> bad_user_names = {R"("a\u0000b")",  R"("\u0000")", R"("bell\u0007")",
                                                     R"("tab\there")", R"("   ")",    R"("\u00a0\u3000")",
                                                     R"("c1\u0085")",  R"("line\n")"};
    for (const auto& name : bad_user_names) {
        SCOPED_TRACE(name);
        expect_scim_error(
            call(acme_token, "POST", "/scim/v2/Users",
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":)" + name + "}"),
            400, "invalidValue");
        expect_scim_error(
            call(
                acme_token, "POST", "/scim/v2/Users",
                R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ok-name","displayName":)" +
                    name + "}"),
            400, "invalidValue");
        expect_scim_error(
            call(acme_token, "POST", "/scim/v2/Groups",
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":)" + name + "}"),
            400, "invalidValue");
        expect_scim_error(
            call(
                acme_token, "PATCH", "/scim/v2/Users/" + id,
                R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":)" +
                    name + "}]}"),
            400, "invalidValue");
    }
    auto bulk = call(
        acme_token, "POST", "/scim/v2/Bulk",
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)"
        R"({"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"  "}},)"
        R"({"method":"POST","path":"/Users","bulkId":"b","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bulk-ok"}}]})");
    ASSERT_EQ(bulk.status, 200) << bulk.body;
    auto ops = parse(bulk)["Operations"];
    EXPECT_EQ(ops[0]["status"], "400") << bulk.body;
    EXPECT_EQ(ops[1]["status"], "201") << bulk.body;

    // Leading and trailing spaces, and an empty optional displayName, stay as they were.
    EXPECT_EQ(
        call(
            acme_token, "POST", "/scim/v2/Users",
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":" spaced ","displayName":""})")
            .status,
        201);
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users?count=0"));
    EXPECT_EQ(list["totalResults"], 3) << list.dump();
}

TEST_F(HardeningTest, NamesThatCollideCaseInsensitivelyAreRefused) {
    for (
        const std::string body :
        {R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","userName":"b"})",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","USERNAME":"b"})",
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"x","GIVENNAME":"y"}})"}) {
        SCOPED_TRACE(body);
        auto res = call(acme_token, "POST", "/scim/v2/Users", body);
        expect_scim_error(res, 400, "invalidSyntax");
        EXPECT_NE(detail(res).find("appears twice"), std::string::npos) << res.body;
    }
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users?count=0"))["totalResults"], 0);
}

TEST_F(HardeningTest, TwoAuthorizationHeadersAreRefused) {
    http_client c(port());
    auto r = c.request("GET", "/scim/v2/Users", {},
                       {"Authorization: Bearer " + std::string(acme_token), "Authorization: Bearer wrong"});
    expect_scim_error(r, 400);
    EXPECT_NE(detail(r).find("more than one Authorization"), std::string::npos) << r.body;
    http_client d(port());
    auto both_good = d.request("GET", "/scim/v2/Users", {},
                               {"Authorization: Bearer " + std::string(acme_token),
                                "Authorization: Bearer " + std::string(acme_token)});
    EXPECT_EQ(both_good.status, 400);
    expect_alive();
}

TEST_F(HardeningTest, HostIsRequiredOnceInHttp11) {
    const std::string auth = "Authorization: Bearer " + std::string(acme_token) + "\r\n";
    {
        http_client c(port());
        auto r = c.raw("GET /scim/v2/Users HTTP/1.1\r\n" + auth + "\r\n");
        expect_scim_error(r, 400);
        EXPECT_NE(detail(r).find("Host"), std::string::npos) << r.body;
    }
    {
        http_client c(port());
        auto r = c.raw("GET /scim/v2/Users HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth + "\r\n");
        expect_scim_error(r, 400);
    }
    {
        http_client c(port());  // HTTP/1.0 has no Host requirement
        auto r = c.raw("GET /scim/v2/Users HTTP/1.0\r\n" + auth + "\r\n");
        EXPECT_EQ(r.status, 200) << r.body;
    }
    expect_alive();
}

TEST_F(HardeningTest, TooManyHeaderFieldsAre431) {
    // About 1,300 small fields, well within max_header_bytes (16 KiB).
    std::string headers;
    for (int i = 0; headers.size() < 14'000; ++i) headers += "X-" + std::to_string(i) + ": v\r\n";
    http_client c(port());
    auto r = c.raw("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   std::string(acme_token) + "\r\n" + headers + "\r\n");
    EXPECT_EQ(r.status, 431) << r.body;
    expect_alive();

    std::string fifty;
    for (int i = 0; i < 50; ++i) fifty += "X-" + std::to_string(i) + ": v\r\n";
    http_client ok(port());
    EXPECT_EQ(ok.raw("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     std::string(acme_token) + "\r\n" + fifty + "\r\n")
                  .status,
              200);
}

TEST_F(HardeningTest, TheAccessLogHoldsNoFilterValue) {
    create_user(acme_token, "secret.person");
    auto r = call(acme_token, "GET",
                  "/scim/v2/Users?filter=userName%20eq%20%22secret.person%22%20or%20emails.value%20co%20%22"
                  "secret.person%40example.com%22&count=5");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(parse(r)["totalResults"], 1);
    ASSERT_TRUE(wait_for_log("filter=userName eq \\\"?\\\" or emails.value co \\\"?\\\"&count=5"))
        << daemon_->log();
    const auto log = daemon_->log();
    EXPECT_EQ(log.find("secret.person%40"), std::string::npos) << log;
    EXPECT_EQ(log.find("%22secret"), std::string::npos) << log;
}

// ---- 5. memory amplification ----

TEST_F(HardeningTest, AResourceOverTheStoredSizeLimitIs413AndNothingIsStored) {
    auto big = user_json("giant");
    big["nickName"] =
        std::string(200 * 1024, 'n');  // under the 2 MiB body limit, over the 128 KiB record limit
    auto r = call(acme_token, "POST", "/scim/v2/Users", big.dump());
    expect_scim_error(r, 413);
    EXPECT_NE(detail(r).find("at most 131072"), std::string::npos) << r.body;
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users?count=0"))["totalResults"], 0);

    const auto id = create_user(acme_token, "grows");
    auto patch = json{
        {"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
        {"Operations", {{{"op", "add"}, {"path", "nickName"}, {"value", std::string(200 * 1024, 'p')}}}}};
    expect_scim_error(call(acme_token, "PATCH", "/scim/v2/Users/" + id, patch.dump()), 413);
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users/" + id)).value("nickName", ""), "");
}

TEST_F(HardeningTest, ListPagesOfLargeRecordsStopAtTheByteBudgetAndPageOnCorrectly) {
    // 60 users of about 100 KB: a page of count=1000 used to return all of them at once (and hold many
    // times that in memory); now a page stops near 4 MiB and the client pages on with startIndex.
    constexpr int users = 60;
    for (int i = 0; i < users; ++i) {
        auto u = user_json("big" + std::to_string(i));
        u["nickName"] = std::string(100 * 1000, static_cast<char>('a' + i % 26));
        ASSERT_EQ(call(acme_token, "POST", "/scim/v2/Users", u.dump()).status, 201);
    }
    std::set<std::string> seen;
    int pages = 0;
    for (int start = 1; start <= users; ++pages) {
        auto r = call(acme_token, "GET", "/scim/v2/Users?count=1000&startIndex=" + std::to_string(start));
        ASSERT_EQ(r.status, 200);
        EXPECT_LT(r.body.size(), 4u * 1024 * 1024 + 200 * 1000) << "page " << pages;
        auto page = parse(r);
        EXPECT_EQ(page["totalResults"], users);
        const int items = page["itemsPerPage"];
        ASSERT_GE(items, 1);
        ASSERT_EQ(page["Resources"].size(), static_cast<std::size_t>(items));
        for (const auto& u : page["Resources"]) seen.insert(u["id"].get<std::string>());
        start += items;
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(users));
    EXPECT_GE(pages, 2);
}

// ---- 6. connection lockout ----

/// A small connection limit and a long header timeout, so that silent connections stay as long as the test.
class ConnectionFloodTest : public HardeningTest {
  protected:
    static constexpr int limit = 40;
    std::string limits_yaml() const override {
        return "  limits: { max_body_bytes: 2MiB, header_timeout: 60s, idle_timeout: 60s, shutdown_grace: "
               "5s, "
               "max_connections: " +
               std::to_string(limit) + " }\n";
    }
};

TEST_F(ConnectionFloodTest, SilentAndHalfSentConnectionsDoNotLockOutClientsWithTokens) {
    // Without a token, anyone who can open TCP connections used to fill the limit and get every tenant a 503
    // until the header timeout, then do it again. Now new connections displace the oldest ones that have
    // not completed a request, so clients that do send requests are served throughout the flood.
    std::vector<std::unique_ptr<http_client>> flood;
    for (int i = 0; i < 3 * limit; ++i) {
        flood.push_back(std::make_unique<http_client>(port(), std::chrono::seconds(2)));
        // Half of them send the start of a request and stop (slowloris); the others send nothing.
        ASSERT_TRUE(flood.back()->send_only(i % 2 == 0 ? "" : "GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\n"));
    }
    for (int round = 0; round < 5; ++round) {
        for (const char* token : {acme_token, globex_token}) {
            auto r = call(token, "GET", "/scim/v2/Users?count=1");
            EXPECT_EQ(r.status, 200) << "round " << round << ": " << r.body;
        }
        http_client health(port());
        EXPECT_EQ(health.request("GET", "/healthz").status, 200) << "round " << round;
        // More of the flood between the rounds.
        for (int i = 0; i < limit / 2; ++i) {
            flood.push_back(std::make_unique<http_client>(port(), std::chrono::seconds(2)));
            ASSERT_TRUE(flood.back()->send_only(""));
        }
    }
    EXPECT_TRUE(wait_for_log("connection limit of " + std::to_string(limit) + " reached")) << daemon_->log();
}

// ---- 4. one tenant stalls everyone ----

/// Two workers, one request per tenant at a time, a short grace and a tight search time limit, so that one
/// tenant's heavy requests are easy to make and their effect on the other tenant is plain.
class NoisyNeighbourTest : public HardeningTest {
  protected:
    std::string limits_yaml() const override {
        return "  limits: { max_body_bytes: 2MiB, header_timeout: 5s, idle_timeout: 30s, shutdown_grace: 1s "
               "}\n";
    }
    std::string extra_server_yaml() const override { return "  workers: 2\n  tenant_concurrency: 1\n"; }
    std::string extra_top_level_yaml() const override {
        return HardeningTest::extra_top_level_yaml() + "scim:\n  search_time_limit: 1ms\n";
    }

    /// A Bulk of `n` user POSTs named `<prefix><i>`; with `passwords`, each sets one (so each costs a scrypt
    /// hash).
    static std::string user_bulk(const std::string& prefix, int n, bool passwords = false) {
        json ops = json::array();
        for (int i = 0; i < n; ++i) {
            json user = {{"schemas", {user_schema}}, {"userName", prefix + std::to_string(i)}};
            if (passwords) user["password"] = "correct horse battery " + std::to_string(i);
            ops.push_back({{"method", "POST"},
                           {"path", "/Users"},
                           {"bulkId", "b" + std::to_string(i)},
                           {"data", user}});
        }
        return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}}, {"Operations", ops}}
            .dump();
    }
};

TEST_F(NoisyNeighbourTest, AnotherTenantIsServedWhileOneRunsPasswordBulks) {
    const std::string globex_id = create_user(globex_token, "quiet");
    // Two Bulks of password POSTs used to hold both I/O threads for their whole run; every other tenant,
    // /healthz and the admin API waited behind them.
    std::vector<std::future<http_result>> heavy;
    for (int b = 0; b < 2; ++b)
        heavy.push_back(std::async(std::launch::async, [&, b] {
            // acme's requests run one at a time (tenant_concurrency 1): the second Bulk waits for the first.
            http_client c(port(), std::chrono::seconds(60));
            return c.request(
                "POST", "/scim/v2/Bulk", user_bulk("p" + std::to_string(b) + "-", 20, true),
                {"Authorization: Bearer " + std::string(acme_token), "Content-Type: application/scim+json"});
        }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (int round = 0; round < 5; ++round) {
        const auto started = std::chrono::steady_clock::now();
        EXPECT_EQ(call(globex_token, "GET", "/scim/v2/Users/" + globex_id).status, 200);
        EXPECT_EQ(call({}, "GET", "/healthz").status, 200);
        EXPECT_EQ(call(admin_token, "GET", "/admin/v1/sync/runs").status, 200);
        // Loose on purpose (a noisy machine): the Bulks take seconds, these took milliseconds.
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500)) << round;
    }
    EXPECT_EQ(heavy[0].wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "the Bulks finished before the other tenant was served: the test proved nothing";
    for (auto& h : heavy) {
        auto r = h.get();
        ASSERT_EQ(r.status, 200) << r.body;
        const auto body = parse(r);  // kept alive for the loop: a temporary's member would dangle
        ASSERT_FALSE(body["Operations"].empty()) << r.body;
        for (const auto& op : body["Operations"]) EXPECT_EQ(op["status"], "201") << op.dump();
    }
}

TEST_F(NoisyNeighbourTest, AnUnindexedSearchPastTheTimeLimitIsTooMany) {
    auto seeded = call(acme_token, "POST", "/scim/v2/Bulk", user_bulk("user-", 1000));
    ASSERT_EQ(seeded.status, 200) << seeded.body;
    auto r = call(acme_token, "GET",
                  "/scim/v2/Users?filter=" + percent_encode("displayName co \"x\"") + "&sortBy=userName");
    expect_scim_error(r, 400, "tooMany");
    EXPECT_NE(detail(r).find("indexed attribute"), std::string::npos) << r.body;
    r = call(acme_token, "POST", "/scim/v2/Users/.search",
             R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"title pr"})");
    expect_scim_error(r, 400, "tooMany");
    // Indexed lookups and plain pages are not scans, and are served.
    r = call(acme_token, "GET", "/scim/v2/Users?filter=" + percent_encode("userName eq \"user-500\""));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["totalResults"], 1);
    r = call(acme_token, "GET", "/scim/v2/Users?startIndex=900&count=50");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["itemsPerPage"], 50);
}

TEST_F(NoisyNeighbourTest, ALongBulkIsCancelledAtTheShutdownDeadline) {
    // 200 password hashes take many seconds; SIGTERM with a 1 s grace used to wait for all of them.
    auto bulk = std::async(std::launch::async, [&] {
        return call(acme_token, "POST", "/scim/v2/Bulk", user_bulk("late-", 200, true));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto stop_at = std::chrono::steady_clock::now();
    EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_at, std::chrono::seconds(5));
    bulk.wait();
    EXPECT_NE(daemon_->log().find("cancelling their requests"), std::string::npos) << daemon_->log();

    // What was committed before the deadline is all there, and nothing half-made.
    daemon_->start();
    auto r = call(acme_token, "GET", "/scim/v2/Users?count=1000");
    ASSERT_EQ(r.status, 200) << r.body;
    const int stored = parse(r)["totalResults"];
    EXPECT_LT(stored, 200);
    const auto body = parse(r);  // kept alive for the loop: a temporary's member would dangle
    for (const auto& u : body["Resources"]) EXPECT_EQ(u["userName"].get<std::string>().rfind("late-", 0), 0u);
}

// ---- 3. a full disk ----

/// The database lives on its own small tmpfs, which the test fills. Needs CAP_SYS_ADMIN (root, as in CI).
class FullDiskTest : public HardeningTest {
  protected:
    std::filesystem::path mount_point_;
    bool mounted_ = false;

    void SetUp() override {
        mount_point_ = dir_.file("data");
        std::filesystem::create_directories(mount_point_);
        if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") != 0)
            GTEST_SKIP() << "cannot mount a tmpfs to fill (" << std::strerror(errno) << "); needs root";
        mounted_ = true;
        HardeningTest::SetUp();
    }

    void TearDown() override {
        HardeningTest::TearDown();
        if (daemon_) daemon_->stop();
        if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
    }

    /// Fills the file system with one file; returns its path.
    std::filesystem::path fill() {
        auto filler = mount_point_ / "filler";
        std::FILE* f = std::fopen(filler.c_str(), "wb");
        EXPECT_NE(f, nullptr);
        std::vector<char> block(64 * 1024, 'f');
        while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
        }
        std::fclose(f);
        return filler;
    }
};

TEST_F(FullDiskTest, WritesAre503WhileTheDiskIsFullAndWorkAgainAfter) {
    std::set<std::string> acknowledged;
    for (int i = 0; i < 5; ++i) acknowledged.insert(create_user(acme_token, "before-" + std::to_string(i)));
    EXPECT_EQ(call({}, "GET", "/healthz").status, 200);

    auto filler = fill();
    int refused = 0;
    for (int i = 0; i < 40 && refused < 3; ++i) {
        auto payload = user_json("during-" + std::to_string(i));
        payload["padding"] = std::string(4000, 'p');
        auto r = call(acme_token, "POST", "/scim/v2/Users", payload.dump());
        ASSERT_NE(r.status, 500) << r.body;
        if (r.status == 201) {
            acknowledged.insert(parse(r)["id"].get<std::string>());
            continue;
        }
        expect_scim_error(r, 503);
        EXPECT_EQ(r.header("Retry-After"), "30");
        EXPECT_NE(detail(r).find("storage of the service is full"), std::string::npos) << r.body;
        ++refused;
    }
    ASSERT_EQ(refused, 3) << "the full disk never refused a write";

    // A Bulk reports the refusal per operation.
    auto bulk = call(
        acme_token, "POST", "/scim/v2/Bulk",
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)"
        R"({"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bulk-full","x":")" +
            std::string(8000, 'b') + R"("}}]})");
    ASSERT_EQ(bulk.status, 200) << bulk.body;
    EXPECT_EQ(parse(bulk)["Operations"][0]["status"], "503") << bulk.body;

    auto health = call({}, "GET", "/healthz");
    EXPECT_EQ(health.status, 503) << health.body;
    EXPECT_EQ(parse(health)["storage"], "full") << health.body;
    EXPECT_FALSE(health.header("Retry-After").empty());
    // Reads go on.
    for (const auto& id : acknowledged)
        EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users/" + id).status, 200);

    std::filesystem::remove(filler);
    EXPECT_EQ(call({}, "GET", "/healthz").status, 200);
    acknowledged.insert(create_user(acme_token, "after"));

    restart();
    for (const auto& id : acknowledged)
        EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users/" + id).status, 200)
            << "acknowledged user " << id << " lost";
    EXPECT_EQ(daemon_->log().find("internal server error"), std::string::npos);
}

}  // namespace
}  // namespace dirsync::testing
