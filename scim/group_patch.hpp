#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "directory/group.hpp"
#include "scim/error.hpp"
#include "scim/patch.hpp"

namespace dirsync::scim {

/// A Group PATCH request split in two: membership operations, which become directory member steps applied as
/// targeted row writes (a group of 100,000 members is neither read nor rewritten to add one), and operations
/// on the other attributes, which go through apply_patch on the group without members. Both parts commit
/// together or not at all (directory::modify_group).
struct group_patch_plan {
    /// A PatchOp request holding the operations on other attributes; nullopt when there are none.
    std::optional<nlohmann::json> resource_patch;
    /// For each operation of `resource_patch`, its index in the original request (for error details).
    std::vector<std::size_t> resource_operations;
    /// The membership operations, in request order.
    std::vector<directory::member_step> member_steps;
};

/// Checks the request as apply_patch does (PatchOp URN, non-empty Operations, at most
/// `limits.max_operations`, op add/replace/remove in any case, path and value shapes) and splits it. The
/// semantics of membership operations match apply_patch's on a `members` array:
///  - `add members` adds (re-adding a member changes nothing, or its display); `replace members` replaces the
///    set (an empty value clears it); `remove members` without a value (or null) removes all; with a value
///    list (Entra: `{"op":"Remove","path":"members","value":[{"value":"id1"}]}`) removes only those.
///  - `remove members[value eq "id"]` (also `or`-ed ids) removes those; another filter removes the members it
///    matches (this reads the member list). `add`/`replace` with a filter need `value eq "id"` and add that
///    member (replace resets its display); a different "value" in the body is 400 mutability.
///  - a path-less add/replace value (object, or array of objects) may hold `members` (any case, or
///    URN-qualified) next to other attributes (Okta's rename `{"id", "displayName"}`): the members part is a
///    membership operation, the rest goes to apply_patch.
///  - members' sub-attributes cannot be targeted (value, type and $ref are immutable, display is readOnly):
///    400 mutability.
/// Member values are read by parse_member_refs. Paths are resolved against `schema` (the Group resource
/// type's schemas). Errors name the operation ("Operations[i]: ...").
boost::system::result<group_patch_plan, error> plan_group_patch(
    const nlohmann::json& patch_request, const patch_limits& limits = {},
    const resource::resource_schema& schema = resource::group_resource_schema());

/// Applies the plan's resource part to `rendered` (render_group of the group without members) and returns
/// the canonical resource to store (without members); the rendered resource unchanged, canonicalized, when
/// there is no resource part. `schema` is the one the plan was made with. Error details name operations by
/// their index in the original request.
boost::system::result<nlohmann::json, error> apply_group_resource_patch(
    const group_patch_plan& plan, const nlohmann::json& rendered, const patch_limits& limits = {},
    const resource::resource_schema& schema = resource::group_resource_schema());

}  // namespace dirsync::scim
