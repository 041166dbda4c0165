// Invitations against the real daemon: many addresses at once with per-address outcomes, the invitation mail
// really received by an SMTP server (and redelivered after it was down), the webhook signed, acceptance with
// the code (expired, replaced, revoked, reused), the rolling-day limit across a restart, the business-email
// policy, IdP vs invite mode and the switch between them, role deletion reaching open invitations, a person
// in several tenants leaving them, and relocations between tenants.
#include <algorithm>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "notify/webhook.hpp"
#include "tests/integration/daemon_fixture.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/smtp_sink.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* operator_token = "invitation-test-operator-token";
constexpr const char* acme_admin = "acme-admin-token-0123456789";
constexpr const char* globex_admin = "globex-admin-token-0123456789";
constexpr const char* owner_email = "owner@acme.example";
constexpr const char* webhook_secret = "whsec_invitation-test";

class InvitationTest : public DaemonTest {
  protected:
    smtp_sink mail_{{"--reject", "bounce@acme.example=550 5.1.1 no such user"}};
    http_receiver hooks_;
    std::string acme_provisioning_ = "invite";

    void SetUp() override {
        std::ofstream(dir_.file("webhook.secret")) << webhook_secret << "\n";
        DaemonTest::SetUp();
    }

    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) +
               "\"\n"
               "notifications:\n"
               "  email:\n"
               "    smtp: " +
               mail_.url() +
               "\n"
               "    starttls: none\n"
               "    from: access@dirsync.example\n"
               "    from_name: Acme Access\n"
               "    timeout: 3s\n"
               "  webhook:\n"
               "    url: " +
               hooks_.url() +
               "\n"
               "    secret: { file: " +
               dir_.file("webhook.secret") +
               " }\n"
               "    timeout: 3s\n"
               "  retry_initial: 300ms\n"
               "  retry_max: 1s\n"
               "  max_attempts: 20\n";
    }
    std::string tenant_extra_yaml(const std::string& id) const override {
        const char* token = id == "acme" ? acme_admin : globex_admin;
        std::string yaml =
            "    admin_tokens:\n      - sha256: \"" + common::to_hex(common::sha256(token)) + "\"\n";
        if (id == "acme")
            yaml += std::string("    owner: ") + owner_email + "\n    provisioning: " + acme_provisioning_ +
                    "\n"
                    "    invitations:\n"
                    "      link: \"https://app.example.com/join?code={code}\"\n"
                    "    email_policy:\n"
                    "      extra_consumer_domains: [freemail.example]\n"
                    "    templates:\n"
                    "      invitation:\n"
                    "        subject: \"Join {tenant}, from {inviter}\"\n"
                    "        text: \"{inviter} invites you to {tenant}: {link} (until {expires})\"\n";
        return yaml;
    }
    std::string extra_tenants_yaml() const override {
        return "  - id: initech\n"
               "    name: Initech\n"
               "    seats: 1\n"
               "    owner: boss@initech.example\n"
               "    provisioning: invite\n"
               "    invitations:\n"
               "      expire_after: 2s\n"
               "      daily_limit: 3\n"
               "      require_account_name: true\n";
    }

    std::string owner_id() {
        auto r = call(acme_admin, "GET", "/admin/v1/tenants/acme/users?role=admin&status=active");
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = parse(r);
        return body["users"].empty() ? std::string() : body["users"][0]["id"].get<std::string>();
    }

    /// Invites `emails` into `tenant` as its owner; the answer's body.
    json invite(const json& emails, const json& roles = json::array(), int expected = 200,
                const std::string& tenant = "acme") {
        auto r = admin(operator_token, "POST", "/admin/v1/tenants/" + tenant + "/invitations",
                       {{"emails", emails}, {"roles", roles}});
        EXPECT_EQ(r.status, expected) << r.body;
        return parse(r);
    }

    http_result accept(const std::string& code, const std::string& account = {}) {
        json body{{"code", code}, {"givenName", "Zoë"}, {"familyName", "Quinn"}};
        if (!account.empty()) body["accountName"] = account;
        return admin(operator_token, "POST", "/admin/v1/invitations/accept", body);
    }

    /// The messages the SMTP server holds once it holds at least `n` (waiting up to 10 s).
    std::vector<json> mails(std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto got = mail_.messages();
        while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            got = mail_.messages();
        }
        return got;
    }

    std::vector<received_request> webhooks(std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto got = hooks_.requests();
        while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            got = hooks_.requests();
        }
        return got;
    }
};

std::vector<std::string> outcomes_of(const json& answer) {
    std::vector<std::string> out;
    for (const auto& r : answer["results"])
        out.push_back(r["outcome"] == "invited" ? std::string("invited") : r["code"].get<std::string>());
    return out;
}

TEST_F(InvitationTest, TenAddressesInOneRequestThreeBadOnesRefusedTheRestInvited) {
    // As an admin pastes them: commas, semicolons, spaces and new lines.
    const json answer =
        invite(json::array({"ann@acme.example, bob@acme.example; cy@acme.example",
                            "dee@acme.example\nnot-an-address eve@gmail.com  fay@acme.example",
                            "gus@acme.example", "hal@acme.example, ANN@acme.example"}));
    EXPECT_EQ(answer["invited"], 7) << answer.dump(1);
    EXPECT_EQ(answer["refused"], 3);
    EXPECT_EQ(outcomes_of(answer),
              (std::vector<std::string>{"invited", "invited", "invited", "invited", "invalid_email",
                                        "consumer_domain", "invited", "invited", "invited", "duplicate"}));
    for (const auto& r : answer["results"]) {
        if (r["outcome"] != "invited") {
            EXPECT_FALSE(r["detail"].get<std::string>().empty()) << r;
            continue;
        }
        EXPECT_EQ(r["invitation"]["state"], "pending");
        EXPECT_TRUE(r["inviteCode"].get<std::string>().starts_with("dsi_")) << r;
    }
    // Invitees exist in pending_invite, holding no seat.
    auto users = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/users?status=pending_invite"));
    EXPECT_EQ(users["users"].size(), 7u);
    auto tenant = parse(call(operator_token, "GET", "/admin/v1/tenants/acme"));
    EXPECT_EQ(tenant["seats"]["used"], 1) << tenant;  // the owner only

    // Asking again says why rather than duplicating; the owner is a registered user; a configured extra
    // consumer domain is refused; an unknown role refuses every address.
    auto again =
        invite(json::array({"ann@acme.example", owner_email, "x@freemail.example"}), json::array(), 409);
    EXPECT_EQ(outcomes_of(again),
              (std::vector<std::string>{"already_invited", "registered_user", "consumer_domain"}));
    EXPECT_EQ(again["code"], "already_invited");
    EXPECT_NE(again["results"][0]["detail"].get<std::string>().find("resend"), std::string::npos);
    auto unknown_role = invite(json::array({"new@acme.example"}), json::array({"auditor"}), 400);
    EXPECT_EQ(outcomes_of(unknown_role), std::vector<std::string>{"unknown_role"});

    auto list = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/invitations?limit=5"));
    EXPECT_EQ(list["invitations"].size(), 5u);
    ASSERT_TRUE(list.contains("next")) << list;
    auto rest =
        parse(call(acme_admin, "GET",
                   "/admin/v1/tenants/acme/invitations?limit=5&after=" + list["next"].get<std::string>()));
    EXPECT_EQ(rest["invitations"].size(), 2u);
    EXPECT_FALSE(rest.contains("next"));
    expect_admin_error(call(acme_admin, "GET", "/admin/v1/tenants/acme/invitations?state=soon"), 400,
                       "invalid_value");
    // Nothing of this reached another tenant.
    expect_admin_error(call(globex_admin, "GET", "/admin/v1/tenants/acme/invitations"), 404,
                       "unknown_tenant");
}

TEST_F(InvitationTest, TheMailArrivesWithTheLinkAndAcceptingMakesTheUserActiveAndTellsTheInviter) {
    const auto owner = owner_id();
    auto r = admin(acme_admin, "POST", "/admin/v1/tenants/acme/invitations",
                   {{"emails", "zoe@acme.example"}, {"roles", {"user"}}}, owner);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto answer = parse(r);
    const std::string code = answer["results"][0]["inviteCode"];
    const std::string id = answer["results"][0]["invitation"]["id"];
    EXPECT_EQ(answer["results"][0]["invitation"]["invitedBy"], owner);

    auto got = mails(1);
    ASSERT_EQ(got.size(), 1u) << mail_.log();
    EXPECT_EQ(got[0]["rcpt_tos"], json::array({"zoe@acme.example"}));
    EXPECT_EQ(got[0]["subject"], "Join Acme Corp, from owner@acme.example");
    EXPECT_NE(got[0]["body"].get<std::string>().find("https://app.example.com/join?code=" + code),
              std::string::npos)
        << got[0]["body"];
    EXPECT_EQ(got[0]["from"], "Acme Access <access@dirsync.example>");

    // The webhook event carries the same, signed.
    auto hooks = webhooks(1);
    ASSERT_GE(hooks.size(), 1u);
    const auto event = json::parse(hooks[0].body);
    EXPECT_EQ(event["type"], "invitation.sent");
    EXPECT_EQ(event["data"]["code"], code);
    EXPECT_TRUE(notify::verify_signature(webhook_secret, hooks[0].header("dirsync-signature"), hooks[0].body,
                                         std::chrono::system_clock::now()));
    EXPECT_FALSE(notify::verify_signature("wrong-secret", hooks[0].header("dirsync-signature"), hooks[0].body,
                                          std::chrono::system_clock::now()));
    EXPECT_EQ(hooks[0].header("idempotency-key"), event["id"]);

    auto accepted = accept(code);
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    auto user = parse(accepted);
    EXPECT_EQ(user["id"], id);
    EXPECT_EQ(user["status"], "active");
    EXPECT_EQ(user["roles"], json::array({"user"}));
    EXPECT_EQ(user["displayName"], "Zoë Quinn");
    EXPECT_TRUE(user.contains("registered")) << user;

    // The inviter hears of it.
    got = mails(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1]["rcpt_tos"], json::array({owner_email}));
    EXPECT_NE(got[1]["subject"].get<std::string>().find("Zoë Quinn"), std::string::npos) << got[1];

    // Twice is refused and changes nothing.
    auto twice = accept(code);
    expect_admin_error(twice, 409, "invite_used");
    expect_admin_error(accept("dsi_0000"), 404, "invite_code_unknown");
    auto inv = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/invitations/" + id));
    EXPECT_EQ(inv["state"], "accepted");
    // The outbox lists what went out, without bodies (the code never appears).
    auto outbox = call(acme_admin, "GET", "/admin/v1/tenants/acme/notifications?state=delivered");
    ASSERT_EQ(outbox.status, 200) << outbox.body;
    EXPECT_GE(parse(outbox)["notifications"].size(), 3u) << outbox.body;
    EXPECT_EQ(outbox.body.find(code), std::string::npos);
}

TEST_F(InvitationTest, ResendReplacesTheCodeRevokeEndsItAndExpiredCodesAreRefused) {
    auto first = invite(json::array({"rex@acme.example"}));
    const std::string old_code = first["results"][0]["inviteCode"];
    const std::string id = first["results"][0]["invitation"]["id"];
    auto resent = admin(operator_token, "POST", "/admin/v1/tenants/acme/invitations/" + id + "/resend");
    ASSERT_EQ(resent.status, 200) << resent.body;
    const std::string new_code = parse(resent)["inviteCode"];
    EXPECT_NE(new_code, old_code);
    EXPECT_EQ(parse(resent)["invitation"]["sends"], 2);
    expect_admin_error(accept(old_code), 410, "invite_code_replaced");

    // Revoked: the code stops working and the pending user is gone.
    auto revoked = admin(operator_token, "DELETE", "/admin/v1/tenants/acme/invitations/" + id);
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(parse(revoked)["state"], "revoked");
    expect_admin_error(accept(new_code), 410, "invite_revoked");
    expect_admin_error(call(acme_admin, "GET", "/admin/v1/tenants/acme/users/" + id), 404, "not_found");
    expect_admin_error(admin(operator_token, "POST", "/admin/v1/tenants/acme/invitations/" + id + "/resend"),
                       409, "invitation_ended");

    // initech's invitations last 2 s and need the account name.
    auto short_lived =
        invite(json::array({"ida@initech.example", "jo@initech.example"}), json::array(), 200, "initech");
    const std::string ida = short_lived["results"][0]["inviteCode"];
    const std::string jo = short_lived["results"][1]["inviteCode"];
    expect_admin_error(accept(ida), 400, "account_name_mismatch");
    expect_admin_error(accept(ida, "Globex"), 400, "account_name_mismatch");
    auto in_time = accept(ida, "INITECH");
    ASSERT_EQ(in_time.status, 200) << in_time.body;
    // initech has one seat, held by its owner: the invitee waits for one.
    EXPECT_EQ(parse(in_time)["status"], "requested");
    std::this_thread::sleep_for(std::chrono::milliseconds(2300));
    expect_admin_error(accept(jo, "initech"), 410, "invite_expired");
    auto expired = parse(call(operator_token, "GET", "/admin/v1/tenants/initech/invitations?state=expired"));
    ASSERT_EQ(expired["invitations"].size(), 1u) << expired;
    EXPECT_EQ(expired["invitations"][0]["email"], "jo@initech.example");
    // A resend brings it back.
    auto again = admin(operator_token, "POST",
                       "/admin/v1/tenants/initech/invitations/" +
                           expired["invitations"][0]["id"].get<std::string>() + "/resend");
    ASSERT_EQ(again.status, 200) << again.body;
    ASSERT_EQ(accept(parse(again)["inviteCode"], "initech").status, 200);
}

TEST_F(InvitationTest, TheDailyLimitRefusesTheNextWithRetryAfterAndSurvivesARestart) {
    // initech allows 3 per inviter per day (acme the default 50).
    auto three =
        invite(json::array({"a@initech.example b@initech.example c@initech.example d@initech.example"}),
               json::array(), 200, "initech");
    EXPECT_EQ(outcomes_of(three),
              (std::vector<std::string>{"invited", "invited", "invited", "rate_limited"}));
    auto r = admin(operator_token, "POST", "/admin/v1/tenants/initech/invitations",
                   {{"emails", "e@initech.example"}});
    expect_admin_error(r, 429, "rate_limited");
    const auto retry_after = std::stoll(r.header("Retry-After"));
    EXPECT_GT(retry_after, 86000);
    EXPECT_LE(retry_after, 86400);
    restart();
    r = admin(operator_token, "POST", "/admin/v1/tenants/initech/invitations",
              {{"emails", "e@initech.example"}});
    expect_admin_error(r, 429, "rate_limited");
    // A resend counts too.
    auto list = parse(call(operator_token, "GET", "/admin/v1/tenants/initech/invitations"));
    expect_admin_error(admin(operator_token, "POST",
                             "/admin/v1/tenants/initech/invitations/" +
                                 list["invitations"][0]["id"].get<std::string>() + "/resend"),
                       429, "rate_limited");

    // 50 at once in acme, then the 51st is refused.
    std::string fifty;
    for (int i = 0; i < 50; ++i) fifty += "p" + std::to_string(i) + "@acme.example ";
    auto many = invite(json::array({fifty}));
    EXPECT_EQ(many["invited"], 50);
    r = admin(operator_token, "POST", "/admin/v1/tenants/acme/invitations", {{"emails", "p50@acme.example"}});
    expect_admin_error(r, 429, "rate_limited");
    // Another inviter (an admin acting as another person) has its own count.
    const auto owner = owner_id();
    r = admin(operator_token, "POST", "/admin/v1/tenants/acme/invitations", {{"emails", "p50@acme.example"}},
              owner);
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(InvitationTest, InviteModeRefusesScimUserWritesAndIdpModeRefusesInvitations) {
    auto scim = call(acme_token, "POST", "/scim/v2/Users", user_json("pushed").dump());
    expect_scim_error(scim, 403);
    EXPECT_NE(parse(scim)["detail"].get<std::string>().find("invitation"), std::string::npos) << scim.body;
    // Groups are not users: an IdP may still push them.
    auto group = call(acme_token, "POST", "/scim/v2/Groups",
                      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops"})");
    EXPECT_EQ(group.status, 201) << group.body;

    auto refused =
        admin(globex_admin, "POST", "/admin/v1/tenants/globex/invitations", {{"emails", "x@globex.example"}});
    expect_admin_error(refused, 403, "provisioning_idp");

    // acme switches to its IdP: invitations stay open until the IdP first writes, then close.
    auto pending = invite(json::array({"before-switch@acme.example"}));
    const std::string code = pending["results"][0]["inviteCode"];
    acme_provisioning_ = "idp";
    write_config();
    restart();
    invite(json::array({"during-switch@acme.example"}));
    ASSERT_EQ(call(acme_token, "POST", "/scim/v2/Users", user_json("first-push").dump()).status, 201);
    auto closed = admin(operator_token, "POST", "/admin/v1/tenants/acme/invitations",
                        {{"emails", "late@acme.example"}});
    expect_admin_error(closed, 403, "provisioning_idp");
    // What was sent before can still be accepted until it expires.
    EXPECT_EQ(accept(code).status, 200);
    auto audit = parse(call(operator_token, "GET", "/admin/v1/tenants/acme/audit?action=tenant."));
    std::vector<std::string> actions;
    for (const auto& e : audit["events"]) actions.push_back(e["action"]);
    EXPECT_EQ(actions,
              (std::vector<std::string>{"tenant.idp_active", "tenant.provisioning", "tenant.provisioning"}));
}

TEST_F(InvitationTest, AMailServerThatIsDownGetsTheMessageWhenItComesBack) {
    const auto port = mail_.port();
    mail_.stop();
    auto answer = invite(json::array({"late@acme.example"}));
    // The request answered at once; the message waits and is retried.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    json pending;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pending = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/notifications?state=pending"));
    } while ((pending["notifications"].empty() || pending["notifications"][0]["attempts"] < 2) &&
             std::chrono::steady_clock::now() < deadline);
    ASSERT_FALSE(pending["notifications"].empty()) << pending;
    EXPECT_GE(pending["notifications"][0]["attempts"], 2) << pending;
    EXPECT_TRUE(pending["notifications"][0].contains("lastError")) << pending;
    mail_.start(port);
    auto got = mails(1);
    ASSERT_EQ(got.size(), 1u) << daemon_->log();
    EXPECT_EQ(got[0]["rcpt_tos"], json::array({"late@acme.example"}));
    EXPECT_NE(got[0]["body"].get<std::string>().find(answer["results"][0]["inviteCode"].get<std::string>()),
              std::string::npos);
}

TEST_F(InvitationTest, AMessageTheServerRefusesIsFailedListedAndRetriedByAnAdmin) {
    invite(json::array({"bounce@acme.example"}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    json failed;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        failed = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/notifications?state=failed"));
    } while (failed["notifications"].empty() && std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(failed["notifications"].size(), 1u) << failed;
    const auto& m = failed["notifications"][0];
    EXPECT_EQ(m["recipient"], "bounce@acme.example");
    EXPECT_EQ(m["attempts"], 1);  // a 550 is not worth a retry
    EXPECT_NE(m["lastError"].get<std::string>().find("550"), std::string::npos) << m;
    const std::string retry =
        "/admin/v1/tenants/acme/notifications/" + std::to_string(m["id"].get<int>()) + "/retry";
    expect_admin_error(
        call(globex_admin, "POST",
             "/admin/v1/tenants/globex/notifications/" + std::to_string(m["id"].get<int>()) + "/retry"),
        404, "not_found");
    auto again = call(acme_admin, "POST", retry);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(parse(again)["state"], "pending");
    EXPECT_EQ(parse(again)["attempts"], 0);
    expect_admin_error(call(acme_admin, "GET", "/admin/v1/tenants/acme/notifications?state=sent"), 400,
                       "invalid_value");
}

TEST_F(InvitationTest, DeletingARoleTakesItFromOpenInvitationsAndTellsTheAdmins) {
    ASSERT_EQ(admin(operator_token, "POST", "/admin/v1/tenants/acme/roles", {{"name", "auditor"}}).status,
              201);
    invite(json::array({"u1@acme.example u2@acme.example"}), json::array({"auditor", "user"}));
    auto deleted = admin(operator_token, "DELETE", "/admin/v1/tenants/acme/roles/auditor");
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(parse(deleted)["removedFrom"], json({{"users", 0}, {"openInvitations", 2}}));
    auto list = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/invitations"));
    for (const auto& i : list["invitations"]) EXPECT_EQ(i["roles"], json::array({"user"}));
    auto got = mails(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[2]["rcpt_tos"], json::array({owner_email}));
    EXPECT_NE(got[2]["body"].get<std::string>().find("2 open"), std::string::npos) << got[2];
}

TEST_F(InvitationTest, AdminCreatedUsersFollowTheBusinessEmailPolicy) {
    auto consumer =
        admin(operator_token, "POST", "/admin/v1/tenants/acme/users", {{"userName", "someone@hotmail.com"}});
    expect_admin_error(consumer, 400, "consumer_domain");
    auto taken = admin(operator_token, "POST", "/admin/v1/tenants/acme/users",
                       {{"userName", "other"}, {"emails", {owner_email}}});
    expect_admin_error(taken, 409, "email_in_use");
    EXPECT_EQ(
        admin(operator_token, "POST", "/admin/v1/tenants/acme/users", {{"userName", "fine@acme.example"}})
            .status,
        201);
}

TEST_F(InvitationTest, APersonInSeveralTenantsLeavesOneAndThenTheOther) {
    auto invited = invite(json::array({"ann@acme.example"}));
    ASSERT_EQ(accept(invited["results"][0]["inviteCode"]).status, 200);
    json pushed = user_json("ann");
    pushed["emails"] = json::array({{{"value", "Ann@Acme.example"}, {"type", "work"}}});
    ASSERT_EQ(call(globex_token, "POST", "/scim/v2/Users", pushed.dump()).status, 201);

    auto people = call(operator_token, "GET", "/admin/v1/people?email=ANN%40acme.example");
    ASSERT_EQ(people.status, 200) << people.body;
    auto found = parse(people)["memberships"];
    ASSERT_EQ(found.size(), 2u) << people.body;
    EXPECT_EQ(found[0]["tenant"], "acme");
    EXPECT_EQ(found[0]["status"], "active");
    EXPECT_EQ(found[1]["tenant"], "globex");
    expect_admin_error(call(acme_admin, "GET", "/admin/v1/people?email=ann%40acme.example"), 403,
                       "operator_only");

    auto left =
        admin(operator_token, "POST", "/admin/v1/tenants/acme/departures", {{"email", "ann@acme.example"}});
    ASSERT_EQ(left.status, 200) << left.body;
    auto body = parse(left);
    EXPECT_EQ(body["user"]["status"], "disconnected");
    EXPECT_EQ(body["user"]["roles"], json::array());
    ASSERT_EQ(body["otherTenants"].size(), 1u);
    EXPECT_EQ(body["otherTenants"][0]["tenant"], "globex");
    EXPECT_EQ(body["withoutTenant"], false);
    // globex is untouched; acme's admins hear of it.
    EXPECT_EQ(parse(call(operator_token, "GET",
                         "/admin/v1/people?email=ann%40acme.example"))["memberships"][1]["status"],
              "provisioned");
    bool told = false;
    for (const auto& m : mails(3))
        told |= m["rcpt_tos"] == json::array({owner_email}) &&
                m["subject"].get<std::string>().find("left Acme Corp") != std::string::npos;
    EXPECT_TRUE(told) << mail_.log();
    expect_admin_error(
        admin(operator_token, "POST", "/admin/v1/tenants/acme/departures", {{"email", "ann@acme.example"}}),
        409, "already_left");

    left =
        admin(globex_admin, "POST", "/admin/v1/tenants/globex/departures", {{"email", "ann@acme.example"}});
    ASSERT_EQ(left.status, 200) << left.body;
    EXPECT_EQ(parse(left)["withoutTenant"], true);
    EXPECT_EQ(
        parse(call(operator_token, "GET", "/admin/v1/people?email=ann%40acme.example"))["withoutTenant"],
        true);
    // The last admin cannot leave.
    expect_admin_error(
        admin(operator_token, "POST", "/admin/v1/tenants/acme/departures", {{"email", owner_email}}), 409,
        "last_admin");
}

TEST_F(InvitationTest, AUserGrantedAFreedSeatIsTold) {
    std::vector<std::string> ids;
    for (const char* name : {"s1", "s2", "s3", "waiting"}) ids.push_back(create_user(globex_token, name));
    ASSERT_EQ(call(globex_token, "DELETE", "/scim/v2/Users/" + ids[0]).status, 204);
    auto got = mails(1);
    ASSERT_EQ(got.size(), 1u) << daemon_->log();
    EXPECT_EQ(got[0]["rcpt_tos"], json::array({"waiting@example.com"}));
    EXPECT_EQ(got[0]["subject"], "Your access to Globex is ready");
}

TEST_F(InvitationTest, ARelocationAuthorisedByTheDestinationMovesTheRecordWithItsHistory) {
    auto invited = invite(json::array({"mover@acme.example"}), json::array({"user"}));
    ASSERT_EQ(accept(invited["results"][0]["inviteCode"]).status, 200);
    const std::string id = invited["results"][0]["invitation"]["id"];
    const json request{{"tenant", "acme"},
                       {"userId", id},
                       {"to", "initech"},
                       {"reason", "joins Initech"},
                       {"roles", {"user"}}};
    expect_admin_error(admin(acme_admin, "POST", "/admin/v1/relocations", request), 403, "operator_only");
    auto asked = admin(operator_token, "POST", "/admin/v1/relocations", request);
    ASSERT_EQ(asked.status, 201) << asked.body;
    const auto rel = parse(asked);
    EXPECT_EQ(rel["state"], "requested");
    const std::string rel_path = "/admin/v1/relocations/" + std::to_string(rel["id"].get<int>());
    // initech's admin is asked.
    bool asked_boss = false;
    for (const auto& m : mails(3)) asked_boss |= m["rcpt_tos"] == json::array({"boss@initech.example"});
    EXPECT_TRUE(asked_boss) << mail_.log();
    expect_admin_error(admin(operator_token, "POST", "/admin/v1/relocations", request), 409,
                       "relocation_open");

    // A token alone cannot decide; acme's admin cannot either.
    expect_admin_error(admin(operator_token, "POST", rel_path + "/authorise"), 403, "acting_user_required");
    expect_admin_error(admin(acme_admin, "POST", rel_path + "/authorise", nullptr, owner_id()), 404,
                       "unknown_tenant");
    const auto boss =
        parse(call(operator_token, "GET", "/admin/v1/tenants/initech/users?role=admin"))["users"][0]["id"]
            .get<std::string>();
    auto done = admin(operator_token, "POST", rel_path + "/authorise", nullptr, boss);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(parse(done)["state"], "completed");
    EXPECT_EQ(parse(done)["decidedBy"], boss);

    // The same id now lives in initech (no free seat there: it waits), and no longer in acme.
    expect_admin_error(call(operator_token, "GET", "/admin/v1/tenants/acme/users/" + id), 404, "not_found");
    auto moved = parse(call(operator_token, "GET", "/admin/v1/tenants/initech/users/" + id));
    EXPECT_EQ(moved["status"], "requested") << moved;
    EXPECT_EQ(moved["roles"], json::array({"user"}));
    EXPECT_TRUE(moved.contains("registered")) << moved;
    auto history = parse(call(operator_token, "GET", "/admin/v1/tenants/initech/audit?user=" + id));
    std::vector<std::string> actions;
    for (const auto& e : history["events"]) actions.push_back(e["action"]);
    EXPECT_EQ(actions.front(), "user.relocate");
    EXPECT_NE(std::find(actions.begin(), actions.end(), "invitation.accept"), actions.end()) << history;
    EXPECT_EQ(
        parse(call(operator_token, "GET", "/admin/v1/tenants/acme/audit?user=" + id))["events"][0]["action"],
        "user.relocate");
    expect_admin_error(admin(operator_token, "POST", rel_path + "/refuse", nullptr, boss), 409,
                       "relocation_ended");
}

TEST_F(InvitationTest, ARelocationIsRefusedNotDecidedByItsRequesterAndCancelledAfterThreeUnansweredRequests) {
    const auto boss =
        parse(call(operator_token, "GET", "/admin/v1/tenants/initech/users?role=admin"))["users"][0]["id"]
            .get<std::string>();
    auto invited = invite(json::array({"r1@acme.example r2@acme.example"}));
    const std::string r1 = invited["results"][0]["invitation"]["id"];
    const std::string r2 = invited["results"][1]["invitation"]["id"];

    // Asked for by the person who would decide: refused to them.
    auto asked = admin(operator_token, "POST", "/admin/v1/relocations",
                       {{"tenant", "acme"}, {"userId", r1}, {"to", "initech"}, {"reason", "test"}}, boss);
    ASSERT_EQ(asked.status, 201) << asked.body;
    const std::string first = "/admin/v1/relocations/" + std::to_string(parse(asked)["id"].get<int>());
    expect_admin_error(admin(operator_token, "POST", first + "/authorise", nullptr, boss), 403,
                       "requester_cannot_authorise");
    // Refused by nobody else here, so withdrawn; then asked again and refused.
    ASSERT_EQ(admin(operator_token, "POST", first + "/withdraw").status, 200);
    asked = admin(operator_token, "POST", "/admin/v1/relocations",
                  {{"tenant", "acme"}, {"userId", r1}, {"to", "initech"}, {"reason", "again"}});
    ASSERT_EQ(asked.status, 201) << asked.body;
    const std::string second = "/admin/v1/relocations/" + std::to_string(parse(asked)["id"].get<int>());
    auto refused = admin(operator_token, "POST", second + "/refuse", nullptr, boss);
    ASSERT_EQ(refused.status, 200) << refused.body;
    EXPECT_EQ(parse(refused)["state"], "cancelled");
    EXPECT_EQ(parse(refused)["cancelReason"], "refused");
    EXPECT_EQ(call(operator_token, "GET", "/admin/v1/tenants/acme/users/" + r1).status, 200);  // stayed

    asked = admin(operator_token, "POST", "/admin/v1/relocations",
                  {{"tenant", "acme"}, {"userId", r2}, {"to", "initech"}, {"reason", "nobody answers"}});
    const std::string third = "/admin/v1/relocations/" + std::to_string(parse(asked)["id"].get<int>());
    EXPECT_EQ(parse(admin(operator_token, "POST", third + "/remind"))["attempts"], 2);
    EXPECT_EQ(parse(admin(operator_token, "POST", third + "/remind"))["attempts"], 3);
    auto given_up = parse(admin(operator_token, "POST", third + "/remind"));
    EXPECT_EQ(given_up["state"], "cancelled");
    EXPECT_EQ(given_up["cancelReason"], "unanswered");

    auto list = parse(call(operator_token, "GET", "/admin/v1/relocations?state=cancelled"));
    EXPECT_EQ(list["relocations"].size(), 3u);
    // A tenant admin sees the requests involving its tenant only.
    EXPECT_EQ(parse(call(globex_admin, "GET", "/admin/v1/relocations"))["relocations"].size(), 0u);
    EXPECT_EQ(call(globex_admin, "GET", third).status, 404);
    EXPECT_EQ(parse(call(acme_admin, "GET", "/admin/v1/relocations"))["relocations"].size(), 3u);
}

class InvitationCtlTest : public InvitationTest {
  protected:
    std::pair<int, std::string> ctl(const std::string& args) {
        std::ofstream(dir_.file("acme.token")) << acme_admin << "\n";
        return run_command(std::string(DIRSYNCCTL_PATH) + " " + args + " --url http://127.0.0.1:" +
                           std::to_string(port()) + " --token-file " + dir_.file("acme.token") + " 2>&1");
    }
};

TEST_F(InvitationCtlTest, DirsyncctlInvitesListsResendsRevokesAndAccepts) {
    auto [status, out] = ctl("invitations create -t acme 'a@acme.example, b@gmail.com' c@acme.example");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("2 invited, 1 refused"), std::string::npos) << out;
    EXPECT_NE(out.find("consumer_domain"), std::string::npos) << out;
    std::tie(status, out) = ctl("invitations list -t acme -o json");
    ASSERT_EQ(status, 0) << out;
    const auto list = json::parse(out);
    ASSERT_EQ(list["invitations"].size(), 2u);
    const std::string id = list["invitations"][0]["id"];
    std::tie(status, out) = ctl("invitations resend -t acme " + id + " -o json");
    ASSERT_EQ(status, 0) << out;
    const std::string code = json::parse(out)["inviteCode"];
    std::tie(status, out) = ctl("invitations accept " + code + " --given-name Ann --family-name Lee");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("active"), std::string::npos) << out;
    std::tie(status, out) = ctl("invitations accept " + code + " --given-name Ann --family-name Lee");
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("409 invite_used"), std::string::npos) << out;
    std::tie(status, out) =
        ctl("invitations revoke -t acme " + list["invitations"][1]["id"].get<std::string>());
    ASSERT_EQ(status, 0) << out;
    std::tie(status, out) = ctl("notifications list -t acme");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("invitation.sent"), std::string::npos) << out;
    std::tie(status, out) = ctl("users leave -t acme " + id);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("without a tenant"), std::string::npos) << out;
    std::tie(status, out) = ctl("relocations list");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("(no relocations)"), std::string::npos) << out;
    std::tie(status, out) = ctl("relocations request " + id + " -t acme --to initech --reason x");
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("403 operator_only"), std::string::npos) << out;
    std::tie(status, out) = ctl("invitations frobnicate -t acme");
    EXPECT_EQ(status, 2) << out;
}

}  // namespace
}  // namespace dirsync::testing
