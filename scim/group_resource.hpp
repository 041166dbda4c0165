#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "directory/group.hpp"
#include "directory/user.hpp"
#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// A Group as a client sent it (POST/PUT body), split into what the directory stores apart.
struct canonical_group {
    nlohmann::json resource;                     ///< canonical resource without id, meta and members
    std::vector<directory::member_ref> members;  ///< the members, as parse_member_refs reads them
};

/// Canonicalizes a Group with canonicalize_resource() and `schema` (the Group resource type's schemas):
/// `schemas` must list the core Group URN; unknown schema URNs (Entra adds
/// "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group") and attributes are kept as
/// sent. `members` (any case, or URN-qualified "urn:ietf:params:scim:schemas:core:2.0:Group:members") is
/// taken out first and parsed by parse_member_refs. displayName is checked by the directory.
boost::system::result<canonical_group, error> canonicalize_group(
    const nlohmann::json& input, const resource::resource_schema& schema = resource::group_resource_schema());

/// Reads member values: an array (or a single value) of objects {value, type?, display?, $ref?} with
/// sub-attribute names in any case, or bare id strings. null values are skipped. A value without "value"
/// takes the last segment of its "$ref". `type` must be "User" or "Group" (any case); `$ref` is otherwise
/// ignored (the server derives it). Errors are 400 invalidValue naming `path`.
boost::system::result<std::vector<directory::member_ref>, error> parse_member_refs(
    const nlohmann::json& value, std::string_view path);

/// The SCIM representation of a group: its resource plus `id`, `schemas`, `meta` (resourceType "Group",
/// location `<groups_url>/<id>`, version) and, when the record carries them, `members` as
/// [{value, display (the member's current name, see directory::group_member), type, $ref}], `$ref` being
/// `<base>/Users/<id>` or
/// `<base>/Groups/<id>` where `<base>` is `groups_url` without its last segment.
nlohmann::json render_group(const directory::group& g, std::string_view groups_url);

/// The ETag of a group: W/"<version>".
std::string group_etag(const directory::group& g);

/// A user's computed `groups`: [{value, $ref `<base>/Groups/<id>`, display, type "direct"|"indirect"}], where
/// `<base>` is `users_url` without its last segment.
nlohmann::json render_user_groups(const std::vector<directory::user_group>& groups,
                                  std::string_view users_url);

}  // namespace dirsync::scim
