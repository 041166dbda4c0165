// Tenant administration against the real daemon: seats and statuses through the admin API, a freed seat going
// to the user that waited longest.
#include <string>
#include <vector>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* admin_token = "tenant-admin-test-operator-token";

class TenantAdminTest : public DaemonTest {
  protected:
    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(admin_token)) + "\"\n";
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
    EXPECT_EQ(body["tenants"][0]["users"]["total"], 1);
    EXPECT_EQ(body["tenants"][1]["seats"]["limit"], 3);

    expect_scim_error(call(acme_token, "GET", "/admin/v1/tenants"), 401);
    expect_scim_error(call({}, "GET", "/admin/v1/tenants/acme"), 401);
    expect_scim_error(call(admin_token, "GET", "/admin/v1/tenants/nope"), 404);
}

}  // namespace
}  // namespace dirsync::testing
