#include "http/bearer_authenticator.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace dirsync::http {
namespace {

bearer_authenticator two_tenants() {
    return bearer_authenticator({{principal::scim_client("acme"), common::sha256("acme-token-1")},
                                 {principal::scim_client("globex"), common::sha256("globex-token")},
                                 {principal::scim_client("acme"), common::sha256("acme-token-2")},
                                 {principal::operator_admin(), common::sha256("admin-token")}});
}

/// The tenant `value` authenticates as a SCIM client of, or "<kind N>".
std::string tenant_of(const bearer_authenticator& auth, std::string_view value) {
    const principal who = auth.authenticate(value);
    if (!who.is(principal::role::scim_client))
        return "<kind " + std::to_string(static_cast<int>(who.kind)) + ">";
    return who.tenant;
}

TEST(BearerAuthenticator, RightTokenGivesItsTenant) {
    const auto auth = two_tenants();
    EXPECT_EQ(tenant_of(auth, "Bearer acme-token-1"), "acme");
    EXPECT_EQ(tenant_of(auth, "Bearer acme-token-2"), "acme");
    EXPECT_EQ(tenant_of(auth, "Bearer globex-token"), "globex");
}

TEST(BearerAuthenticator, SchemeIsCaseInsensitive) {
    const auto auth = two_tenants();
    EXPECT_EQ(tenant_of(auth, "bearer globex-token"), "globex");
    EXPECT_EQ(tenant_of(auth, "BEARER globex-token"), "globex");
    EXPECT_EQ(tenant_of(auth, "Bearer   globex-token"), "globex");  // 1*SP
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
    for (const char* value : rejected) {
        const principal who = auth.authenticate(value);
        EXPECT_TRUE(who.is(principal::role::anonymous)) << '"' << value << '"';
        EXPECT_EQ(who.token_id, "") << '"' << value << '"';
    }
    EXPECT_TRUE(auth.authenticate(std::nullopt).is(principal::role::anonymous));
}

TEST(BearerAuthenticator, NoTenantsRejectsAll) {
    const bearer_authenticator auth({});
    EXPECT_TRUE(auth.authenticate("Bearer anything").is(principal::role::anonymous));
}

TEST(BearerAuthenticator, DuplicateDigestIsAConfigurationError) {
    EXPECT_THROW(bearer_authenticator({{principal::scim_client("a"), common::sha256("same")},
                                       {principal::operator_admin(), common::sha256("same")}}),
                 std::invalid_argument);
}

TEST(BearerAuthenticator, AdminTokensAreOperatorsAndEveryPrincipalCarriesItsTokenId) {
    const auto auth = two_tenants();
    const principal admin = auth.authenticate("Bearer admin-token");
    EXPECT_TRUE(admin.is(principal::role::operator_admin));
    EXPECT_EQ(admin.tenant, "");
    EXPECT_EQ(admin.token_id, common::to_hex(common::sha256("admin-token")).substr(0, 8));
    EXPECT_EQ(auth.authenticate("Bearer acme-token-2").token_id,
              common::to_hex(common::sha256("acme-token-2")).substr(0, 8));
    EXPECT_EQ(auth.count(principal::role::scim_client), 3u);
    EXPECT_EQ(auth.count(principal::role::operator_admin), 1u);
}

}  // namespace
}  // namespace dirsync::http
