#include "directory/status_transitions.hpp"

#include <algorithm>
#include <array>

namespace dirsync::directory {

namespace {

using enum user_status;
using w = status_writer;

// Keep docs/user-statuses.md in step with this table.
constexpr std::array moves{
    // An IdP's push follows SCIM `active`: false disables, true enables again (active when the person has
    // registered before, provisioned otherwise). It never brings back a disconnected user nor touches an
    // invitation.
    status_move{w::idp, active, disabled},
    status_move{w::idp, provisioned, disabled},
    status_move{w::idp, orphan, disabled},
    status_move{w::idp, requested, disabled},
    status_move{w::idp, disabled, provisioned},
    status_move{w::idp, disabled, active},
    // A sync run orphans what its source no longer has, disables by `disabled_when` or the orphan policy,
    // and brings back what returns.
    status_move{w::sync, active, orphan},
    status_move{w::sync, provisioned, orphan},
    status_move{w::sync, active, disabled},
    status_move{w::sync, provisioned, disabled},
    status_move{w::sync, orphan, disabled},
    status_move{w::sync, requested, disabled},
    status_move{w::sync, orphan, provisioned},
    status_move{w::sync, orphan, active},
    status_move{w::sync, disabled, provisioned},
    status_move{w::sync, disabled, active},
    // An administrator enables, disables, disconnects and reconnects.
    status_move{w::admin, active, disabled},
    status_move{w::admin, provisioned, disabled},
    status_move{w::admin, orphan, disabled},
    status_move{w::admin, requested, disabled},
    status_move{w::admin, disabled, provisioned},
    status_move{w::admin, disabled, active},
    status_move{w::admin, active, disconnected},
    status_move{w::admin, provisioned, disconnected},
    status_move{w::admin, orphan, disconnected},
    status_move{w::admin, requested, disconnected},
    status_move{w::admin, disabled, disconnected},
    status_move{w::admin, pending_invite, disconnected},
    status_move{w::admin, disconnected, provisioned},
    status_move{w::admin, disconnected, active},
    // The person signs in for the first time (or accepts an invitation).
    status_move{w::registration, provisioned, active},
    status_move{w::registration, pending_invite, active},
    // Seats: a move into a seat-holding status over the limit lands in requested; a freed seat goes to the
    // longest-waiting requested user.
    status_move{w::seats, disabled, requested},
    status_move{w::seats, disconnected, requested},
    status_move{w::seats, pending_invite, requested},
    status_move{w::seats, requested, provisioned},
    status_move{w::seats, requested, active},
};

}  // namespace

status_writer writer_of(const actor& who) noexcept {
    if (who.kind == scim_actor) return status_writer::idp;
    if (who.kind == source_actor) return status_writer::sync;
    if (who.kind == system_actor) return status_writer::seats;
    if (who.kind == registration_actor) return status_writer::registration;
    return status_writer::admin;
}

std::span<const status_move> status_moves() noexcept { return moves; }

bool may_move(status_writer writer, user_status from, user_status to) noexcept {
    if (from == to) return true;
    return std::any_of(moves.begin(), moves.end(), [&](const status_move& m) {
        return m.writer == writer && m.from == from && m.to == to;
    });
}

}  // namespace dirsync::directory
