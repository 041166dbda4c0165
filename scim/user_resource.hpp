#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

#include "directory/user.hpp"
#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// Turns a User as a client sent it (POST/PUT body, or a resource after PATCH) into the canonical form the
/// directory stores, so that no IdP's spelling leaks into the records:
/// - attribute and sub-attribute names get the schema's spelling (`UserName` -> `userName`, `Primary` ->
///   `primary`); extension objects are keyed by the schema's URN; a fully qualified attribute name used as a
///   key
///   (`urn:...:enterprise:2.0:User:employeeNumber`) moves into its extension object;
/// - `null` and empty values are removed (RFC 7643 §2.5: unassigned); readOnly attributes (id, meta, groups)
///   are ignored as RFC 7644 §3.3 asks;
/// - booleans sent as strings ("True", "false") become booleans; numbers sent for string attributes become
///   strings; a single value sent for a multi-valued attribute becomes a one-element array;
/// - types are checked (a wrong type is 400 invalidValue naming the attribute), dateTime values must parse,
///   at most one `primary: true` per multi-valued attribute;
/// - `password` is refused (400 invalidValue): it never goes into the stored resource; the Users endpoint
///   takes it out of the request first (see user_password.hpp) and keeps only a hash;
/// - an extension listed in `schemas` or present must have its required attributes (and a present complex
///   value its required sub-attributes): 400 invalidValue naming the first missing one;
/// - attributes and extension schemas it does not know are kept as sent (nothing an IdP sent is lost; a
///   strict tenant refuses them afterwards, see unknown_attributes.hpp).
/// `schemas` must list the core User URN; the result lists the core URN, the extension URNs present, and any
/// other URNs the client listed.
boost::system::result<nlohmann::json, error> canonicalize_user(const nlohmann::json& input,
                                                               const resource::resource_schema& schema);

/// canonicalize_user's rules for a resource of any type: `schemas` must list `schema.core().id` (used for
/// Groups, with group_resource_schema()).
boost::system::result<nlohmann::json, error> canonicalize_resource(const nlohmann::json& input,
                                                                   const resource::resource_schema& schema);

/// The SCIM representation of a record: its resource plus `id`, `schemas` and `meta` (resourceType, created,
/// lastModified, location `<users_url>/<id>`, version `W/"<n>"`), and `groups` when the record carries them
/// (see render_user_groups).
nlohmann::json render_user(const directory::user& u, std::string_view users_url);

/// The ETag of a record: W/"<version>".
std::string user_etag(const directory::user& u);

}  // namespace dirsync::scim
