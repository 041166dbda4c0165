// Invitations through the directory: pasted address lists, the business-email rules, the code's life
// (accepted once, replaced by a resend, revoked, expired), the outbox written with the change, and the
// provisioning mode's switch closing invitations at the identity provider's first write.
#include <gtest/gtest.h>

#include <thread>

#include "directory/directory.hpp"
#include "directory/email_rules.hpp"
#include "directory/notices.hpp"
#include "store/database.hpp"
#include "store/outbox_table.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::directory {
namespace {

using json = nlohmann::json;

TEST(SplitAddresses, SplitsWhatAdminsPaste) {
    EXPECT_EQ(split_addresses({"a@x.example, b@x.example;c@x.example\n d@x.example", "", " e@x.example "}),
              (std::vector<std::string>{"a@x.example", "b@x.example", "c@x.example", "d@x.example",
                                        "e@x.example"}));
    EXPECT_TRUE(split_addresses({" ,; \n"}).empty());
}

TEST(BusinessAddress, ConsumerDomainsAndTheirSubdomainsAreRefusedCaseInsensitively) {
    email_policy policy;
    for (auto d : builtin_consumer_domains()) policy.consumer_domains.emplace_back(d);
    EXPECT_TRUE(check_business_address(policy, "ann@acme.example"));
    EXPECT_EQ(check_business_address(policy, "ann@GMail.com").error().reason, "consumer_domain");
    EXPECT_EQ(check_business_address(policy, "ann@mail.yahoo.com").error().reason, "consumer_domain");
    EXPECT_TRUE(check_business_address(policy, "ann@notgmail.com"));
    EXPECT_EQ(check_business_address(policy, "ann").error().reason, "invalid_email");
    policy.business_only = false;
    EXPECT_TRUE(check_business_address(policy, "ann@gmail.com"));
    EXPECT_EQ(check_business_address(policy, "ann@").error().reason, "invalid_email");
}

TEST(Notices, RenderReplacesKnownPlaceholdersOnly) {
    EXPECT_EQ(
        notices::render("Hi {invitee}, join {tenant} {unknown} {", {{"invitee", "Ann"}, {"tenant", "Acme"}}),
        "Hi Ann, join Acme {unknown} {");
}

class InvitationsTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "i.db")};
    tenant_directory dir{db_};
    actor admin{"admin", "0123abcd", "owner-id"};
    actor idp{"scim-token", "89abcdef"};

    void SetUp() override {
        tenant acme{"acme", "Acme", std::nullopt};
        acme.provisioning = provisioning_mode::invite;
        acme.invitations.expire_after = std::chrono::milliseconds(300);
        acme.invitations.daily_limit = 3;
        acme.emails.consumer_domains = {"gmail.com"};
        dir.configure_notifications({true, false});
        dir.configure_tenants({acme, {"globex", "Globex", std::nullopt}});
    }

    std::vector<invite_outcome> invite(std::vector<std::string> addresses,
                                       std::vector<std::string> roles = {}) {
        auto r = dir.invite(admin, "acme", {std::move(addresses), std::move(roles)});
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : std::vector<invite_outcome>{};
    }

    std::vector<store::outbox_table::message_row> outbox() {
        return db_.read(
            [](store::connection& c) { return store::outbox_table::list(c, "acme", "", 0, 100); });
    }
};

TEST_F(InvitationsTest, AnInvitationIsAPendingUserWithAQueuedMessageHoldingTheCode) {
    auto out = invite({"Ann@Acme.example"}, {"user"});
    ASSERT_EQ(out.size(), 1u);
    ASSERT_TRUE(out[0].invited) << out[0].message;
    auto u = dir.get_user("acme", out[0].invited->id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->status, user_status::pending_invite);
    EXPECT_EQ(u->source, "invitation");
    EXPECT_EQ(u->roles, std::vector<std::string>{"user"});
    auto queued = outbox();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].recipient, "Ann@Acme.example");
    EXPECT_NE(queued[0].body.find(out[0].code), std::string::npos);
    EXPECT_TRUE(queued[0].holds_code);
    // The code itself is nowhere in the store but that message.
    auto audit = dir.audit_log("acme", 10);
    for (const auto& e : audit) EXPECT_EQ(e.summary.dump().find(out[0].code), std::string::npos) << e.action;

    // Both names are required; a refusal changes nothing.
    EXPECT_EQ(dir.accept_invitation({out[0].code, " ", "Lee"}, std::nullopt).error().reason, "invalid_name");
    EXPECT_EQ(dir.get_user("acme", out[0].invited->id)->status, user_status::pending_invite);
    // A different case of the same address is the same invitee.
    EXPECT_EQ(invite({"ann@ACME.example"})[0].refused, "already_invited");
}

TEST_F(InvitationsTest, TheCodeServesOnceAndNotAfterAResendRevokeOrExpiry) {
    auto out = invite({"a@acme.example", "b@acme.example", "c@acme.example"});
    auto resent = dir.resend_invitation(admin, "acme", out[0].invited->id);
    EXPECT_EQ(resent.error().reason, "rate_limited");  // three sends today already
    EXPECT_TRUE(resent.error().retry_after);

    acceptance a{out[0].code, "Ann", "Lee"};
    auto u = dir.accept_invitation(a, std::nullopt);
    ASSERT_TRUE(u) << u.error().message;
    EXPECT_EQ(u->status, user_status::active);
    EXPECT_TRUE(u->registered);
    EXPECT_EQ(dir.accept_invitation(a, std::nullopt).error().reason, "invite_used");
    // Another tenant's scope does not know the code.
    EXPECT_EQ(dir.accept_invitation({out[1].code, "B", "B"}, "globex").error().reason, "invite_code_unknown");

    ASSERT_TRUE(dir.revoke_invitation(admin, "acme", out[1].invited->id));
    EXPECT_EQ(dir.accept_invitation({out[1].code, "B", "B"}, std::nullopt).error().reason, "invite_revoked");
    EXPECT_EQ(dir.get_user("acme", out[1].invited->id).error().code, error_code::not_found);

    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    EXPECT_EQ(dir.accept_invitation({out[2].code, "C", "C"}, std::nullopt).error().reason, "invite_expired");
    auto expired = dir.invitations("acme", invitation_filter::expired, std::nullopt, 10);
    ASSERT_EQ(expired->invitations.size(), 1u);
    EXPECT_EQ(expired->invitations[0].state, invitation_state::expired);
}

TEST_F(InvitationsTest, DeletingAnInviteeEndsTheInvitation) {
    auto out = invite({"d@acme.example"});
    ASSERT_TRUE(dir.delete_user(admin, "acme", out[0].invited->id));
    EXPECT_EQ(dir.get_invitation("acme", out[0].invited->id)->state, invitation_state::revoked);
    EXPECT_EQ(dir.accept_invitation({out[0].code, "D", "D"}, std::nullopt).error().reason, "invite_revoked");
}

TEST_F(InvitationsTest, AnIdentityProviderCannotWriteUsersOfAnInviteTenantAndClosesInvitationsWhenActive) {
    user_write w;
    w.resource = {{"userName", "pushed"}};
    EXPECT_EQ(dir.create_user(idp, "acme", w).error().reason, "provisioning_invite");
    EXPECT_EQ(dir.invite(admin, "globex", {{"x@globex.example"}, {}}).error().reason, "provisioning_idp");

    // acme switches to its identity provider: invitations stay open until it writes.
    tenant acme{"acme", "Acme", std::nullopt};
    dir.configure_tenants({acme});
    EXPECT_TRUE(dir.invite(admin, "acme", {{"e@acme.example"}, {}}));
    ASSERT_TRUE(dir.create_user(idp, "acme", w));
    EXPECT_EQ(dir.invite(admin, "acme", {{"f@acme.example"}, {}}).error().reason, "provisioning_idp");
    // Back to invitations: the IdP is refused again.
    acme.provisioning = provisioning_mode::invite;
    dir.configure_tenants({acme});
    w.resource = {{"userName", "pushed-again"}};
    EXPECT_EQ(dir.create_user(idp, "acme", w).error().reason, "provisioning_invite");
    EXPECT_TRUE(dir.invite(admin, "acme", {{"g@acme.example"}, {}}));
}

TEST_F(InvitationsTest, AGroupPushedByTheIdentityProviderMarksItActiveToo) {
    dir.configure_tenants({{"acme", "Acme", std::nullopt}});
    EXPECT_TRUE(dir.invite(admin, "acme", {{"j@acme.example"}, {}}));
    group_write g;
    g.resource = {{"displayName", "Ops"}};
    ASSERT_TRUE(dir.create_group(idp, "acme", g));
    EXPECT_EQ(dir.invite(admin, "acme", {{"k@acme.example"}, {}}).error().reason, "provisioning_idp");
}

TEST_F(InvitationsTest, ASyncRunMarksTheIdentityProviderActive) {
    dir.configure_tenants({{"acme", "Acme", std::nullopt}});
    EXPECT_TRUE(dir.invite(admin, "acme", {{"h@acme.example"}, {}}));
    dir.note_source_run({"source", "corp"}, "acme");
    EXPECT_EQ(dir.invite(admin, "acme", {{"i@acme.example"}, {}}).error().reason, "provisioning_idp");
}

TEST_F(InvitationsTest, AFailedMessageIsListedAndCanBeRetriedOnce) {
    invite({"m@acme.example"});
    const auto queued = outbox();
    ASSERT_EQ(queued.size(), 1u);
    const auto id = queued[0].seq;
    EXPECT_EQ(dir.retry_message(admin, "acme", id).error().code, error_code::not_found);  // not failed
    db_.write([&](store::connection& c) {
        store::outbox_table::mark_attempt_failed(c, id, 10, "550 no such user", std::nullopt, 1);
    });
    auto failed = dir.outbox("acme", "failed", std::nullopt, 10);
    ASSERT_EQ(failed->size(), 1u);
    EXPECT_EQ((*failed)[0].last_error, "550 no such user");
    EXPECT_EQ((*failed)[0].attempts, 10);
    EXPECT_EQ(dir.retry_message(admin, "globex", id).error().code, error_code::not_found);  // not theirs
    auto retried = dir.retry_message(admin, "acme", id);
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_EQ(retried->state, "pending");
    EXPECT_EQ(retried->attempts, 0);
    EXPECT_EQ(dir.outbox("acme", "failed", std::nullopt, 10)->size(), 0u);
    EXPECT_EQ(dir.outbox("acme", "sent", std::nullopt, 10).error().code, error_code::invalid_value);
    EXPECT_EQ(dir.audit_log("acme", 1)[0].action, "notification.retry");
}

TEST_F(InvitationsTest, AnExpiredRelocationCannotBeDecidedAndReadsAsCancelled) {
    auto out = invite({"mover@acme.example"});
    ASSERT_TRUE(out[0].invited);
    relocation_request request{"acme", out[0].invited->id, "globex", "moves"};
    request.expire_after = std::chrono::milliseconds(1);
    auto r = dir.request_relocation({"admin", "operator1"}, request);
    ASSERT_TRUE(r) << r.error().message;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const actor decider{"admin", "globex1", "someone"};
    EXPECT_EQ(dir.decide_relocation(decider, r->id, true).error().reason, "relocation_expired");
    auto read = dir.get_relocation(r->id);
    EXPECT_EQ(read->state, "cancelled");
    EXPECT_EQ(read->cancel_reason, "expired");
    EXPECT_TRUE(dir.get_user("acme", out[0].invited->id));  // nothing moved
    // An unknown role of the destination, or an empty reason, is refused up front.
    request.expire_after = std::chrono::hours(1);
    request.roles = {"auditor"};
    EXPECT_EQ(dir.request_relocation({"admin", "operator1"}, request).error().reason, "unknown_role");
    request.roles.clear();
    request.reason = "  ";
    EXPECT_EQ(dir.request_relocation({"admin", "operator1"}, request).error().reason, "reason_required");
}

}  // namespace
}  // namespace dirsync::directory
