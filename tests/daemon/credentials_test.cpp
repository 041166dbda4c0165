#include "daemon/credentials.hpp"

#include <gtest/gtest.h>

namespace dirsync::daemon {
namespace {

TEST(Credentials, EveryTenantsScimAndAdminTokensAndTheOperatorTokens) {
    config::settings s;
    s.tenants.resize(2);
    s.tenants[0].id = "acme";
    s.tenants[0].scim_tokens = {common::sha256("t1"), common::sha256("t2")};
    s.tenants[1].id = "globex";
    s.tenants[1].scim_tokens = {common::sha256("t3")};
    s.tenants[1].admin_tokens = {common::sha256("globex-admin")};
    s.admin_tokens = {common::sha256("root")};
    const http::bearer_authenticator auth(credentials_for(s));
    EXPECT_EQ(auth.count(http::principal::role::scim_client), 3u);
    EXPECT_EQ(auth.authenticate("Bearer t2").tenant, "acme");
    EXPECT_EQ(auth.authenticate("Bearer t3").tenant, "globex");
    EXPECT_TRUE(auth.authenticate("Bearer root").is(http::principal::role::operator_admin));
    EXPECT_TRUE(auth.authenticate("Bearer t4").is(http::principal::role::anonymous));
    const auto tenant_admin = auth.authenticate("Bearer globex-admin");
    EXPECT_TRUE(tenant_admin.is(http::principal::role::tenant_admin));
    EXPECT_EQ(tenant_admin.tenant, "globex");
    EXPECT_EQ(tenant_admin.token_id.size(), 8u);
}

TEST(Credentials, AReplacedSetRevokesTheRemovedTokensAtOnce) {
    config::settings s;
    s.tenants.resize(1);
    s.tenants[0].id = "acme";
    s.tenants[0].scim_tokens = {common::sha256("old")};
    http::bearer_authenticator auth(credentials_for(s));
    EXPECT_EQ(auth.authenticate("Bearer old").tenant, "acme");
    s.tenants[0].scim_tokens = {common::sha256("new")};
    auth.replace(credentials_for(s));
    EXPECT_TRUE(auth.authenticate("Bearer old").is(http::principal::role::anonymous));
    EXPECT_EQ(auth.authenticate("Bearer new").tenant, "acme");
    // A set with a token listed twice is refused whole: the current one stays.
    s.tenants[0].admin_tokens = {common::sha256("new")};
    EXPECT_THROW(auth.replace(credentials_for(s)), std::invalid_argument);
    EXPECT_EQ(auth.authenticate("Bearer new").tenant, "acme");
}

}  // namespace
}  // namespace dirsync::daemon
