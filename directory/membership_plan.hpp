#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "directory/group.hpp"

namespace dirsync::directory {

/// The net effect of a sequence of member steps: what to write, never the whole list unless the steps
/// replace it.
struct membership_delta {
    bool replace = false;           ///< stored members not in `put` are removed
    std::vector<member_ref> put;    ///< present afterwards, in first-mention order
    std::vector<std::string> drop;  ///< absent afterwards (empty when `replace`), in first-mention order
};

/// Visits the stored members of the group (called by fold_member_steps only for remove_matching steps that
/// follow no remove_all).
using stored_members = std::function<void(const std::function<void(const group_member&)>&)>;

/// Folds `steps` in order into their net effect. Pure apart from `stored`. add of an id twice merges (a later
/// type or display wins); remove of an absent id is kept in `drop` (the store ignores it). remove_matching
/// sees the members as the earlier steps left them: a stored member with the display the store gives it (its
/// current name), one added by this change with the display its writer sent; a member whose type is not
/// given counts as a user there.
membership_delta fold_member_steps(std::span<const member_step> steps, const stored_members& stored);

}  // namespace dirsync::directory
