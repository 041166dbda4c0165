#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

#include "directory/user.hpp"
#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// Canonicalises a User as a client sent it (POST/PUT body, or a resource after PATCH) with
/// resource::canonicalize (resource/canonical.hpp), its problems as SCIM errors: 400 invalidSyntax for a body
/// that is not an object, 400 invalidValue naming the attribute otherwise. `password` is refused: the Users
/// endpoint takes it out of the request first (see user_password.hpp) and keeps only a hash.
boost::system::result<nlohmann::json, error> canonicalize_user(const nlohmann::json& input,
                                                               const resource::resource_schema& schema);

/// canonicalize_user for a resource of any type: `schemas` must list `schema.core().id` (used for
/// Groups, with group_resource_schema()).
boost::system::result<nlohmann::json, error> canonicalize_resource(const nlohmann::json& input,
                                                                   const resource::resource_schema& schema);

/// The SCIM representation of a record: its resource plus `id`, `schemas` and `meta` (resourceType, created,
/// lastModified, location `<users_url>/<id>`, version `W/"<n>"`), and `groups` when the record carries them
/// (see render_user_groups). Taken by value: a caller done with the record moves it in, and its resource
/// becomes the response's without a copy.
nlohmann::json render_user(directory::user u, std::string_view users_url);

/// The ETag of a record: W/"<version>".
std::string user_etag(const directory::user& u);

}  // namespace dirsync::scim
