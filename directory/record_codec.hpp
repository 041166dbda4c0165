#pragma once

#include <boost/system/result.hpp>

#include "directory/error.hpp"
#include "directory/user.hpp"
#include "resource/schema.hpp"
#include "store/user_row.hpp"

namespace dirsync::directory {

/// Puts `u.resource` in canonical form under `schema` (the served User schemas; see make_canonical), which
/// also drops `id` and `meta` (the record holds them itself), and derives the projections of `u` (userName,
/// externalId, names, emails, active) from it. Fails with invalid_value when the schema refuses the resource
/// or it lacks a usable userName (`u.resource` is then unspecified).
boost::system::result<void, error> derive_projections(user& u, const resource::resource_schema& schema);

/// Storage shape of a record, and back. `from_row` trusts the stored JSON (written by `to_row`).
store::user_row to_row(const user& u);
user from_row(store::user_row&& row);

}  // namespace dirsync::directory
