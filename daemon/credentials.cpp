#include "daemon/credentials.hpp"

#include <vector>

namespace dirsync::daemon {

std::vector<http::bearer_authenticator::credential> credentials_for(const config::settings& s) {
    std::vector<http::bearer_authenticator::credential> credentials;
    for (const auto& tenant : s.tenants) {
        for (const auto& digest : tenant.scim_tokens)
            credentials.push_back({http::principal::scim_client(tenant.id), digest});
        for (const auto& digest : tenant.admin_tokens)
            credentials.push_back({http::principal::tenant_admin(tenant.id), digest});
    }
    for (const auto& digest : s.admin_tokens)
        credentials.push_back({http::principal::operator_admin(), digest});
    return credentials;
}

}  // namespace dirsync::daemon
