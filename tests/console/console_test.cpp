// The console's pages, sessions and forms over the real admin API and a real SQLite store, through the
// daemon's router (no sockets: the browser tests in tests/browser drive the real daemon in Chromium).
#include "console/console.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "admin/api.hpp"
#include "common/sha256.hpp"
#include "http/query_string.hpp"
#include "http/router.hpp"
#include "scim/error.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::console {
namespace {

using namespace std::chrono_literals;

constexpr const char* operator_token = "operator-token-for-the-console";
constexpr const char* acme_token = "acme-admin-token-for-the-console";

/// Sources and runs, as the console shows them: one source of acme with one blocked run.
class one_source : public admin::sync_control {
  public:
    nlohmann::json sources() const override { return nlohmann::json::array({source_json()}); }
    admin::outcome source(std::string_view name) const override {
        if (name != "corp") return admin::refusal{404, "no source '" + std::string(name) + "'", "not_found"};
        return source_json();
    }
    admin::outcome runs(std::string_view, std::size_t) const override {
        return nlohmann::json::array({run_json()});
    }
    admin::outcome run(std::int64_t id) const override {
        if (id != 7) return admin::refusal{404, "no run", "not_found"};
        return run_json();
    }
    admin::outcome plan(std::int64_t) const override { return admin::refusal{404, "no plan", "not_found"}; }
    admin::outcome start_run(std::string_view, const admin::run_request& r) override {
        started = r;
        return nlohmann::json{{"run", 8}};
    }
    admin::outcome release(std::string_view, std::int64_t id, std::string_view actor) override {
        if (id != 7) return admin::refusal{409, "run " + std::to_string(id) + " is not blocked", "conflict"};
        released_by = std::string(actor);
        return run_json();
    }

    std::optional<admin::run_request> started;
    std::string released_by;

  private:
    nlohmann::json source_json() const {
        return {{"name", "corp"},
                {"tenant", "acme"},
                {"type", "ldap"},
                {"url", "ldap://x"},
                {"running_run", nullptr},
                {"next_run", nullptr},
                {"blocked", released_by.empty()},
                {"last_run", run_json()}};
    }
    nlohmann::json run_json() const {
        return {{"id", 7},
                {"source", "corp"},
                {"tenant", "acme"},
                {"trigger", "schedule"},
                {"mode", "full"},
                {"dry_run", false},
                {"status", "blocked"},
                {"started", "2026-12-05T10:00:00.000Z"},
                {"ended", "2026-12-05T10:00:02.000Z"},
                {"counts", {{"read", 0}, {"orphaned", 3}}},
                {"blocked_reason", "the source returned no users while it owns 3 records"},
                {"errors", nlohmann::json::array()},
                {"released_by", released_by.empty() ? nlohmann::json() : nlohmann::json(released_by)},
                {"released", nullptr},
                {"has_plan", false}};
    }
};

/// A browser's part: keeps cookies, sends them back, follows nothing by itself.
class browser {
  public:
    explicit browser(const http::router& r) : router_(r) {}

    http::response get(const std::string& target) { return send("GET", target, {}); }

    /// POSTs `fields` as a form; the page's CSRF token is added unless `with_csrf` is false.
    http::response post(const std::string& target, std::vector<std::pair<std::string, std::string>> fields,
                        bool with_csrf = true) {
        std::string body;
        if (with_csrf) fields.emplace_back("csrf", csrf);
        for (const auto& [k, v] : fields)
            body += (body.empty() ? "" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
        return send("POST", target, body);
    }

    http::response sign_in(const std::string& token, const std::string& acting = {}) {
        get("/console/sign-in");
        return post("/console/sign-in", {{"token", token}, {"acting", acting}});
    }

    std::map<std::string, std::string> cookies;
    std::string csrf;  ///< the token of the last page that had a form

  private:
    http::response send(const std::string& method, const std::string& target, const std::string& body) {
        http::request req;
        req.method = method;
        req.target = target;
        req.body = body;
        if (method == "POST") req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        std::string cookie;
        for (const auto& [k, v] : cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
        if (!cookie.empty()) req.headers.push_back({"Cookie", cookie});
        auto res = router_(req);
        for (const auto& h : res.headers) {
            if (h.name != "Set-Cookie") continue;
            const auto eq = h.value.find('='), semi = h.value.find(';');
            const auto name = h.value.substr(0, eq);
            const auto value = h.value.substr(eq + 1, semi - eq - 1);
            if (h.value.find("Max-Age=0") != std::string::npos)
                cookies.erase(name);
            else
                cookies[name] = value;
        }
        static const std::regex token(R"re(name="csrf" value="([0-9a-f]+)")re");
        std::smatch m;
        if (std::regex_search(res.body, m, token)) csrf = m[1];
        return res;
    }

    const http::router& router_;
};

std::string header(const http::response& res, std::string_view name) {
    for (const auto& h : res.headers)
        if (h.name == name) return h.value;
    return {};
}

class ConsoleTest : public ::testing::Test {
  protected:
    void SetUp() override {
        records.configure_tenants({{"acme", "Acme Corp", 5, "admin@acme.example"}, {"globex", "Globex", {}}});
        api.add_routes(router);
        console.add_routes(router);
    }

    /// A user of acme created as the admin API creates them; its id.
    std::string user(const std::string& name, const std::string& email) {
        directory::user_write w;
        w.source = "admin";
        w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                      {"userName", name},
                      {"emails", {{{"value", email}, {"primary", true}}}}};
        return records.create_user({"admin", "test"}, "acme", w).value().id;
    }

    std::string owner_id() {
        return records.find_users("acme", directory::user_index::email, "admin@acme.example").at(0).id;
    }

    testing::temp_dir dir_;
    store::database db_{dir_.file("console.db")};
    directory::tenant_directory records{db_};
    one_source control;
    http::bearer_authenticator auth{{{http::principal::operator_admin(), common::sha256(operator_token)},
                                     {http::principal::tenant_admin("acme"), common::sha256(acme_token)}}};
    admin::api api{control, records};
    std::chrono::steady_clock::time_point now{std::chrono::hours(100)};
    admin_console console{{.path = "/console",
                           .idle_timeout = 30min,
                           .absolute_timeout = 8h,
                           .secure_cookies = false,
                           .max_sessions = 100,
                           .clock = [this] { return now; }}};
    http::router router{
        auth, [](unsigned status, std::string_view detail) { return scim::error_response(status, detail); }};
    browser b{router};
};

TEST_F(ConsoleTest, SignInKeepsTheTokenOnTheServer) {
    auto page = b.get("/console/tenants");
    EXPECT_EQ(page.status, 401u);
    EXPECT_NE(page.body.find("id=\"token\""), std::string::npos);

    auto res = b.sign_in(operator_token);
    ASSERT_EQ(res.status, 303u) << res.body;
    EXPECT_EQ(header(res, "Location"), "/console/");
    ASSERT_TRUE(b.cookies.contains("dirsyncd_console"));
    EXPECT_FALSE(b.cookies.contains("dirsyncd_console_signin"));
    bool http_only = false;
    for (const auto& h : res.headers)
        if (h.name == "Set-Cookie" && h.value.starts_with("dirsyncd_console="))
            http_only = h.value.find("; Path=/console; HttpOnly; SameSite=Strict") != std::string::npos &&
                        h.value.find("Secure") == std::string::npos;
    EXPECT_TRUE(http_only);
    EXPECT_EQ(header(b.get("/console/"), "Location"), "/console/tenants");

    page = b.get("/console/tenants");
    ASSERT_EQ(page.status, 200u) << page.body;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(page, "Content-Security-Policy"),
              "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    EXPECT_EQ(header(page, "Cache-Control"), "no-store");
    EXPECT_NE(page.body.find("Acme Corp"), std::string::npos);
    EXPECT_NE(page.body.find("Globex"), std::string::npos);
    EXPECT_EQ(page.body.find(operator_token), std::string::npos);
    EXPECT_EQ(page.body.find("<script>"), std::string::npos);
    EXPECT_EQ(page.body.find("style=\""), std::string::npos);
}

TEST_F(ConsoleTest, ASignedInRequestWaitsInItsTokensLane) {
    const auto lane = [&](browser& who) {
        http::request req;
        req.method = "GET";
        req.target = "/console/tenants";
        std::string cookie;
        for (const auto& [k, v] : who.cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
        if (!cookie.empty()) req.headers.push_back({"Cookie", cookie});
        return router.lane_of(req);
    };
    EXPECT_EQ(lane(b), "anonymous");
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    EXPECT_EQ(lane(b), "operator");
    browser tenant_admin(router);
    ASSERT_EQ(tenant_admin.sign_in(acme_token).status, 303u);
    EXPECT_EQ(lane(tenant_admin), "tenant:acme");
    EXPECT_EQ(tenant_admin.get("/console/tenants/acme/users").tenant, "acme");  // in the access log
    now += 31min;
    EXPECT_EQ(lane(tenant_admin), "anonymous");
}

TEST_F(ConsoleTest, SignInRefusalsAreTheApisWordsBesideTheirField) {
    b.get("/console/sign-in");
    auto res = b.post("/console/sign-in", {{"token", "not-a-token"}});
    EXPECT_EQ(res.status, 401u);
    EXPECT_NE(res.body.find("id=\"token-error\" role=\"alert\">missing or unknown admin bearer token"),
              std::string::npos)
        << res.body;
    EXPECT_FALSE(b.cookies.contains("dirsyncd_console"));

    // Without the sign-in page's own cookie (a form posted from another site): refused.
    browser stranger(router);
    res = stranger.post("/console/sign-in", {{"token", operator_token}, {"csrf", "00"}}, false);
    EXPECT_EQ(res.status, 403u);
    EXPECT_FALSE(stranger.cookies.contains("dirsyncd_console"));

    res = b.sign_in(acme_token, "nobody@acme.example");
    EXPECT_EQ(res.status, 400u);
    EXPECT_NE(res.body.find("id=\"acting-error\" role=\"alert\">no user &#39;nobody@acme.example&#39;"),
              std::string::npos)
        << res.body;
    user("ann", "ann@acme.example");
    res = b.sign_in(acme_token, "ann@acme.example");
    EXPECT_EQ(res.status, 403u) << res.body;
    // The API's own words: the acting user must be an active admin of the tenant.
    EXPECT_NE(res.body.find("id=\"acting-error\" role=\"alert\">Dirsync-Acting-User &#39;"),
              std::string::npos)
        << res.body;
    res = b.sign_in(operator_token, "ann@acme.example");
    EXPECT_EQ(res.status, 400u);
    EXPECT_NE(res.body.find("An operator token acts for no user"), std::string::npos);
}

TEST_F(ConsoleTest, ATenantAdminSeesItsTenantOnly) {
    ASSERT_EQ(b.sign_in(acme_token, "admin@acme.example").status, 303u);
    EXPECT_EQ(header(b.get("/console/"), "Location"), "/console/tenants/acme");
    auto page = b.get("/console/tenants/acme");
    ASSERT_EQ(page.status, 200u);
    EXPECT_NE(page.body.find("acting as admin@acme.example"), std::string::npos);
    page = b.get("/console/tenants");
    EXPECT_EQ(page.body.find("Globex"), std::string::npos);
    for (const char* target : {"/console/tenants/globex", "/console/tenants/globex/users",
                               "/console/tenants/globex/roles", "/console/tenants/globex/invitations",
                               "/console/tenants/globex/audit", "/console/tenants/globex/notifications",
                               "/console/tenants/globex/sync", "/console/tenants/nope/users"}) {
        page = b.get(target);
        EXPECT_EQ(page.status, 404u) << target;
        EXPECT_NE(page.body.find("no tenant"), std::string::npos) << target << page.body;
        EXPECT_EQ(page.body.find("Globex"), std::string::npos) << target;
    }
    auto res = b.post("/console/tenants/globex/roles", {{"name", "spy"}});
    EXPECT_EQ(res.status, 404u);
    const auto globex_roles = records.roles("globex").value();
    EXPECT_TRUE(std::none_of(globex_roles.begin(), globex_roles.end(),
                             [](const auto& r) { return r.name == "spy"; }));
}

TEST_F(ConsoleTest, FormsWithoutTheSessionsCsrfTokenAreRefused) {
    const auto ann = user("ann", "ann@acme.example");
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    b.get("/console/tenants/acme/users/" + ann);
    const std::string target = "/console/tenants/acme/users/" + ann + "/status";
    auto res = b.post(target, {{"action", "disable"}, {"confirm", "yes"}}, false);
    EXPECT_EQ(res.status, 403u);
    EXPECT_NE(res.body.find("CSRF"), std::string::npos);
    res = b.post(target, {{"action", "disable"}, {"confirm", "yes"}, {"csrf", std::string(64, 'a')}}, false);
    EXPECT_EQ(res.status, 403u);
    EXPECT_EQ(records.get_user("acme", ann)->status, directory::user_status::provisioned);
    // Another session's token is no better.
    browser other(router);
    ASSERT_EQ(other.sign_in(operator_token).status, 303u);
    other.get("/console/tenants");
    res = b.post(target, {{"action", "disable"}, {"confirm", "yes"}, {"csrf", other.csrf}}, false);
    EXPECT_EQ(res.status, 403u);
    EXPECT_EQ(records.get_user("acme", ann)->status, directory::user_status::provisioned);
    res = b.post(target, {{"action", "disable"}, {"confirm", "yes"}});
    EXPECT_EQ(res.status, 303u) << res.body;
    EXPECT_EQ(records.get_user("acme", ann)->status, directory::user_status::disabled);
}

TEST_F(ConsoleTest, ADestructiveFormIsConfirmedOnAPageWithoutTheScript) {
    const auto ann = user("ann", "ann@acme.example");
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    b.get("/console/tenants/acme/users/" + ann);
    const std::string base = "/console/tenants/acme/users/" + ann;
    auto res = b.post(base + "/status", {{"action", "disable"}});
    ASSERT_EQ(res.status, 200u);
    EXPECT_NE(res.body.find("Please confirm"), std::string::npos);
    EXPECT_NE(res.body.find("name=\"action\" value=\"disable\""), std::string::npos);
    EXPECT_NE(res.body.find("name=\"confirm\" value=\"yes\""), std::string::npos);
    EXPECT_EQ(records.get_user("acme", ann)->status, directory::user_status::provisioned);
    res = b.post(base + "/status", {{"action", "disable"}, {"confirm", "yes"}});
    ASSERT_EQ(res.status, 303u);
    EXPECT_EQ(header(res, "Location"), base);
    auto page = b.get(base);
    EXPECT_NE(page.body.find("id=\"notice\">User ann: Disable done; status is now Disabled."),
              std::string::npos)
        << page.body;
    EXPECT_EQ(b.get(base).body.find("id=\"notice\""), std::string::npos);  // shown once
    res = b.post(base + "/status", {{"action", "enable"}});
    EXPECT_EQ(res.status, 303u);
    EXPECT_NE(records.get_user("acme", ann)->status, directory::user_status::disabled);
    res = b.post(base + "/delete", {});
    EXPECT_EQ(res.status, 200u);
    EXPECT_TRUE(records.get_user("acme", ann).has_value());
    res = b.post(base + "/delete", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 303u);
    EXPECT_FALSE(records.get_user("acme", ann).has_value());
}

TEST_F(ConsoleTest, TheLastAdminRefusalIsShownBesideTheActions) {
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    const std::string base = "/console/tenants/acme/users/" + owner_id();
    b.get(base);
    auto res = b.post(base + "/status", {{"action", "disable"}, {"confirm", "yes"}});
    EXPECT_EQ(res.status, 409u);
    EXPECT_NE(res.body.find("id=\"action-error\" role=\"alert\">"), std::string::npos) << res.body;
    EXPECT_NE(res.body.find("last active admin"), std::string::npos);
    res = b.post(base + "/roles", {{"op", "remove"}, {"role", "admin"}});
    EXPECT_EQ(res.status, 409u);
    EXPECT_NE(res.body.find("id=\"role-error\" role=\"alert\">"), std::string::npos) << res.body;
    res = b.post(base + "/roles", {{"op", "assign"}, {"role", "no-such-role"}});
    EXPECT_EQ(res.status, 400u) << res.body;
    EXPECT_NE(res.body.find("id=\"role-error\""), std::string::npos);
    EXPECT_EQ(records.get_user("acme", owner_id())->status, directory::user_status::active);
}

TEST_F(ConsoleTest, UsersAreFoundByEmailIdAndSubjectAndPaged) {
    for (int i = 0; i < 60; ++i)
        user("user" + std::to_string(100 + i), "u" + std::to_string(i) + "@acme.example");
    const auto ann = user("ann", "ann@acme.example");
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    auto page = b.get("/console/tenants/acme/users?q=ann%40acme.example");
    ASSERT_EQ(page.status, 200u);
    EXPECT_NE(page.body.find("/console/tenants/acme/users/" + ann), std::string::npos);
    EXPECT_EQ(page.body.find("user100"), std::string::npos);
    page = b.get("/console/tenants/acme/users?by=id&q=" + ann);
    EXPECT_NE(page.body.find(">ann</a>"), std::string::npos);
    page = b.get("/console/tenants/acme/users?status=bogus");
    EXPECT_EQ(page.status, 400u);
    EXPECT_NE(page.body.find("id=\"filter-error\" role=\"alert\">unknown status &#39;bogus&#39;"),
              std::string::npos)
        << page.body;
    page = b.get("/console/tenants/acme/users");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(page.body, m, std::regex(R"re(id="next-page" rel="next" href="([^"]+)")re")));
    std::string next = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
    page = b.get(next);
    ASSERT_EQ(page.status, 200u);
    EXPECT_NE(page.body.find("First page"), std::string::npos);
}

TEST_F(ConsoleTest, WhatUsersTypedIsEscaped) {
    const auto id = user("<script>alert(1)</script>", "x@acme.example");
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    auto page = b.get("/console/tenants/acme/users/" + id);
    ASSERT_EQ(page.status, 200u);
    EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    page = b.get("/console/tenants/acme/users?q=%22%3E%3Cimg%20src%3Dx%3E");
    EXPECT_EQ(page.body.find("\"><img src=x>"), std::string::npos);
}

TEST_F(ConsoleTest, SessionsEndWhenIdleAtTheAbsoluteLimitAndAtSignOut) {
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    now += 29min;
    EXPECT_EQ(b.get("/console/tenants").status, 200u);
    now += 31min;
    auto page = b.get("/console/tenants");
    EXPECT_EQ(page.status, 401u);
    EXPECT_NE(page.body.find("Your session has ended"), std::string::npos);

    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    for (int i = 0; i < 16; ++i) {
        now += 29min;
        ASSERT_EQ(b.get("/console/tenants").status, 200u) << i;
    }
    now += 29min;
    EXPECT_EQ(b.get("/console/tenants").status, 401u);

    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    const auto id = b.cookies["dirsyncd_console"];
    b.get("/console/tenants");
    auto res = b.post("/console/sign-out", {});
    EXPECT_EQ(res.status, 200u);
    EXPECT_NE(res.body.find("You are signed out."), std::string::npos);
    EXPECT_FALSE(b.cookies.contains("dirsyncd_console"));
    b.cookies["dirsyncd_console"] = id;  // replayed
    EXPECT_EQ(b.get("/console/tenants").status, 401u);
    EXPECT_EQ(console.session_count(), 0u);
}

TEST_F(ConsoleTest, InvitationsShowEachAddressesOutcome) {
    records.configure_tenants(
        {{"acme", "Acme Corp", 5, "admin@acme.example", directory::provisioning_mode::invite},
         {"globex", "Globex", {}}});
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    b.get("/console/tenants/acme/invitations");
    auto res =
        b.post("/console/tenants/acme/invitations",
               {{"emails", "bob@acme.example, not-an-address\ncarol@acme.example"}, {"roles", "user"}});
    ASSERT_EQ(res.status, 200u) << res.body;
    EXPECT_NE(res.body.find("<li class=\"invited\"><strong>bob@acme.example</strong>"), std::string::npos);
    EXPECT_NE(res.body.find("<li class=\"invited\"><strong>carol@acme.example</strong>"), std::string::npos);
    EXPECT_NE(res.body.find("<li class=\"refused\"><strong>not-an-address</strong>"), std::string::npos);
    EXPECT_EQ(res.body.find("dsi_"), std::string::npos);  // the invite code is the invitee's alone
    auto open = records.invitations("acme", directory::invitation_filter::pending, std::nullopt, 10);
    ASSERT_TRUE(open);
    ASSERT_EQ(open->invitations.size(), 2u);
    const auto carol = open->invitations[0].email == "carol@acme.example" ? open->invitations[0].id
                                                                          : open->invitations[1].id;
    res = b.post("/console/tenants/acme/invitations/" + carol + "/resend", {});
    EXPECT_EQ(res.status, 303u);
    EXPECT_NE(b.get("/console/tenants/acme/invitations").body.find("sent again"), std::string::npos);
    res = b.post("/console/tenants/acme/invitations/" + carol + "/revoke", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 303u);
    EXPECT_EQ(records.get_invitation("acme", carol)->state, directory::invitation_state::revoked);
    res = b.post("/console/tenants/acme/invitations/" + carol + "/resend", {});
    EXPECT_EQ(res.status, 409u) << res.body;
    EXPECT_NE(res.body.find("id=\"list-error\""), std::string::npos);
}

TEST_F(ConsoleTest, LongInvitationListsArePaged) {
    directory::tenant acme{
        "acme", "Acme Corp", {}, "admin@acme.example", directory::provisioning_mode::invite};
    acme.invitations.daily_limit = 1000;
    records.configure_tenants({acme, {"globex", "Globex", {}}});
    directory::invite_request many;
    for (int i = 0; i < 70; ++i)
        many.addresses.push_back("person" + std::to_string(100 + i) + "@acme.example");
    ASSERT_TRUE(records.invite({"admin", "test"}, "acme", many));
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    auto page = b.get("/console/tenants/acme/invitations");
    ASSERT_EQ(page.status, 200u);
    const auto rows = [](const std::string& body) {
        std::size_t n = 0;
        for (auto at = body.find("aria-label=\"Resend to "); at != std::string::npos;
             at = body.find("aria-label=\"Resend to ", at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(rows(page.body), 50u);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(id="pending-next" href="([^"]+)")re")));
    page = b.get(std::regex_replace(m[1].str(), std::regex("&amp;"), "&"));
    ASSERT_EQ(page.status, 200u);
    EXPECT_EQ(rows(page.body), 20u);
    EXPECT_EQ(page.body.find("id=\"pending-next\""), std::string::npos);
    EXPECT_NE(page.body.find("First page"), std::string::npos);
    EXPECT_EQ(b.get("/console/tenants/acme/invitations?pending_after=%zz").status, 400u);
}

TEST_F(ConsoleTest, ABlockedRunIsReleasedFromItsSourcePage) {
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    auto page = b.get("/console/sync/sources/corp");
    ASSERT_EQ(page.status, 200u);
    EXPECT_NE(page.body.find("the source returned no users while it owns 3 records"), std::string::npos);
    EXPECT_NE(page.body.find("id=\"release-7\""), std::string::npos);
    auto res = b.post("/console/sync/sources/corp/runs/7/release", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 303u) << res.body;
    EXPECT_EQ(control.released_by.substr(0, 6), "admin:");
    res = b.post("/console/sync/sources/corp/runs/9/release", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 409u);
    EXPECT_NE(res.body.find("id=\"run-error\" role=\"alert\">run 9 is not blocked"), std::string::npos);
    res = b.post("/console/sync/sources/corp/run", {{"dry_run", "yes"}});
    EXPECT_EQ(res.status, 303u);
    ASSERT_TRUE(control.started);
    EXPECT_TRUE(control.started->dry_run);
}

TEST_F(ConsoleTest, ARolesDeletionShowsItsImpactAndRefusalsStayBesideTheirField) {
    const directory::actor who{"admin", "test"};
    ASSERT_TRUE(records.create_role(who, "acme", "auditor", "reads the audit log"));
    ASSERT_TRUE(records.assign_role(who, "acme", user("ann", "ann@acme.example"), "auditor"));
    ASSERT_EQ(b.sign_in(operator_token).status, 303u);
    auto page = b.get("/console/tenants/acme/roles");
    EXPECT_NE(page.body.find("data-confirm=\"Delete role auditor? 1 user hold it and will lose it.\""),
              std::string::npos)
        << page.body;
    auto res = b.post("/console/tenants/acme/roles/auditor/delete", {});
    EXPECT_EQ(res.status, 200u);
    EXPECT_NE(res.body.find("Delete role auditor? 1 user hold it and will lose it."), std::string::npos);
    res = b.post("/console/tenants/acme/roles", {{"name", "auditor"}, {"description", "again"}});
    EXPECT_EQ(res.status, 409u);
    EXPECT_NE(res.body.find("id=\"create-error\" role=\"alert\">"), std::string::npos) << res.body;
    EXPECT_NE(res.body.find("value=\"again\""), std::string::npos);  // what was typed is kept
    res = b.post("/console/tenants/acme/roles/auditor/delete", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 303u);
    EXPECT_NE(b.get("/console/tenants/acme/roles").body.find("removed from 1 user"), std::string::npos);
    res = b.post("/console/tenants/acme/roles/admin/delete", {{"confirm", "yes"}});
    EXPECT_EQ(res.status, 409u) << res.body;
    EXPECT_NE(res.body.find("id=\"list-error\""), std::string::npos);
}

TEST_F(ConsoleTest, BehindTlsTheCookiesAreSecureAndTheMountIsWhereConfigured) {
    admin_console secure{{.path = "/ops/console", .secure_cookies = true}};
    http::router tls_router{
        auth, [](unsigned status, std::string_view detail) { return scim::error_response(status, detail); }};
    api.add_routes(tls_router);
    secure.add_routes(tls_router);
    browser over_tls(tls_router);
    over_tls.get("/ops/console/sign-in");
    auto res = over_tls.post("/ops/console/sign-in", {{"token", operator_token}});
    ASSERT_EQ(res.status, 303u) << res.body;
    EXPECT_EQ(header(res, "Location"), "/ops/console/");
    bool secure_cookie = false;
    for (const auto& h : res.headers)
        if (h.name == "Set-Cookie" && h.value.starts_with("dirsyncd_console="))
            secure_cookie = h.value.ends_with("; Path=/ops/console; HttpOnly; SameSite=Strict; Secure");
    EXPECT_TRUE(secure_cookie);
    auto page = over_tls.get("/ops/console/tenants");
    EXPECT_EQ(page.status, 200u);
    EXPECT_NE(page.body.find("href=\"/ops/console/static/console.css\""), std::string::npos);
    EXPECT_NE(page.body.find("action=\"/ops/console/sign-out\""), std::string::npos);
}

TEST_F(ConsoleTest, StaticAssetsAreServedWithTheirTypes) {
    auto res = b.get("/console/static/console.css");
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.content_type, "text/css; charset=utf-8");
    EXPECT_NE(res.body.find("--accent"), std::string::npos);
    res = b.get("/console/static/console.js");
    EXPECT_EQ(res.content_type, "text/javascript; charset=utf-8");
    EXPECT_NE(res.body.find("data-confirm"), std::string::npos);
    EXPECT_EQ(b.get("/console/static/nope.js").status, 404u);
}

}  // namespace
}  // namespace dirsync::console
