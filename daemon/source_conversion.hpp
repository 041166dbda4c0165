#pragma once

#include <boost/system/result.hpp>
#include <string>

#include "config/source_settings.hpp"
#include "ldap/connection_settings.hpp"
#include "sync/policy.hpp"

namespace dirsync::daemon {

/// The sync-side rules of a configured source.
sync::policy to_policy(const config::source_settings& source);

/// How to connect to a configured source, with its bind password read now (from its file, variable or
/// credential, so a rotated password is used by the next run). The error is a one-line reason that never
/// contains the secret.
boost::system::result<ldap::connection_settings, std::string> to_connection_settings(
    const config::source_settings& source);

}  // namespace dirsync::daemon
