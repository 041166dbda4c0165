#pragma once

#include <string>
#include <string_view>

namespace dirsync::directory {

/// Who makes a change, as recorded in the audit log. Never contains a secret: a SCIM token is named by a
/// short prefix of its SHA-256 digest.
struct actor {
    std::string kind;  ///< "scim-token", "source", "admin", "cli", "system", "registration"
    std::string name;  ///< e.g. digest prefix "3f2a9c1e", source name "corp-ldap"
    /// The user id of the person an admin token acted for (checked to be an active admin of the tenant
    /// before the change); empty when the request named none. Recorded beside the actor in the audit log.
    std::string acting_user{};

    std::string to_string() const { return kind + ":" + name; }
};

/// Actor kinds the directory gives its own rules to (status_transitions.hpp).
inline constexpr std::string_view scim_actor = "scim-token";
inline constexpr std::string_view source_actor = "source";
inline constexpr std::string_view system_actor = "system";
/// The person registering (accepting an invitation) through the product.
inline constexpr std::string_view registration_actor = "registration";

}  // namespace dirsync::directory
