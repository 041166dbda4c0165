#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "directory/user_status.hpp"

namespace dirsync::directory {

/// A group a user belongs to: computed from the groups' members, never written through the user.
struct user_group {
    std::string id;
    std::string display_name;
    bool direct = true;  ///< false: through a nested group only
};

/// A tenant user record.
///
/// `resource` is the authoritative content: the full SCIM User resource as last written (core attributes with
/// canonical names at the top level, extensions under their schema URN), without `id` and `meta`, so no
/// attribute an IdP sent is lost. The typed fields after it are projections the directory derives from
/// `resource` on every write (for indexes and rules); writers set `resource`, never the projections.
struct user {
    std::string tenant_id;
    std::string id;  ///< server-assigned UUID, immutable
    nlohmann::json resource = nlohmann::json::object();

    // Projections of `resource`.
    std::string user_name;  ///< unique per tenant, case-insensitively; original case kept
    std::optional<std::string> external_id;
    std::optional<std::string> display_name;
    std::optional<std::string> given_name;
    std::optional<std::string> family_name;
    std::vector<std::string> emails;  ///< emails[].value in order
    bool active = true;

    // Directory-owned state.
    user_status status = user_status::provisioned;
    std::vector<std::string> roles;
    std::string source;                        ///< "scim", "admin", or a sync source name
    std::optional<std::string> source_anchor;  ///< immutable id in the source (IdP id, entryUUID, ...)
    /// Since when its sync source no longer has it (set when a sync first finds the anchor gone, cleared when
    /// it returns); the orphan policy counts from it. Kept when the policy disables the record.
    std::optional<common::timestamp> orphan_since;
    common::timestamp status_since{};             ///< when it entered `status`
    std::optional<common::timestamp> registered;  ///< when the person last registered; nullopt: never
    common::timestamp created{};
    common::timestamp last_modified{};
    std::int64_t version = 0;  ///< incremented on every change; the SCIM ETag is W/"<version>"

    /// The groups the user is in (direct ones first, then through nesting; each in group list order). Filled
    /// by the directory's reads and by create_user/modify_user outside a batch; nullopt where not loaded.
    /// Computed: membership changes do not change the user's version.
    std::optional<std::vector<user_group>> groups;
};

}  // namespace dirsync::directory
