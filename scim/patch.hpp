#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>

#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

struct patch_limits {
    std::size_t max_operations = 1000;  ///< more Operations in one request: 400 invalidValue
};

/// Applies a SCIM PATCH request (RFC 7644 §3.5.2) to `resource`, all operations or none.
///
/// `patch_request` is the whole request body: `schemas` must list
/// "urn:ietf:params:scim:api:messages:2.0:PatchOp" and `Operations` must be a non-empty array of
/// {op, path?, value?}. `resource` is the resource as the client sees it (with id and meta); the result is
/// the patched resource, which the caller canonicalizes and stores. Errors are SCIM errors: invalidSyntax
/// (malformed request), invalidPath (bad path), noTarget (remove without path, or a path that selects
/// nothing where a target is required), mutability (id, meta or another readOnly/immutable attribute),
/// invalidValue (value of the wrong shape). Error details start with "Operations[i]: ".
///
/// Decisions where RFC 7644 leaves room (the IdPs' habits in parentheses):
///  - `op`, member keys, attribute names and the PatchOp URN match case-insensitively ("Replace",
///    "operations"); names are written in the schema's spelling, a stored "UserName" is renamed on write.
///    Unknown attributes and extension URNs are kept as sent; the canonicalizer decides on them.
///  - A path-less add/replace applies each member of the value as if it were a path: dotted and URN-qualified
///    keys, whole extension objects (merged). There, readOnly attributes (meta, groups), `schemas` and an
///    unchanged `id` are ignored (Okta sends the id); a different id is 400 mutability. Targeted by a path,
///    id, meta, schemas and readOnly (sub-)attributes are 400 mutability; immutable ones may only be set
///    where unassigned.
///  - Single-valued: add = replace = set; complex values merge (sub-attributes not given stay), a bare
///    scalar is {"value": scalar} and a one-element array its element (Entra's manager). null, and for
///    complex attributes also "", [] and {} (replace), unassign. When the "value" of a reference (manager,
///    members) changes, its "$ref"/"display"/"displayName" not given are dropped.
///  - Multi-valued add appends; a value whose "value" (and "type", if both have one) equals a stored one's
///    is merged into it instead, so re-adding a member changes nothing. Replace replaces the set. Remove with
///    a value removes only the listed values, matched on "value" (Entra), else the whole attribute.
///  - A value filter that selects nothing makes add/replace create the value from the filter's `eq` terms
///    (Entra's `emails[type eq "work"].value`); other filters give 400 noTarget. Replace through a filter
///    merges into the selected values. Remove of what is not there succeeds unchanged.
///  - Writing `primary: true` on a value clears it on the others; on two values at once: 400 invalidValue.
///  - A new extension object gets its URN listed in `schemas`; removing one delists it.
boost::system::result<nlohmann::json, error> apply_patch(const nlohmann::json& resource,
                                                         const nlohmann::json& patch_request,
                                                         const resource::resource_schema& schema,
                                                         const patch_limits& limits = {});

}  // namespace dirsync::scim
