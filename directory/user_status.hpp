#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace dirsync::directory {

/// Lifecycle of a tenant user record.
enum class user_status {
    active,          ///< registered and enabled
    disabled,        ///< turned off (SCIM active=false, source disabled state, admin)
    provisioned,     ///< created by an IdP push or a sync, not yet registered
    pending_invite,  ///< invited, invitation not yet accepted
    orphan,          ///< its source no longer has it; still enabled until the orphan policy acts
    requested,       ///< would exceed the tenant's seat limit; waits for a seat
    disconnected,    ///< no access to this tenant any more; the record and its history stay
};

/// Every status, in declaration order.
std::span<const user_status> all_user_statuses() noexcept;

std::string_view to_string(user_status s) noexcept;
std::optional<user_status> parse_user_status(std::string_view s) noexcept;

/// Whether a record in this status occupies one of the tenant's seats: `active`, `provisioned` and `orphan`
/// (still enabled until the orphan policy acts). An invitation holds none until it is accepted; `disabled`,
/// `requested` and `disconnected` hold none. See docs/user-statuses.md.
bool consumes_seat(user_status s) noexcept;

}  // namespace dirsync::directory
