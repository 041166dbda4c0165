#pragma once

#include <boost/system/result.hpp>

#include "directory/error.hpp"
#include "directory/user.hpp"
#include "store/user_row.hpp"

namespace dirsync::directory {

/// Removes `id` and `meta` from `u.resource` (the record holds them itself) and derives the projections of
/// `u` (userName, externalId, names, emails, active) from `u.resource`. Fails with invalid_value when the
/// resource lacks a usable userName or has wrongly typed core attributes.
boost::system::result<void, error> derive_projections(user& u);

/// Storage shape of a record, and back. `from_row` trusts the stored JSON (written by `to_row`).
store::user_row to_row(const user& u);
user from_row(store::user_row&& row);

}  // namespace dirsync::directory
