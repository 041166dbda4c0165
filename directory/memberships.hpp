#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "common/clock.hpp"
#include "directory/actor.hpp"
#include "directory/user.hpp"

namespace dirsync::store {
class connection;
}

namespace dirsync::directory {

/// Fills `groups` of each user (one query for the whole span): direct memberships first, then those through
/// nested groups, each in group list order.
void load_user_groups(store::connection& db, std::string_view tenant, std::span<user> users);

/// Removes `member_id` (a user or group being deleted) from every group of the tenant, inside the caller's
/// write transaction: each such group gets a new version and `when` as lastModified, and a `group.members`
/// audit event. Returns how many groups lost the member.
std::int64_t drop_memberships(store::connection& db, const actor& who, std::string_view tenant,
                              std::string_view member_id, common::timestamp when);

/// The audit summary of a membership change: counts and the first few ids of each side.
nlohmann::json membership_summary(std::span<const std::string> added, std::span<const std::string> removed);

}  // namespace dirsync::directory
