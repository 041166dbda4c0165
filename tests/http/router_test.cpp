// The router's table: mounts, authentication before routing, pattern precedence, 404/405 and HEAD.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace dirsync::http {
namespace {

response text(std::string body) {
    response res;
    res.content_type = "text/plain";
    res.body = std::move(body);
    return res;
}

/// Answers "<tag> <method> <params...> <query>" so tests see which route ran with what.
route_handler answer(std::string tag, std::vector<std::string> params = {}) {
    return [tag = std::move(tag), params = std::move(params)](const route_call& call) {
        std::string out = tag + " " + call.req.method;
        for (const auto& p : params) out += " " + p + "=" + std::string(call.params.get(p));
        if (!call.query.empty()) out += " ?" + std::string(call.query);
        return text(out);
    };
}

class RouterTest : public ::testing::Test {
  protected:
    bearer_authenticator auth{{{principal::scim_client("acme"), common::sha256("acme-token")},
                               {principal::operator_admin(), common::sha256("admin-token")}}};
    router r{auth, plain_error};

    void SetUp() override {
        mount_point scim;
        scim.prefix = "/scim/v2";
        scim.fold_case = true;
        scim.admits = [](const principal& p) { return p.is(principal::role::scim_client); };
        scim.refuse = [](const request&, const principal& p) {
            auto res = plain_error(401, p.is(principal::role::anonymous) ? "who are you" : "not here");
            res.headers.push_back({"WWW-Authenticate", "Bearer"});
            return res;
        };
        r.add_mount(std::move(scim))
            .route("GET", "/Users", answer("list"))
            .route("POST", "/Users", answer("create"))
            .route("POST", "/Users/.search", answer("search"))
            .route("GET", "/Users/{id}", answer("get", {"id"}))
            .route("DELETE", "/Users/{id}", answer("delete", {"id"}))
            .route("GET", "/Users/{id}/manager/{other}", answer("pair", {"id", "other"}));
        r.add_mount(mount_point{})
            .route("GET", "/healthz", answer("health"))
            .route("HEAD", "/ping", answer("ping"));
    }

    response call(std::string method, std::string target, std::string token = "acme-token") {
        request req;
        req.method = std::move(method);
        req.target = std::move(target);
        if (!token.empty()) req.headers.push_back({"authorization", "Bearer " + token});
        return r(req);
    }

    std::optional<std::string> lane(std::string target, std::string token = "acme-token") {
        request req;
        req.method = "GET";
        req.target = std::move(target);
        if (!token.empty()) req.headers.push_back({"authorization", "Bearer " + token});
        return r.lane_of(req);
    }

    static std::string allow(const response& res) {
        for (const auto& h : res.headers)
            if (h.name == "Allow") return h.value;
        return "<none>";
    }
};

TEST_F(RouterTest, MethodAndPatternPickTheHandler) {
    EXPECT_EQ(call("GET", "/scim/v2/Users").body, "list GET");
    EXPECT_EQ(call("POST", "/scim/v2/Users").body, "create POST");
    EXPECT_EQ(call("GET", "/scim/v2/Users/42?attributes=userName").body,
              "get GET id=42 ?attributes=userName");
    EXPECT_EQ(call("DELETE", "/scim/v2/Users/42").body, "delete DELETE id=42");
    EXPECT_EQ(call("GET", "/scim/v2/Users/a/manager/b").body, "pair GET id=a other=b");
    EXPECT_EQ(call("GET", "/healthz", "").body, "health GET");
}

TEST_F(RouterTest, LiteralSegmentsBeatCaptures) {
    EXPECT_EQ(call("POST", "/scim/v2/Users/.search").body, "search POST");
    auto res = call("GET", "/scim/v2/Users/.search");
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(allow(res), "POST");
}

TEST_F(RouterTest, CapturesArePercentDecodedAndNeverEmpty) {
    EXPECT_EQ(call("GET", "/scim/v2/Users/urn%3Ax%20y").body, "get GET id=urn:x y");
    EXPECT_EQ(call("GET", "/scim/v2/Users/%zz").status, 404u);
    EXPECT_EQ(call("GET", "/scim/v2/Users/a//manager/b").status, 404u);
}

TEST_F(RouterTest, LeadingAndTrailingSlashesAndLiteralCaseAreForgivenWhereAsked) {
    EXPECT_EQ(call("GET", "/scim/v2/Users/").body, "list GET");
    EXPECT_EQ(call("GET", "/scim/v2//users").body, "list GET");
    EXPECT_EQ(call("GET", "/scim/v2/USERS/7").body, "get GET id=7");
    EXPECT_EQ(call("GET", "/SCIM/v2/Users").status, 404u);  // the prefix is case-sensitive
    EXPECT_EQ(call("GET", "/HEALTHZ", "").status, 404u);    // the root mount does not fold case
}

TEST_F(RouterTest, UnknownPathsAre404AndWrongMethods405WithAllow) {
    auto res = call("GET", "/scim/v2/Groups");
    EXPECT_EQ(res.status, 404u);
    EXPECT_NE(res.body.find("/scim/v2/Groups"), std::string::npos);
    EXPECT_EQ(call("GET", "/scim/v2/Users/1/2").status, 404u);
    EXPECT_EQ(call("GET", "/nowhere", "").status, 404u);
    EXPECT_EQ(call("GET", "/scim/v2x/Users").status, 404u);  // prefixes end on a segment boundary

    res = call("PUT", "/scim/v2/Users");
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(allow(res), "GET, HEAD, POST");
    res = call("PATCH", "/scim/v2/Users/1");
    EXPECT_EQ(allow(res), "GET, HEAD, DELETE");
    res = call("GET", "/ping", "");
    EXPECT_EQ(res.status, 405u);
    EXPECT_EQ(allow(res), "HEAD");
}

TEST_F(RouterTest, HeadIsServedByGetUnlessRoutedItself) {
    EXPECT_EQ(call("HEAD", "/scim/v2/Users/9").body, "get HEAD id=9");
    EXPECT_EQ(call("HEAD", "/ping", "").body, "ping HEAD");
    EXPECT_EQ(call("HEAD", "/scim/v2/Users/.search").status, 405u);
}

TEST_F(RouterTest, RefusalComesBeforeRoutingSoStrangersLearnNothing) {
    for (auto target : {"/scim/v2/Users", "/scim/v2/Nope", "/scim/v2"}) {
        auto res = call("GET", target, "");
        EXPECT_EQ(res.status, 401u) << target;
        EXPECT_EQ(res.body, "who are you\n");
        EXPECT_EQ(call("DELETE", target, "wrong").status, 401u) << target;
        EXPECT_EQ(call("GET", target, "admin-token").body, "not here\n") << target;
    }
    EXPECT_EQ(call("GET", "/healthz", "wrong").status, 200u);  // an open mount ignores credentials
}

TEST_F(RouterTest, TheResponseNamesThePrincipalsTenant) {
    EXPECT_EQ(call("GET", "/scim/v2/Users").tenant, "acme");
    EXPECT_EQ(call("GET", "/scim/v2/Nope").tenant, "acme");
    EXPECT_EQ(call("GET", "/scim/v2/Users", "").tenant, "");
    EXPECT_EQ(call("GET", "/healthz", "admin-token").tenant, "");
}

TEST_F(RouterTest, HandlersReceiveThePrincipal) {
    std::string seen;
    r.add_mount(mount_point{"/who", false, {}, {}}).route("GET", "/", [&](const route_call& call) {
        seen = call.who.token_id + ":" + std::to_string(static_cast<int>(call.who.kind));
        return text("ok");
    });
    ASSERT_EQ(call("GET", "/who", "admin-token").status, 200u);
    EXPECT_EQ(seen, common::to_hex(common::sha256("admin-token")).substr(0, 8) + ":2");
}

TEST_F(RouterTest, BadTablesAreRefusedWhenBuilt) {
    EXPECT_THROW(r.add_mount(mount_point{"/scim/v2", false, {}, {}}), std::invalid_argument);
    EXPECT_THROW(r.add_mount(mount_point{"admin", false, {}, {}}), std::invalid_argument);
    EXPECT_THROW(r.add_mount(mount_point{"/admin/", false, {}, {}}), std::invalid_argument);
    mount_point guarded{"/guarded", false, [](const principal&) { return false; }, {}};
    EXPECT_THROW(r.add_mount(std::move(guarded)), std::invalid_argument);
    auto& m = r.add_mount(mount_point{"/x", false, {}, {}});
    m.route("GET", "/a/{id}", answer("a"));
    EXPECT_THROW(m.route("GET", "/a/{other}", answer("b")), std::invalid_argument);
    EXPECT_THROW(m.route("GET", "a", answer("c")), std::invalid_argument);
    EXPECT_THROW(m.route("GET", "/a/{}", answer("d")), std::invalid_argument);
    EXPECT_THROW(m.route("GET", "/a//b", answer("e")), std::invalid_argument);
}

TEST_F(RouterTest, LaneIsTheCallersTenantAndCheapAnswersStayOnTheIoThread) {
    EXPECT_EQ(lane("/scim/v2/Users?filter=x"), "tenant:acme");
    EXPECT_EQ(lane("/scim/v2/Users/1"), "tenant:acme");
    EXPECT_EQ(lane("/healthz", "admin-token"), "operator");
    EXPECT_EQ(lane("/healthz", ""), "anonymous");
    EXPECT_EQ(lane("/scim/v2/Users", ""), std::nullopt);             // refused: a 401 costs nothing
    EXPECT_EQ(lane("/scim/v2/Users", "admin-token"), std::nullopt);  // refused too

    mount_point checks;
    checks.prefix = "/checks";
    checks.on_io_thread = true;
    r.add_mount(std::move(checks)).route("GET", "/ready", answer("ready"));
    EXPECT_EQ(lane("/checks/ready"), std::nullopt);
}

TEST_F(RouterTest, ARouteMarkedBoundedIsAnsweredOnTheIoThreadAndOnlyThatRoute) {
    r.add_mount(mount_point{"/api", true, {}, {}})
        .route("GET", "/Things/{id}", answer("get", {"id"}), {.on_io_thread = true})
        .route("DELETE", "/Things/{id}", answer("delete", {"id"}))
        .route("GET", "/Things", answer("list"));
    EXPECT_EQ(lane("/api/Things/7"), std::nullopt);
    EXPECT_EQ(lane("/api/things/7/"), std::nullopt);  // matched as operator() matches it
    EXPECT_EQ(lane("/api/Things"), "tenant:acme");
    EXPECT_EQ(lane("/api/Things/7/more"), "tenant:acme");  // no route: its 404 is made where any other is
    request del;
    del.method = "DELETE";
    del.target = "/api/Things/7";
    del.headers.push_back({"authorization", "Bearer acme-token"});
    EXPECT_EQ(r.lane_of(del), "tenant:acme");
    EXPECT_EQ(call("GET", "/api/Things/7").body, "get GET id=7");
}

TEST_F(RouterTest, AMountMayIdentifyItsCallersItself) {
    mount_point cookies;
    cookies.prefix = "/app";
    // Knows its callers by a cookie; the bearer token means nothing here.
    cookies.identify = [](const request& req) {
        const auto c = req.header("Cookie");
        return c && *c == "s=globex" ? principal::tenant_admin("globex") : principal{};
    };
    cookies.admits = [](const principal& p) { return !p.is(principal::role::anonymous); };
    cookies.refuse = [](const request&, const principal&) { return plain_error(401, "sign in"); };
    r.add_mount(std::move(cookies)).route("GET", "/page", [](const route_call& call) {
        return text(call.who.tenant);
    });
    request req;
    req.method = "GET";
    req.target = "/app/page";
    req.headers.push_back({"authorization", "Bearer admin-token"});
    EXPECT_EQ(r(req).status, 401u);
    EXPECT_EQ(r.lane_of(req), std::nullopt);  // refused on the I/O thread, as a bad token is
    req.headers.push_back({"Cookie", "s=globex"});
    auto res = r(req);
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.body, "globex");
    EXPECT_EQ(res.tenant, "globex");
    EXPECT_EQ(r.lane_of(req), "tenant:globex");
    EXPECT_EQ(call("GET", "/scim/v2/Users").body, "list GET");  // other mounts still read the token
}

TEST_F(RouterTest, ARouteMayDecidePerRequestWhetherItIsBounded) {
    r.add_mount(mount_point{"/api", true, {}, {}})
        .route("GET", "/Things", answer("list"),
               {.on_io_thread_when = [](const request& req) { return req.target.ends_with("?one"); }});
    EXPECT_EQ(lane("/api/Things?one"), std::nullopt);
    EXPECT_EQ(lane("/api/Things?all"), "tenant:acme");
}

}  // namespace
}  // namespace dirsync::http
