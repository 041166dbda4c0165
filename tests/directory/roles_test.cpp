// The role catalogue, role assignments and the last-admin rule, through the directory's one write path.
#include <gtest/gtest.h>

#include "directory/directory.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::directory {
namespace {

using json = nlohmann::json;

class RolesTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "r.db")};
    tenant_directory dir{db_};
    actor admin{"admin", "0123abcd"};
    actor idp{"scim-token", "89abcdef"};
    actor sync{"source", "corp"};

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", 5}});
    }

    /// A user of `tenant` in `status` holding `roles`, created as an administrator would.
    std::string make(const std::string& name, user_status status, std::vector<std::string> roles,
                     const std::string& tenant = "acme") {
        user_write w;
        w.resource = {{"userName", name},
                      {"displayName", name + " Example"},
                      {"emails", {{{"value", name + "@example.com"}}}}};
        w.roles = std::move(roles);
        w.status = status;
        w.source = "admin";
        auto u = dir.create_user(admin, tenant, w);
        EXPECT_TRUE(u) << u.error().message;
        return u ? u->id : "";
    }

    user_status status_of(const std::string& id) { return dir.get_user("acme", id).value().status; }
};

TEST_F(RolesTest, CatalogueListsBuiltInsThenCustomRolesWithHolders) {
    ASSERT_TRUE(dir.create_role(admin, "acme", "auditor", "Reads the audit log"));
    make("ann", user_status::active, {"admin", "auditor"});
    make("bob", user_status::provisioned, {"user"});
    auto roles = dir.roles("acme");
    ASSERT_TRUE(roles);
    std::vector<std::string> names;
    for (const auto& r : *roles)
        names.push_back(r.name + "=" + std::to_string(r.users) + (r.builtin ? "b" : ""));
    EXPECT_EQ(names, (std::vector<std::string>{"admin=1b", "user=1b", "service_account=0b", "query_user=0b",
                                               "auditor=1"}));
    // Catalogues are per tenant.
    auto other = dir.roles("globex");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->size(), 4u);
    EXPECT_EQ(dir.roles("nope").error().code, error_code::unknown_tenant);
}

TEST_F(RolesTest, CreateRefusesBadDuplicateAndBuiltInNames) {
    ASSERT_TRUE(dir.create_role(admin, "acme", "auditor", ""));
    struct bad {
        std::string name;
        std::string reason;
    };
    for (const auto& b :
         {bad{"auditor", "role_exists"}, bad{"admin", "role_exists"}, bad{"Auditor", "invalid_role_name"},
          bad{"", "invalid_role_name"}, bad{"two words", "invalid_role_name"},
          bad{std::string(64, 'a'), "invalid_role_name"}}) {
        auto r = dir.create_role(admin, "acme", b.name, "");
        ASSERT_FALSE(r) << b.name;
        EXPECT_EQ(r.error().reason, b.reason) << b.name;
    }
    // Another tenant may have its own "auditor".
    EXPECT_TRUE(dir.create_role(admin, "globex", "auditor", ""));
    EXPECT_EQ(dir.describe_role(admin, "acme", "admin", "x").error().reason, "builtin_role");
    auto described = dir.describe_role(admin, "acme", "auditor", "Reads the audit log");
    ASSERT_TRUE(described);
    EXPECT_EQ(described->description, "Reads the audit log");
    EXPECT_EQ(dir.describe_role(admin, "acme", "nope", "x").error().code, error_code::not_found);
}

TEST_F(RolesTest, AssignmentsMustNameCatalogueRoles) {
    const auto id = make("ann", user_status::provisioned, {});
    auto unknown = dir.assign_role(admin, "acme", id, "auditor");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().reason, "unknown_role");
    EXPECT_NE(unknown.error().message.find("'auditor'"), std::string::npos);
    ASSERT_TRUE(dir.create_role(admin, "acme", "auditor", ""));
    auto given = dir.assign_role(admin, "acme", id, "auditor");
    ASSERT_TRUE(given) << given.error().message;
    EXPECT_EQ(given->roles, std::vector<std::string>{"auditor"});
    // Again changes nothing: no new version.
    EXPECT_EQ(dir.assign_role(admin, "acme", id, "auditor")->version, given->version);
    // A role of another tenant's catalogue is unknown here.
    ASSERT_TRUE(dir.create_role(admin, "globex", "ops", ""));
    EXPECT_EQ(dir.assign_role(admin, "acme", id, "ops").error().reason, "unknown_role");

    // A sync rule granting a role the tenant lacks fails that record, naming the role.
    user_write w;
    w.resource = {{"userName", "synced"}};
    w.roles = std::vector<std::string>{"engineer"};
    w.source = "corp";
    auto synced = dir.create_user(sync, "acme", w);
    ASSERT_FALSE(synced);
    EXPECT_EQ(synced.error().reason, "unknown_role");

    // The audit names the roles added.
    auto log = dir.audit_log("acme", audit_query{.resource_id = id, .action = "user.update"}, 10);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().summary["roles"]["added"], json::array({"auditor"}));
}

TEST_F(RolesTest, ServiceAccountsNeverHoldAdmin) {
    const auto svc = make("robot", user_status::active, {"service_account"});
    auto r = dir.assign_role(admin, "acme", svc, "admin");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "admin_service_account");
    user_write both;
    both.resource = {{"userName", "both"}};
    both.roles = std::vector<std::string>{"admin", "service_account"};
    EXPECT_EQ(dir.create_user(admin, "acme", both).error().reason, "admin_service_account");
}

TEST_F(RolesTest, DeletingARoleInUseNeedsForceAndSaysHowManyLostIt) {
    ASSERT_TRUE(dir.create_role(admin, "acme", "auditor", ""));
    const auto a = make("ann", user_status::active, {"admin", "auditor"});
    make("bob", user_status::provisioned, {"auditor"});
    auto refused = dir.delete_role(admin, "acme", "auditor", false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().reason, "role_in_use");
    EXPECT_NE(refused.error().message.find("held by 2 users"), std::string::npos) << refused.error().message;
    auto removed = dir.delete_role(admin, "acme", "auditor", true);
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_EQ(removed->users, 2);
    EXPECT_EQ(removed->invitations, 0);
    EXPECT_EQ(dir.get_user("acme", a)->roles, std::vector<std::string>{"admin"});
    EXPECT_EQ(dir.delete_role(admin, "acme", "auditor", true).error().code, error_code::not_found);
    EXPECT_EQ(dir.delete_role(admin, "acme", "admin", true).error().reason, "builtin_role");
    // An unused role goes without force.
    ASSERT_TRUE(dir.create_role(admin, "acme", "spare", ""));
    EXPECT_EQ(dir.delete_role(admin, "acme", "spare", false).value().users, 0);
}

/// Every way to take away the last active admin, from every writer, is refused; the same change is allowed
/// once another active admin exists.
TEST_F(RolesTest, TheLastActiveAdminStays) {
    const auto ann = make("ann", user_status::active, {"admin"});
    make("bob", user_status::active, {"user"});
    // A provisioned admin does not count: it has never signed in.
    const auto cat = make("cat", user_status::provisioned, {"admin"});

    struct attempt {
        const char* what;
        std::function<result<void>()> run;
    };
    auto as_void = [](auto r) -> result<void> {
        if (!r) return r.error();
        return {};
    };
    const std::vector<attempt> attempts = {
        {"admin deletes", [&] { return dir.delete_user(admin, "acme", ann); }},
        {"admin disables",
         [&] { return as_void(dir.change_status(admin, "acme", ann, status_request::disable)); }},
        {"admin disconnects",
         [&] { return as_void(dir.change_status(admin, "acme", ann, status_request::disconnect)); }},
        {"admin demotes", [&] { return as_void(dir.remove_role(admin, "acme", ann, "admin")); }},
        {"idp deletes", [&] { return dir.delete_user(idp, "acme", ann); }},
        {"idp deactivates",
         [&] {
             return as_void(dir.modify_user(idp, "acme", ann, [](const user& u) -> result<user_write> {
                 user_write w;
                 w.resource = u.resource;
                 w.resource["active"] = false;
                 w.source = u.source;
                 return w;
             }));
         }},
        {"sync disables",
         [&] {
             return dir.in_batch(sync, [&](tenant_directory::batch& b) -> result<void> {
                 return b.step([&](tenant_directory::batch& s) -> result<void> {
                     return as_void(s.modify_user("acme", ann, [](const user& u) -> result<user_write> {
                         user_write w;
                         w.resource = u.resource;
                         w.status = user_status::disabled;
                         w.source = u.source;
                         return w;
                     }));
                 });
             });
         }},
    };
    for (const auto& a : attempts) {
        auto r = a.run();
        ASSERT_FALSE(r) << a.what;
        EXPECT_EQ(r.error().code, error_code::conflict) << a.what;
        EXPECT_EQ(r.error().reason, "last_admin") << a.what;
        EXPECT_EQ(status_of(ann), user_status::active) << a.what;
        EXPECT_EQ(dir.get_user("acme", ann)->roles, std::vector<std::string>{"admin"}) << a.what;
    }
    // With a second active admin each is allowed.
    ASSERT_TRUE(dir.change_status(admin, "acme", cat, status_request::register_person));
    EXPECT_TRUE(dir.change_status(admin, "acme", ann, status_request::disable));
    EXPECT_EQ(dir.change_status(admin, "acme", cat, status_request::disable).error().reason, "last_admin");
}

TEST_F(RolesTest, EvenTheOnlyUserStaysWhenItIsTheLastAdminAndOtherTenantsDoNotCount) {
    const auto solo = make("solo", user_status::active, {"admin"}, "globex");
    make("ann", user_status::active, {"admin"});
    EXPECT_EQ(dir.delete_user(admin, "globex", solo).error().reason, "last_admin");
}

TEST_F(RolesTest, TheOwnerIsCreatedOnceAsAnActiveAdmin) {
    dir.configure_tenants({{"acme", "Acme", std::nullopt, "Owner@Example.com"}});
    auto page = dir.query_users("acme", user_query{.role = "admin"}, 10);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->users.size(), 1u);
    const auto& owner = page->users.front();
    EXPECT_EQ(owner.user_name, "Owner@Example.com");
    EXPECT_EQ(owner.status, user_status::active);
    EXPECT_EQ(owner.emails, std::vector<std::string>{"Owner@Example.com"});
    // Configuring again (a restart) finds the owner by e-mail, whatever its case: no second record.
    dir.configure_tenants({{"acme", "Acme", std::nullopt, "owner@example.com"}});
    EXPECT_EQ(dir.count_users("acme"), 1);
}

class UserQueryTest : public RolesTest {
  protected:
    std::vector<std::string> names(const user_query& q, std::int64_t limit = 100) {
        auto page = dir.query_users("acme", q, limit);
        EXPECT_TRUE(page) << page.error().message;
        std::vector<std::string> out;
        if (page)
            for (const auto& u : page->users) out.push_back(u.user_name);
        return out;
    }
};

TEST_F(UserQueryTest, FiltersByStatusRoleAndSearch) {
    ASSERT_TRUE(dir.create_role(admin, "acme", "auditor", ""));
    make("ann", user_status::active, {"admin", "auditor"});
    make("bob", user_status::provisioned, {"user"});
    make("carla", user_status::disabled, {"auditor"});
    user_write ext;
    ext.resource = {{"userName", "dan"},
                    {"externalId", "idp-42"},
                    {"name", {{"givenName", "Daniel"}, {"familyName", "Özdemir"}}}};
    ASSERT_TRUE(dir.create_user(idp, "acme", ext));
    make("other", user_status::active, {"admin"}, "globex");

    EXPECT_EQ(names({.status = user_status::provisioned}), (std::vector<std::string>{"bob", "dan"}));
    EXPECT_EQ(names({.role = "auditor"}), (std::vector<std::string>{"ann", "carla"}));
    EXPECT_EQ(names({.status = user_status::active, .role = "auditor"}), std::vector<std::string>{"ann"});
    EXPECT_EQ(names({.search = "B"}), std::vector<std::string>{"bob"});             // userName prefix
    EXPECT_EQ(names({.search = "CARLA@exam"}), std::vector<std::string>{"carla"});  // e-mail prefix
    EXPECT_EQ(names({.search = "öz"}), std::vector<std::string>{"dan"});            // family name, folded
    EXPECT_EQ(names({.search = "dani"}), std::vector<std::string>{"dan"});          // given name
    EXPECT_EQ(names({.search = "example"}), std::vector<std::string>{});            // not a prefix
    EXPECT_EQ(names({.search = "example", .substring = true}),
              (std::vector<std::string>{"ann", "bob", "carla"}));
    EXPECT_EQ(names({.search = "%", .substring = true}), std::vector<std::string>{});  // LIKE escaped
    EXPECT_EQ(names({.subject = "idp-42"}), std::vector<std::string>{"dan"});
    EXPECT_EQ(names({.subject = "idp-4"}), std::vector<std::string>{});  // exact only
    const auto ann = dir.query_users("acme", {.search = "ann"}, 1)->users.front().id;
    EXPECT_EQ(names({.id = ann}), std::vector<std::string>{"ann"});
    EXPECT_EQ(names({.id = ann.substr(0, 8)}), std::vector<std::string>{});
    EXPECT_EQ(names({.search = "other"}), std::vector<std::string>{});  // another tenant's
}

TEST_F(UserQueryTest, PagesWithAStableCursor) {
    for (int i = 0; i < 7; ++i) make("u" + std::to_string(i), user_status::provisioned, {});
    auto first = dir.query_users("acme", {}, 3).value();
    ASSERT_EQ(first.users.size(), 3u);
    ASSERT_TRUE(first.next);
    // A user created or deleted between pages neither repeats nor shifts the rest.
    ASSERT_TRUE(dir.delete_user(admin, "acme", first.users.front().id));
    make("late", user_status::provisioned, {});
    std::vector<std::string> seen;
    for (const auto& u : first.users) seen.push_back(u.user_name);
    std::optional<std::string> cursor = first.next;
    while (cursor) {
        auto page = dir.query_users("acme", {.after = cursor}, 3).value();
        for (const auto& u : page.users) seen.push_back(u.user_name);
        cursor = page.next;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "late"}));
    for (const char* bad : {"", "u", "x12", "u-1", "u99999999999999999999"}) {
        auto r = dir.query_users("acme", {.after = std::string(bad)}, 3);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().reason, "invalid_cursor");
    }
}

}  // namespace
}  // namespace dirsync::directory
