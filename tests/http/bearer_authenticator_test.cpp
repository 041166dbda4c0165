#include "http/bearer_authenticator.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace dirsync::http {
namespace {

bearer_authenticator two_tenants() {
    return bearer_authenticator({{"acme", common::sha256("acme-token-1")},
                                 {"globex", common::sha256("globex-token")},
                                 {"acme", common::sha256("acme-token-2")}});
}

TEST(BearerAuthenticator, RightTokenGivesItsTenant) {
    const auto auth = two_tenants();
    EXPECT_EQ(auth.principal_for("Bearer acme-token-1"), "acme");
    EXPECT_EQ(auth.principal_for("Bearer acme-token-2"), "acme");
    EXPECT_EQ(auth.principal_for("Bearer globex-token"), "globex");
}

TEST(BearerAuthenticator, SchemeIsCaseInsensitive) {
    const auto auth = two_tenants();
    EXPECT_EQ(auth.principal_for("bearer globex-token"), "globex");
    EXPECT_EQ(auth.principal_for("BEARER globex-token"), "globex");
    EXPECT_EQ(auth.principal_for("Bearer   globex-token"), "globex");  // 1*SP
}

TEST(BearerAuthenticator, RejectsEverythingElse) {
    const auto auth = two_tenants();
    const char* rejected[] = {
        "",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "globex-token",            // no scheme
        " Bearer globex-token",    // leading space: empty scheme
        "Basic Z2xvYmV4LXRva2Vu",  // other scheme
        "Basic globex-token",
        "Bearerglobex-token",
        "Bearer\tglobex-token",       // not SP
        "Bearer globex-token extra",  // two tokens
        "Bearer globex-token\t",
        "Bearer wrong-token",
        "Bearer Globex-token",  // tokens are case-sensitive
        "Bearer globex-token2",
        "Bearer globex-toke",
        "Token globex-token",
    };
    for (const char* value : rejected)
        EXPECT_EQ(auth.principal_for(value), std::nullopt) << '"' << value << '"';
}

TEST(BearerAuthenticator, NoTenantsRejectsAll) {
    const bearer_authenticator auth({});
    EXPECT_EQ(auth.principal_for("Bearer anything"), std::nullopt);
}

TEST(BearerAuthenticator, DuplicateDigestIsAConfigurationError) {
    EXPECT_THROW(bearer_authenticator({{"a", common::sha256("same")}, {"b", common::sha256("same")}}),
                 std::invalid_argument);
}

TEST(BearerAuthenticator, FromTenants) {
    std::vector<config::tenant_settings> tenants(2);
    tenants[0].id = "acme";
    tenants[0].scim_tokens = {common::sha256("t1"), common::sha256("t2")};
    tenants[1].id = "globex";
    tenants[1].scim_tokens = {common::sha256("t3")};
    const auto auth = bearer_authenticator::from_tenants(tenants);
    EXPECT_EQ(auth.size(), 3u);
    EXPECT_EQ(auth.principal_for("Bearer t2"), "acme");
    EXPECT_EQ(auth.principal_for("Bearer t3"), "globex");
}

}  // namespace
}  // namespace dirsync::http
