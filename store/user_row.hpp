#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dirsync::store {

/// A user record as persisted: the index projections and the resource JSON as text. The record model and its
/// rules live in directory/; this is only the storage shape.
struct user_row {
    std::int64_t seq = 0;  ///< assigned on insert; list order
    std::string tenant_id;
    std::string id;
    std::string user_name;
    std::string user_name_key;  ///< case-folded user_name
    std::optional<std::string> external_id;
    std::optional<std::string> display_name;
    std::optional<std::string> given_name;
    std::optional<std::string> family_name;
    bool active = true;
    std::string status;
    std::string roles_json = "[]";
    std::string source;
    std::optional<std::string> source_anchor;
    std::int64_t created_ms = 0;
    std::int64_t modified_ms = 0;
    std::int64_t version = 1;
    std::string resource_json;
    std::optional<std::int64_t> orphan_since_ms;  ///< when a sync source first found it gone; null otherwise
    std::int64_t status_since_ms = 0;             ///< when it entered `status`
    std::optional<std::int64_t> registered_ms;    ///< when the person last registered; null: never
    // Write side only: what the search indexes hold.
    std::vector<std::string> email_keys;          ///< case-folded e-mail values, for the e-mail index
    std::vector<std::string> role_names;          ///< the names in roles_json, for the role index
    std::optional<std::string> display_name_key;  ///< case-folded names, for prefix search
    std::optional<std::string> given_name_key;
    std::optional<std::string> family_name_key;
};

}  // namespace dirsync::store
