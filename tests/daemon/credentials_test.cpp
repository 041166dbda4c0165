#include "daemon/credentials.hpp"

#include <gtest/gtest.h>

namespace dirsync::daemon {
namespace {

TEST(Credentials, EveryTenantsScimTokensAndTheAdminTokens) {
    config::settings s;
    s.tenants.resize(2);
    s.tenants[0].id = "acme";
    s.tenants[0].scim_tokens = {common::sha256("t1"), common::sha256("t2")};
    s.tenants[1].id = "globex";
    s.tenants[1].scim_tokens = {common::sha256("t3")};
    s.admin_tokens = {common::sha256("root")};
    const auto auth = authenticator_for(s);
    EXPECT_EQ(auth.count(http::principal::role::scim_client), 3u);
    EXPECT_EQ(auth.authenticate("Bearer t2").tenant, "acme");
    EXPECT_EQ(auth.authenticate("Bearer t3").tenant, "globex");
    EXPECT_TRUE(auth.authenticate("Bearer root").is(http::principal::role::operator_admin));
    EXPECT_TRUE(auth.authenticate("Bearer t4").is(http::principal::role::anonymous));
}

}  // namespace
}  // namespace dirsync::daemon
