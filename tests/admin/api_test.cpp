// The admin API's routing, authentication and input checks, over a small in-memory sync_control (the daemon's
// real one is exercised by the integration tests).
#include "admin/api.hpp"

#include <gtest/gtest.h>

#include "common/sha256.hpp"
#include "http/router.hpp"
#include "scim/error.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::admin {
namespace {

class recording_control : public sync_control {
  public:
    nlohmann::json sources() const override { return nlohmann::json::array({{{"name", "corp"}}}); }
    outcome source(std::string_view name) const override {
        if (name != "corp") return refusal{404, "no source '" + std::string(name) + "'"};
        return nlohmann::json{{"name", "corp"}};
    }
    outcome runs(std::string_view source, std::size_t limit) const override {
        last_runs_source = std::string(source);
        last_limit = limit;
        return nlohmann::json::array();
    }
    outcome run(std::int64_t id) const override {
        if (id != 7) return refusal{404, "no run"};
        return nlohmann::json{{"id", 7}, {"status", "ok"}};
    }
    outcome plan(std::int64_t id) const override {
        if (id != 7) return refusal{404, "run kept no plan"};
        return nlohmann::json{{"tenant", "acme"}, {"creates", nlohmann::json::array()}};
    }
    outcome start_run(std::string_view source, const run_request& r) override {
        started = r;
        if (source != "corp") return refusal{404, "no source"};
        return nlohmann::json{{"run", 8}};
    }
    outcome release(std::string_view source, std::int64_t id, std::string_view actor) override {
        released = std::string(source) + "/" + std::to_string(id) + " by " + std::string(actor);
        if (id != 7) return refusal{409, "run 9 is not blocked"};
        return nlohmann::json{{"id", 7}};
    }

    mutable std::string last_runs_source;
    mutable std::size_t last_limit = 0;
    std::optional<run_request> started;
    std::string released;
};

constexpr const char* token = "admin-secret-token";

class AdminApiTest : public ::testing::Test {
  protected:
    recording_control control;
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "admin.db")};
    directory::tenant_directory records{db_};
    http::bearer_authenticator auth{
        {{http::principal::operator_admin(), common::sha256(token)},
         {http::principal::scim_client("acme"), common::sha256("scim-token-of-acme")}}};
    api admin{control, records};
    /// The audit actor of `token`.
    const std::string actor = "admin:" + common::to_hex(common::sha256(token)).substr(0, 8);

    static http::response route(api& a, const http::bearer_authenticator& auth, http::request& req) {
        http::router r(auth, [](unsigned status, std::string_view detail) {
            return scim::error_response(status, detail);
        });
        a.add_routes(r);
        return r(req);
    }

    http::response call(std::string method, std::string target, std::string body = {},
                        std::string bearer = token) {
        http::request req;
        req.method = std::move(method);
        req.target = std::move(target);
        req.body = std::move(body);
        if (!bearer.empty()) req.headers.push_back({"Authorization", "Bearer " + bearer});
        return route(admin, auth, req);
    }
};

TEST_F(AdminApiTest, OwnsOnlyItsBasePath) {
    for (auto target : {"/admin/v10", "/admin", "/scim/v2/Users", "/admin/v1x/sync/runs"}) {
        auto res = call("GET", target);
        EXPECT_EQ(res.status, 404u) << target;
    }
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs?limit=3").status, 200u);
}

TEST_F(AdminApiTest, RefusesMissingWrongAndScimTokens) {
    for (auto bearer : {std::string(), std::string("wrong"), std::string("scim-token-of-acme")}) {
        auto res = call("GET", "/admin/v1/sync/sources", {}, bearer);
        EXPECT_EQ(res.status, 401u) << bearer;
        EXPECT_NE(res.body.find("urn:ietf:params:scim:api:messages:2.0:Error"), std::string::npos);
    }
    http::bearer_authenticator none{{}};
    api disabled{control, records};
    http::request req{
        "GET", "/admin/v1/sync/sources", {{"Authorization", std::string("Bearer ") + token}}, {}, {}};
    auto res = route(disabled, none, req);
    EXPECT_EQ(res.status, 401u);
    EXPECT_NE(res.body.find("no admin_tokens"), std::string::npos);
}

TEST_F(AdminApiTest, RoutesReads) {
    auto res = call("GET", "/admin/v1/sync/sources");
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(res.body)[0]["name"], "corp");
    EXPECT_EQ(call("GET", "/admin/v1/sync/sources/corp").status, 200u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/sources/nope").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/sources/corp/runs?limit=5").status, 200u);
    EXPECT_EQ(control.last_runs_source, "corp");
    EXPECT_EQ(control.last_limit, 5u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs?limit=5000").status, 200u);
    EXPECT_EQ(control.last_runs_source, "");
    EXPECT_EQ(control.last_limit, 1000u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs").status, 200u);
    EXPECT_EQ(control.last_limit, 20u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/7").status, 200u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/8").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/x").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/-1").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/7/plan").status, 200u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/8/plan").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/sync/runs/x/plan").status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/nothing").status, 404u);
}

TEST_F(AdminApiTest, BadLimitsAreRefused) {
    for (auto q : {"?limit=0", "?limit=x", "?limit=-3", "?limit=%zz"})
        EXPECT_EQ(call("GET", std::string("/admin/v1/sync/runs") + q).status, 400u) << q;
}

TEST_F(AdminApiTest, StartsRunsWithCheckedBodies) {
    auto res = call("POST", "/admin/v1/sync/sources/corp/runs", R"({"dry_run":true,"mode":"full"})");
    EXPECT_EQ(res.status, 202u);
    ASSERT_TRUE(control.started);
    EXPECT_TRUE(control.started->dry_run);
    EXPECT_EQ(control.started->mode, "full");
    EXPECT_EQ(control.started->actor, actor);
    EXPECT_EQ(call("POST", "/admin/v1/sync/sources/corp/runs").status, 202u);
    EXPECT_FALSE(control.started->dry_run);
    EXPECT_FALSE(control.started->mode);
    for (auto body : {"[]", "{", R"({"dry_run":"yes"})", R"({"mode":"partial"})", R"({"force":true})"})
        EXPECT_EQ(call("POST", "/admin/v1/sync/sources/corp/runs", body).status, 400u) << body;
    EXPECT_EQ(call("POST", "/admin/v1/sync/sources/nope/runs").status, 404u);
}

TEST_F(AdminApiTest, ReleasesAndRefusesWrongMethods) {
    EXPECT_EQ(call("POST", "/admin/v1/sync/sources/corp/runs/7/release").status, 200u);
    EXPECT_EQ(control.released, "corp/7 by " + actor);
    EXPECT_EQ(call("POST", "/admin/v1/sync/sources/corp/runs/9/release").status, 409u);
    auto res = call("DELETE", "/admin/v1/sync/sources/corp/runs");
    EXPECT_EQ(res.status, 405u);
    ASSERT_FALSE(res.headers.empty());
    EXPECT_EQ(res.headers.back().value, "GET, HEAD, POST");
    EXPECT_EQ(call("GET", "/admin/v1/sync/sources/corp/runs/7/release").status, 405u);
    EXPECT_EQ(call("POST", "/admin/v1/sync/runs").status, 405u);
}

TEST_F(AdminApiTest, TenantsShowSeatsAndUsersByStatus) {
    records.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 2}});
    const directory::actor who{"scim-token", "0123abcd"};
    for (const char* name : {"a", "b", "c"}) {
        directory::user_write w;
        w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", name}};
        ASSERT_TRUE(records.create_user(who, "globex", w));
    }

    auto res = call("GET", "/admin/v1/tenants");
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(res.content_type, "application/json");
    auto body = nlohmann::json::parse(res.body);
    ASSERT_EQ(body["tenants"].size(), 2u);
    EXPECT_EQ(body["tenants"][0]["id"], "acme");
    EXPECT_EQ(body["tenants"][0]["seats"],
              nlohmann::json({{"limit", nullptr}, {"used", 0}, {"free", nullptr}}));

    res = call("GET", "/admin/v1/tenants/globex");
    ASSERT_EQ(res.status, 200u) << res.body;
    body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["name"], "Globex");
    EXPECT_EQ(body["seats"], nlohmann::json({{"limit", 2}, {"used", 2}, {"free", 0}}));
    EXPECT_EQ(body["users"]["provisioned"], 2);
    EXPECT_EQ(body["users"]["requested"], 1);
    EXPECT_EQ(body["users"]["disconnected"], 0);
    EXPECT_EQ(body["users"]["total"], 3);

    res = call("GET", "/admin/v1/tenants/nope");
    EXPECT_EQ(res.status, 404u);
    EXPECT_EQ(call("GET", "/admin/v1/tenants", {}, "scim-token-of-acme").status, 401u);
}

TEST_F(AdminApiTest, UserActionsFollowTheStatusRulesAndSeats) {
    records.configure_tenants({{"globex", "Globex", 1}});
    const directory::actor who{"scim-token", "0123abcd"};
    auto make = [&](const char* name) {
        directory::user_write w;
        w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", name}};
        w.roles = std::vector<std::string>{"user"};
        return records.create_user(who, "globex", w).value().id;
    };
    const std::string seated = make("seated"), waiting = make("waiting");
    const std::string base = "/admin/v1/tenants/globex/users/";

    auto res = call("GET", base + waiting);
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(nlohmann::json::parse(res.body)["status"], "requested");
    EXPECT_EQ(nlohmann::json::parse(res.body)["seat"], false);

    // Registering the seated user makes it active; enabling an active user is a conflict.
    res = call("POST", base + seated + "/register");
    ASSERT_EQ(res.status, 200u) << res.body;
    auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["status"], "active");
    EXPECT_TRUE(body["registered"].is_string());
    res = call("POST", base + seated + "/enable");
    EXPECT_EQ(res.status, 409u) << res.body;
    EXPECT_NE(res.body.find("cannot enable a user who is active"), std::string::npos) << res.body;

    // Disconnecting frees the seat for the waiting user and drops the roles.
    res = call("POST", base + seated + "/disconnect");
    ASSERT_EQ(res.status, 200u) << res.body;
    body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["status"], "disconnected");
    EXPECT_EQ(body["roles"], nlohmann::json::array());
    EXPECT_EQ(nlohmann::json::parse(call("GET", base + waiting).body)["status"], "provisioned");

    // Reconnecting finds no seat: it waits; it comes back active (the person registered before) once one
    // frees.
    res = call("POST", base + seated + "/reconnect");
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_EQ(nlohmann::json::parse(res.body)["status"], "requested");
    ASSERT_EQ(call("DELETE", base + waiting).status, 204u);
    EXPECT_EQ(call("GET", base + waiting).status, 404u);
    EXPECT_EQ(nlohmann::json::parse(call("GET", base + seated).body)["status"], "active");

    EXPECT_EQ(call("POST", base + seated + "/promote").status, 404u);
    EXPECT_EQ(call("POST", "/admin/v1/tenants/nope/users/" + seated + "/disable").status, 404u);
    auto log = records.audit_log("globex", 3);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().actor.rfind("admin:", 0), 0u);
}

}  // namespace
}  // namespace dirsync::admin
