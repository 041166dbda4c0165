#pragma once

#include <vector>

#include "config/settings.hpp"
#include "http/bearer_authenticator.hpp"

namespace dirsync::daemon {

/// Every token of the configuration `s` (validated, so no digest appears twice): each tenant's
/// `scim_tokens` as SCIM clients of that tenant, its `admin_tokens` as that tenant's admins, the top-level
/// `admin_tokens` as operator admins. For http::bearer_authenticator, at start-up and on reload.
std::vector<http::bearer_authenticator::credential> credentials_for(const config::settings& s);

}  // namespace dirsync::daemon
