#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"
#include "store/group_row.hpp"

namespace dirsync::store::group_member_table {

/// Rows of group_members: one per (group, member), keyed by the group's seq; indexed by (tenant, member id)
/// for "which groups is X in", and over nested groups alone. Every query takes the tenant id, and a group seq
/// comes from a tenant-scoped group_table lookup. Writes throw database_error. Member ids compare exactly.

/// What an id names in a tenant: a user (group_seq 0) or a group.
struct member_target {
    std::string type;  ///< "User" or "Group"
    std::int64_t group_seq = 0;
};

/// The user or group with this id in the tenant; nullopt when there is none (also for another tenant's ids).
std::optional<member_target> find_target(connection& db, std::string_view tenant, std::string_view id);

/// The members of a group, by member id.
std::vector<member_row> list(connection& db, std::string_view tenant, std::int64_t group_seq);
/// Whether a read renders each member's current name into `display` (a lookup of the member per row).
enum class member_display { current, omitted };

/// Calls `visit` for each member of a group, by member id, until it returns false. `omitted`: `display` is
/// nullopt, for readers that compare ids only (a sync run reading 100,000 memberships).
void scan(connection& db, std::string_view tenant, std::int64_t group_seq,
          const std::function<bool(member_row&&)>& visit, member_display display = member_display::current);
std::int64_t count(connection& db, std::string_view tenant, std::int64_t group_seq);

/// Adds a member (its `display` as given, normally none); false when it was there already.
bool add(connection& db, std::string_view tenant, std::int64_t group_seq, const member_row& row);
/// Removes one member; false when it was not there.
bool remove(connection& db, std::string_view tenant, std::int64_t group_seq, std::string_view member_id);
/// Removes every member whose id is not in `keep`; returns the removed ids.
std::vector<std::string> remove_all_except(connection& db, std::string_view tenant, std::int64_t group_seq,
                                           std::span<const std::string> keep);

/// Ids of the groups having `member_id` as a direct member, in list order.
std::vector<std::string> groups_containing(connection& db, std::string_view tenant,
                                           std::string_view member_id);
/// Removes `member_id` from every group of the tenant; returns how many memberships went.
std::int64_t remove_everywhere(connection& db, std::string_view tenant, std::string_view member_id);

/// True when the group `target_seq` is the group `from_seq` or is nested (at any depth) under it.
bool nests(connection& db, std::string_view tenant, std::int64_t from_seq, std::int64_t target_seq);

/// A group some member belongs to, directly or through nested groups.
struct membership {
    std::string member_id;
    std::string group_id;
    std::string group_display_name;
    bool direct = false;
};

/// The groups each of `member_ids` belongs to, directly and through nesting (cycles are harmless), ordered
/// by member id, then group list order. One query for the whole span.
std::vector<membership> memberships_of(connection& db, std::string_view tenant,
                                       std::span<const std::string> member_ids);

}  // namespace dirsync::store::group_member_table
