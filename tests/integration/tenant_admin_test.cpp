// Tenant administration against the real daemon: seats and statuses through the admin API, a freed seat going
// to the user that waited longest, tenant admin tokens confined to their tenant, the acting admin, the
// last-admin rule from every writer, the role catalogue, user search and the audit trail.
#include <algorithm>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "tests/integration/daemon_fixture.hpp"
#include "tests/support/run_command.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* admin_token = "tenant-admin-test-operator-token";
constexpr const char* acme_admin = "acme-admin-token-0123456789";
constexpr const char* globex_admin = "globex-admin-token-0123456789";
constexpr const char* owner_email = "owner@acme.example";

class TenantAdminTest : public DaemonTest {
  protected:
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(admin_token)) + "\"\n";
    }
    std::string tenant_extra_yaml(const std::string& id) const override {
        const char* token = id == "acme" ? acme_admin : globex_admin;
        std::string yaml =
            "    admin_tokens:\n      - sha256: \"" + common::to_hex(common::sha256(token)) + "\"\n";
        if (id == "acme") yaml += std::string("    owner: ") + owner_email + "\n";
        return yaml;
    }

    /// The id of acme's owner, created from the configuration.
    std::string owner_id() {
        auto r = call(acme_admin, "GET", "/admin/v1/tenants/acme/users?role=admin&status=active");
        EXPECT_EQ(r.status, 200) << r.body;
        auto users = parse(r)["users"];
        EXPECT_EQ(users.size(), 1u) << r.body;
        return users.empty() ? std::string() : users[0]["id"].get<std::string>();
    }

    json tenant(const std::string& id) {
        auto r = call(admin_token, "GET", "/admin/v1/tenants/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r);
    }
};

TEST_F(TenantAdminTest, ASeatFreedByADeletionGoesToTheUserThatWaitedLongest) {
    // globex has 3 seats: the fourth and fifth users wait.
    std::vector<std::string> ids;
    for (const char* name : {"a", "b", "c", "first-waiting", "second-waiting"})
        ids.push_back(create_user(globex_token, name));
    auto t = tenant("globex");
    EXPECT_EQ(t["seats"], json({{"limit", 3}, {"used", 3}, {"free", 0}}));
    EXPECT_EQ(t["users"]["provisioned"], 3);
    EXPECT_EQ(t["users"]["requested"], 2);

    ASSERT_EQ(call(globex_token, "DELETE", "/scim/v2/Users/" + ids[0]).status, 204);
    t = tenant("globex");
    EXPECT_EQ(t["seats"]["used"], 3);
    EXPECT_EQ(t["users"]["requested"], 1);
    EXPECT_EQ(t["users"]["provisioned"], 3);

    // Disabling over SCIM frees one too; the second waiting user gets it.
    auto off = call(globex_token, "PATCH", "/scim/v2/Users/" + ids[1],
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                    R"("Operations":[{"op":"replace","path":"active","value":false}]})");
    ASSERT_EQ(off.status, 200) << off.body;
    t = tenant("globex");
    EXPECT_EQ(t["users"]["requested"], 0);
    EXPECT_EQ(t["users"]["disabled"], 1);
    EXPECT_EQ(t["seats"], json({{"limit", 3}, {"used", 3}, {"free", 0}}));

    // Re-enabling the disabled user finds no seat: it waits in its turn.
    auto on = call(globex_token, "PATCH", "/scim/v2/Users/" + ids[1],
                   R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                   R"("Operations":[{"op":"replace","path":"active","value":true}]})");
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(tenant("globex")["users"]["requested"], 1);

    // The counts survive a restart (the running count is stored, not rebuilt).
    restart();
    t = tenant("globex");
    EXPECT_EQ(t["seats"]["used"], 3);
    EXPECT_EQ(t["users"]["total"], 4);
}

TEST_F(TenantAdminTest, TenantsAreListedForOperatorsOnly) {
    create_user(acme_token, "someone");
    auto r = call(admin_token, "GET", "/admin/v1/tenants");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = parse(r);
    ASSERT_EQ(body["tenants"].size(), 2u);
    EXPECT_EQ(body["tenants"][0]["id"], "acme");
    EXPECT_EQ(body["tenants"][0]["seats"]["limit"], nullptr);
    EXPECT_EQ(body["tenants"][0]["users"]["total"], 2);  // and the owner
    EXPECT_EQ(body["tenants"][1]["seats"]["limit"], 3);

    expect_admin_error(call(acme_token, "GET", "/admin/v1/tenants"), 401, "unauthorized");
    expect_admin_error(call({}, "GET", "/admin/v1/tenants/acme"), 401, "unauthorized");
    expect_admin_error(call(admin_token, "GET", "/admin/v1/tenants/nope"), 404, "unknown_tenant");
}

TEST_F(TenantAdminTest, ATenantAdminTokenActsOnItsTenantOnly) {
    const std::string owner = owner_id();
    const std::string theirs = create_user(acme_token, "theirs");
    const std::string mine = create_user(globex_token, "mine");
    ASSERT_EQ(call(acme_admin, "POST", "/admin/v1/tenants/acme/roles", R"({"name":"auditor"})").status, 201);

    // Every verb on another tenant is 404, the answer an unknown tenant gets.
    const std::string acme = "/admin/v1/tenants/acme";
    const std::vector<std::pair<std::string, std::string>> foreign = {
        {"GET", acme},
        {"GET", acme + "/users"},
        {"POST", acme + "/users"},
        {"GET", acme + "/users/" + theirs},
        {"DELETE", acme + "/users/" + theirs},
        {"POST", acme + "/users/" + theirs + "/disable"},
        {"PUT", acme + "/users/" + theirs + "/roles/auditor"},
        {"DELETE", acme + "/users/" + owner + "/roles/admin"},
        {"GET", acme + "/roles"},
        {"POST", acme + "/roles"},
        {"PATCH", acme + "/roles/auditor"},
        {"DELETE", acme + "/roles/auditor?force=true"},
        {"GET", acme + "/audit"},
    };
    for (const auto& [method, target] : foreign) {
        SCOPED_TRACE(method + " " + target);
        auto r = call(globex_admin, method, target,
                      method == "GET" || method == "DELETE" ? "" : R"({"name":"x"})");
        expect_admin_error(r, 404, "unknown_tenant");
        EXPECT_EQ(r.body.find("Acme"), std::string::npos);
    }
    // Nothing changed in acme.
    EXPECT_EQ(parse(call(admin_token, "GET", acme + "/users/" + theirs))["status"], "provisioned");
    EXPECT_EQ(parse(call(admin_token, "GET", acme + "/roles"))["roles"].size(), 5u);

    // Its own tenant is served, and the tenant list holds it alone.
    auto list = call(globex_admin, "GET", "/admin/v1/tenants");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(parse(list)["tenants"].size(), 1u);
    EXPECT_EQ(parse(list)["tenants"][0]["id"], "globex");
    EXPECT_EQ(call(globex_admin, "GET", "/admin/v1/tenants/globex/users/" + mine).status, 200);
    EXPECT_EQ(call(globex_admin, "GET", "/admin/v1/tenants/globex/users/" + theirs).status, 404);

    // Admin and SCIM tokens do not stand in for each other.
    expect_admin_error(call(globex_token, "GET", "/admin/v1/tenants/globex"), 401, "unauthorized");
    expect_scim_error(call(globex_admin, "GET", "/scim/v2/Users"), 401);
}

TEST_F(TenantAdminTest, TheActingAdminIsCheckedAndAudited) {
    const std::string owner = owner_id();
    const std::string person = create_user(acme_token, "person");
    const std::string other = create_user(globex_token, "elsewhere");
    const std::string target = "/admin/v1/tenants/acme/users/" + person + "/disable";

    // Not a user here, not active, not an admin: each refused before anything changes.
    for (const auto& acting : {std::string("no-such-user"), other, person}) {
        SCOPED_TRACE(acting);
        expect_admin_error(admin(acme_admin, "POST", target, nullptr, acting), 403, "acting_user_not_admin");
    }
    EXPECT_EQ(parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/users/" + person))["status"],
              "provisioned");

    auto r = admin(acme_admin, "POST", target, nullptr, owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["status"], "disabled");
    auto audit = parse(
        call(acme_admin, "GET", "/admin/v1/tenants/acme/audit?user=" + person + "&action=user.disable"));
    ASSERT_EQ(audit["events"].size(), 1u) << audit;
    EXPECT_EQ(audit["events"][0]["actingUser"], owner);
    EXPECT_EQ(audit["events"][0]["actor"],
              "admin:" + common::to_hex(common::sha256(acme_admin)).substr(0, 8));
    EXPECT_EQ(audit["events"][0]["summary"]["before"]["status"], "provisioned");
    EXPECT_EQ(audit["events"][0]["summary"]["after"]["status"], "disabled");
    // The acting admin finds the events made for them.
    auto by_actor = parse(call(acme_admin, "GET", "/admin/v1/tenants/acme/audit?actor=" + owner));
    ASSERT_EQ(by_actor["events"].size(), 1u) << by_actor;
}

TEST_F(TenantAdminTest, TheLastActiveAdminCannotBeRemovedByScimOrAdmin) {
    const std::string owner = owner_id();
    const std::string users = "/admin/v1/tenants/acme/users/";
    expect_admin_error(call(acme_admin, "DELETE", users + owner), 409, "last_admin");
    expect_admin_error(call(acme_admin, "POST", users + owner + "/disable"), 409, "last_admin");
    expect_admin_error(call(acme_admin, "POST", users + owner + "/disconnect"), 409, "last_admin");
    expect_admin_error(call(acme_admin, "DELETE", users + owner + "/roles/admin"), 409, "last_admin");
    expect_scim_error(call(acme_token, "DELETE", "/scim/v2/Users/" + owner), 409);
    expect_scim_error(call(acme_token, "PATCH", "/scim/v2/Users/" + owner,
                           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                           R"("Operations":[{"op":"replace","path":"active","value":false}]})"),
                      409);
    auto still = parse(call(acme_admin, "GET", users + owner));
    EXPECT_EQ(still["status"], "active");
    EXPECT_EQ(still["roles"], json::array({"admin"}));

    // A second active admin (registered, then given the role) lets the first go.
    const std::string second = create_user(acme_token, "second");
    ASSERT_EQ(call(acme_admin, "POST", users + second + "/register").status, 200);
    ASSERT_EQ(call(acme_admin, "PUT", users + second + "/roles/admin").status, 200);
    EXPECT_EQ(call(acme_token, "DELETE", "/scim/v2/Users/" + owner).status, 204);
    expect_admin_error(call(acme_admin, "DELETE", users + second + "/roles/admin"), 409, "last_admin");
}

TEST_F(TenantAdminTest, RegistrationTurnsAProvisionedUserActive) {
    const std::string id = create_user(acme_token, "newcomer");
    const std::string users = "/admin/v1/tenants/acme/users/";
    EXPECT_EQ(parse(call(acme_admin, "GET", users + id))["status"], "provisioned");
    auto r = call(acme_admin, "POST", users + id + "/register");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r)["status"], "active");
    EXPECT_TRUE(parse(r)["registered"].is_string());
    // Signing in again is a later registration, not an error.
    auto again = call(acme_admin, "POST", users + id + "/register");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(parse(again)["status"], "active");
    expect_admin_error(call(acme_admin, "POST", users + id + "/reconnect"), 409, "conflict");

    // The product may name the person by e-mail or IdP subject instead.
    const std::string by_mail = create_user(acme_token, "by-mail");
    const std::string by_subject = create_user(acme_token, "by-subject", "idp-sub-9");
    const std::string registrations = "/admin/v1/tenants/acme/registrations";
    auto mailed = admin(acme_admin, "POST", registrations, {{"email", "BY-MAIL@example.com"}});
    ASSERT_EQ(mailed.status, 200) << mailed.body;
    EXPECT_EQ(parse(mailed)["id"], by_mail);
    EXPECT_EQ(parse(mailed)["status"], "active");
    auto subjected = admin(acme_admin, "POST", registrations, {{"subject", "idp-sub-9"}});
    ASSERT_EQ(subjected.status, 200) << subjected.body;
    EXPECT_EQ(parse(subjected)["id"], by_subject);
    expect_admin_error(admin(acme_admin, "POST", registrations, {{"subject", "idp-sub"}}), 404, "not_found");
    expect_admin_error(admin(acme_admin, "POST", registrations, {{"email", "x@y.z"}, {"subject", "s"}}), 400,
                       "invalid_value");
    expect_admin_error(admin(acme_admin, "POST", registrations, {{"login", "x"}}), 400, "unknown_member");
    // The owner, the newcomer, and the two registered by e-mail and by subject.
    EXPECT_EQ(parse(call(acme_admin, "GET", "/admin/v1/tenants/acme"))["users"]["active"], 4);
}

TEST_F(TenantAdminTest, RolesAreACatalogueThatAssignmentsMustUse) {
    const std::string base = "/admin/v1/tenants/acme";
    const std::string id = create_user(acme_token, "carol");
    expect_admin_error(call(acme_admin, "PUT", base + "/users/" + id + "/roles/auditor"), 400,
                       "unknown_role");
    auto made =
        admin(acme_admin, "POST", base + "/roles", {{"name", "auditor"}, {"description", "Reads logs"}});
    ASSERT_EQ(made.status, 201) << made.body;
    expect_admin_error(admin(acme_admin, "POST", base + "/roles", {{"name", "auditor"}}), 409, "role_exists");
    expect_admin_error(admin(acme_admin, "POST", base + "/roles", {{"name", "Bad Name"}}), 400,
                       "invalid_role_name");
    expect_admin_error(admin(acme_admin, "POST", base + "/roles", {{"name", "x"}, {"colour", "red"}}), 400,
                       "unknown_member");
    auto given = call(acme_admin, "PUT", base + "/users/" + id + "/roles/auditor");
    ASSERT_EQ(given.status, 200) << given.body;
    EXPECT_EQ(parse(given)["roles"], json::array({"auditor"}));

    auto roles = parse(call(acme_admin, "GET", base + "/roles"))["roles"];
    ASSERT_EQ(roles.size(), 5u);
    EXPECT_EQ(
        roles[0],
        json({{"name", "admin"}, {"description", roles[0]["description"]}, {"builtin", true}, {"users", 1}}));
    EXPECT_EQ(roles[4],
              json({{"name", "auditor"}, {"description", "Reads logs"}, {"builtin", false}, {"users", 1}}));
    auto listed = parse(call(acme_admin, "GET", base + "/users?role=auditor"))["users"];
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["userName"], "carol");

    expect_admin_error(call(acme_admin, "DELETE", base + "/roles/auditor"), 409, "role_in_use");
    expect_admin_error(call(acme_admin, "DELETE", base + "/roles/admin?force=true"), 409, "builtin_role");
    auto gone = call(acme_admin, "DELETE", base + "/roles/auditor?force=true");
    ASSERT_EQ(gone.status, 200) << gone.body;
    EXPECT_EQ(parse(gone)["removedFrom"]["users"], 1);
    EXPECT_EQ(parse(call(acme_admin, "GET", base + "/users/" + id))["roles"], json::array());
    auto audit = parse(call(acme_admin, "GET", base + "/audit?action=role."))["events"];
    ASSERT_EQ(audit.size(), 2u) << audit;
    EXPECT_EQ(audit[0]["action"], "role.delete");
    EXPECT_EQ(audit[0]["summary"]["removedFrom"], 1);
}

TEST_F(TenantAdminTest, UsersAreCreatedListedAndSearched) {
    const std::string base = "/admin/v1/tenants/acme/users";
    auto made = admin(acme_admin, "POST", base,
                      {{"userName", "jdoe"},
                       {"givenName", "Jane"},
                       {"familyName", "Doe"},
                       {"email", "Jane.Doe@Acme.example"}});
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(parse(made)["status"], "provisioned");
    EXPECT_EQ(parse(made)["source"], "admin");
    EXPECT_NE(made.header("Location").find(parse(made)["id"].get<std::string>()), std::string::npos);
    expect_admin_error(admin(acme_admin, "POST", base, {{"userName", "JDOE"}}), 409, "uniqueness");
    expect_admin_error(admin(acme_admin, "POST", base, {{"displayName", "nobody"}}), 400, "invalid_value");
    expect_admin_error(call(acme_admin, "POST", base, "[1]"), 400, "invalid_json");
    create_user(acme_token, "idp-user", "subject-77");

    auto names = [&](const std::string& query) {
        auto r = call(acme_admin, "GET", base + query);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = parse(r);
        std::vector<std::string> out;
        for (const auto& u : body["users"]) out.push_back(u["userName"]);
        return out;
    };
    EXPECT_EQ(names("?search=jane.d"), std::vector<std::string>{"jdoe"});  // e-mail prefix
    EXPECT_EQ(names("?search=DOE"), std::vector<std::string>{"jdoe"});     // family name
    EXPECT_EQ(names("?search=acme.exam&match=substring"), (std::vector<std::string>{owner_email, "jdoe"}));
    EXPECT_EQ(names("?subject=subject-77"), std::vector<std::string>{"idp-user"});
    EXPECT_EQ(names("?subject=subject-7"), std::vector<std::string>{});
    EXPECT_EQ(names("?status=provisioned"), (std::vector<std::string>{"jdoe", "idp-user"}));
    expect_admin_error(call(acme_admin, "GET", base + "?status=happy"), 400, "invalid_status");
    expect_admin_error(call(acme_admin, "GET", base + "?cursor=nope"), 400, "invalid_cursor");
    expect_admin_error(call(acme_admin, "GET", base + "?limit=0"), 400, "invalid_limit");

    // Paging: two per page, every user once.
    std::vector<std::string> all;
    std::string next = "?limit=2";
    for (int pages = 0; pages < 5; ++pages) {
        auto page = parse(call(acme_admin, "GET", base + next));
        for (const auto& u : page["users"]) all.push_back(u["userName"]);
        if (page["next"].is_null()) break;
        next = "?limit=2&cursor=" + page["next"].get<std::string>();
    }
    EXPECT_EQ(all, (std::vector<std::string>{owner_email, "jdoe", "idp-user"}));
}

TEST_F(TenantAdminTest, ScimShowsFiltersAndSortsTheDirectoryStatusAndRolesReadOnly) {
    const std::string ext = "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User";
    std::vector<std::string> ids;
    for (const char* name : {"a", "b", "c", "d", "e"}) ids.push_back(create_user(globex_token, name));
    auto list = [&](const std::string& query) {
        auto r = call(globex_token, "GET", "/scim/v2/Users?" + query);
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r);
    };
    auto waiting = list("filter=" + testing::percent_encode(R"(status eq "requested")"));
    ASSERT_EQ(waiting["totalResults"], 2) << waiting;
    EXPECT_EQ(waiting["Resources"][0][ext]["status"], "requested");
    EXPECT_EQ(waiting["Resources"][0]["active"], true);  // active keeps the IdP's meaning
    auto seated = list("filter=" + testing::percent_encode(ext + ":status eq \"provisioned\""));
    EXPECT_EQ(seated["totalResults"], 3) << seated;
    auto sorted = list("sortBy=" + testing::percent_encode(ext + ":status") + "&sortOrder=descending");
    EXPECT_EQ(sorted["Resources"][0][ext]["status"], "requested") << sorted;
    EXPECT_EQ(sorted["Resources"][4][ext]["status"], "provisioned") << sorted;

    // Sent back in a PUT, the extension changes nothing: it is read-only.
    auto u = parse(call(globex_token, "GET", "/scim/v2/Users/" + ids[4]));
    u[ext]["status"] = "active";
    u[ext]["roles"] = json::array({"admin"});
    auto put = call(globex_token, "PUT", "/scim/v2/Users/" + ids[4], u.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(parse(put)[ext], json({{"status", "requested"}}));

    // The directory's roles apart from the IdP's: acme's owner is an admin there.
    auto admins = call(acme_token, "GET",
                       "/scim/v2/Users?filter=" + testing::percent_encode(ext + ":roles eq \"admin\""));
    ASSERT_EQ(admins.status, 200) << admins.body;
    ASSERT_EQ(parse(admins)["totalResults"], 1) << admins.body;
    EXPECT_EQ(parse(admins)["Resources"][0]["userName"], owner_email);
    auto schema = call(acme_token, "GET", "/scim/v2/Schemas/" + ext);
    ASSERT_EQ(schema.status, 200) << schema.body;
    EXPECT_EQ(parse(schema)["attributes"][0]["mutability"], "readOnly");
}

class TenantAdminCtlTest : public TenantAdminTest {
  protected:
    void SetUp() override {
        TenantAdminTest::SetUp();
        for (const char* token : {acme_admin, globex_admin}) {
            std::ofstream(dir_.file(std::string(token) + ".token")) << token << "\n";
        }
    }
    /// dirsyncctl `args` as the admin of `token`; its exit status and output (stderr included).
    std::pair<int, std::string> ctl(const std::string& args, const char* token = acme_admin) {
        return run_command(std::string(DIRSYNCCTL_PATH) + " " + args +
                           " --url http://127.0.0.1:" + std::to_string(port()) + " --token-file " +
                           dir_.file(std::string(token) + ".token") + " 2>&1");
    }
};

TEST_F(TenantAdminCtlTest, DirsyncctlAdministersUsersRolesAndTheAudit) {
    auto [status, out] = ctl("tenants");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("acme"), std::string::npos) << out;
    EXPECT_EQ(out.find("globex"), std::string::npos) << out;  // a tenant admin sees its tenant only

    std::tie(status, out) =
        ctl("users create jdoe -t acme --email jane@acme.example --given-name Jane -o json");
    ASSERT_EQ(status, 0) << out;
    const std::string id = json::parse(out)["id"];
    std::tie(status, out) = ctl("users assign -t acme " + id + " auditor");
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("400 unknown_role"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;  // one line
    std::tie(status, out) = ctl("roles create auditor -t acme --description 'Reads the audit'");
    ASSERT_EQ(status, 0) << out;
    std::tie(status, out) = ctl("users assign -t acme " + id + " auditor --acting-user " + owner_id());
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("auditor"), std::string::npos) << out;

    std::tie(status, out) = ctl("users list -t acme --role auditor -o json");
    ASSERT_EQ(status, 0) << out;
    EXPECT_EQ(json::parse(out)["users"].size(), 1u) << out;
    std::tie(status, out) = ctl("users list -t acme --search JANE");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("jdoe"), std::string::npos) << out;
    EXPECT_NE(out.find("USERNAME"), std::string::npos) << out;  // a table by default

    std::tie(status, out) = ctl("roles -t acme");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("service_account"), std::string::npos) << out;
    std::tie(status, out) = ctl("roles delete auditor -t acme");
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("role_in_use"), std::string::npos) << out;
    std::tie(status, out) = ctl("roles delete auditor -t acme --force");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("1 users and 0 open invitations lost it"), std::string::npos) << out;

    std::tie(status, out) = ctl("audit -t acme --action user. -o json");
    ASSERT_EQ(status, 0) << out;
    auto events = json::parse(out)["events"];
    ASSERT_GE(events.size(), 3u) << out;
    EXPECT_EQ(events[0]["action"], "user.update");  // the forced removal, newest first
    bool acted_for = false;
    for (const auto& e : events) acted_for |= e["actingUser"].is_string();
    EXPECT_TRUE(acted_for) << out;

    // The last admin stays; another tenant's admin finds nothing here; usage errors exit 2.
    std::tie(status, out) = ctl("users disable -t acme " + owner_id());
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("409 last_admin"), std::string::npos) << out;
    std::tie(status, out) = ctl("users show -t acme " + id, globex_admin);
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("404 unknown_tenant"), std::string::npos) << out;
    EXPECT_EQ(ctl("users list").first, 2);
    EXPECT_EQ(ctl("users frob -t acme").first, 2);
    EXPECT_EQ(ctl("users list -t acme --colour red").first, 2);
    EXPECT_EQ(ctl("users --help").first, 0);
}

}  // namespace
}  // namespace dirsync::testing
