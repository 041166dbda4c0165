#pragma once

#include <boost/system/result.hpp>

#include "directory/error.hpp"
#include "directory/group.hpp"
#include "resource/schema.hpp"
#include "store/group_row.hpp"

namespace dirsync::directory {

/// Puts `g.resource` in canonical form under `schema` (the served Group schemas; see make_canonical), which
/// also drops `id` and `meta`, and derives the projections (displayName, externalId). Fails with
/// invalid_value when the schema refuses the resource, when displayName is missing, empty, not a string or
/// longer than 1024 bytes, when externalId is not a string, or when the resource holds `members` (members are
/// written as member_ref lists).
boost::system::result<void, error> derive_group_projections(group& g,
                                                            const resource::resource_schema& schema);

/// Storage shape of a group (without members), and back. `from_row` trusts the stored JSON.
store::group_row to_row(const group& g);
group from_row(store::group_row&& row);

/// Storage shape of a member, and back.
store::member_row to_member_row(const group_member& m);
group_member from_member_row(store::member_row&& row);

}  // namespace dirsync::directory
