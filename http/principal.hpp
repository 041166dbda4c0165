#pragma once

#include <string>

namespace dirsync::http {

/// Who a request acts as: decided once per request, from its credentials, before it is routed
/// (bearer_authenticator), and handed to the handler the router picks.
struct principal {
    enum class role {
        anonymous,       ///< no credentials, or credentials that match no token
        scim_client,     ///< a tenant's SCIM token: the SCIM endpoints of `tenant`
        operator_admin,  ///< a top-level admin token: the admin API, every tenant
        tenant_admin,    ///< a tenant's admin token: the admin API, for `tenant` only
    };

    role kind = role::anonymous;
    std::string tenant;    ///< scim_client, tenant_admin: the tenant the token was issued for; else empty
    std::string token_id;  ///< the first 8 hex digits of the token's SHA-256 digest, for audit and logs:
                           ///< enough to tell rotated tokens apart, useless to an attacker

    static principal scim_client(std::string tenant) { return {role::scim_client, std::move(tenant), {}}; }
    static principal operator_admin() { return {role::operator_admin, {}, {}}; }
    static principal tenant_admin(std::string tenant) { return {role::tenant_admin, std::move(tenant), {}}; }

    bool is(role r) const noexcept { return kind == r; }
};

}  // namespace dirsync::http
