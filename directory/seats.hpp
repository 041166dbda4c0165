#pragma once

// Internal to dirsync_directory: the seat rules every write path applies.

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "directory/actor.hpp"
#include "directory/user.hpp"
#include "directory/user_status.hpp"

namespace dirsync::store {
class connection;
}

namespace dirsync::directory::seats {

/// The status a record that wants `wanted` really gets: `requested` when `wanted` holds a seat
/// (consumes_seat), the record does not hold one already (`already_seated`), and the tenant's seats are all
/// in use. Reads the tenant's running count, never counts users.
user_status admit(store::connection& db, std::string_view tenant, user_status wanted, bool already_seated);

/// Keeps the tenant's count of seats in use in step with a record moving from `before` to `after` (nullopt:
/// the record is being created, or deleted). Returns true when the move freed a seat.
bool account(store::connection& db, std::string_view tenant, std::optional<user_status> before,
             std::optional<user_status> after);

/// While the tenant has a free seat and a `requested` user, gives the seat to the one that has waited longest
/// (it becomes `active` if the person has registered, `provisioned` otherwise), in the caller's transaction,
/// each recorded in the audit log as `user.seat_granted` by `who`. Returns how many users got a seat.
/// `granted` (when given) is called with each user that got a seat, after its write.
std::size_t grant_free(store::connection& db, const actor& who, std::string_view tenant,
                       const std::function<void(const user&)>& granted = {});

}  // namespace dirsync::directory::seats
