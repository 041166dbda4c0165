#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dirsync::store {

/// A group record as persisted: its index projections and the resource JSON as text (without id, meta and
/// members; members are rows of group_members). The model and its rules live in directory/.
struct group_row {
    std::int64_t seq = 0;  ///< assigned on insert; list order; what member rows refer to
    std::string tenant_id;
    std::string id;
    std::string display_name;
    std::string display_name_key;  ///< case-folded display_name (indexed, not unique)
    std::optional<std::string> external_id;
    std::int64_t created_ms = 0;
    std::int64_t modified_ms = 0;
    std::int64_t version = 1;
    std::string resource_json;
    std::string source = "scim";               ///< "scim", "admin", or a sync source name
    std::optional<std::string> source_anchor;  ///< immutable id of the group in its source
};

/// One member row of a group.
struct member_row {
    std::string member_id;
    std::string member_type;  ///< "User" or "Group"
    std::optional<std::string> display;
};

}  // namespace dirsync::store
