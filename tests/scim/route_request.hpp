#pragma once

#include <string_view>

#include "http/bearer_authenticator.hpp"
#include "http/router.hpp"
#include "scim/error.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// Answers `req` as the daemon does: through a router holding `svc`'s routes, authenticated by `auth`.
inline http::response route_request(const service& svc, const http::bearer_authenticator& auth,
                                    http::request& req) {
    http::router r(auth,
                   [](unsigned status, std::string_view detail) { return error_response(status, detail); });
    svc.add_routes(r);
    return r(req);
}

/// An authenticator holding one SCIM token per tenant, `<tenant>-token` unless given.
inline http::bearer_authenticator tenant_tokens(
    std::initializer_list<std::pair<std::string_view, std::string_view>> tenants_and_tokens) {
    std::vector<http::bearer_authenticator::credential> credentials;
    for (auto [tenant, token] : tenants_and_tokens)
        credentials.push_back({http::principal::scim_client(std::string(tenant)), common::sha256(token)});
    return http::bearer_authenticator(std::move(credentials));
}

}  // namespace dirsync::scim
