#pragma once

#include <span>

#include "directory/actor.hpp"
#include "directory/user_status.hpp"

namespace dirsync::directory {

/// Who moves a user from one status to another. The directory decides the status from what each writer may
/// do (docs/user-statuses.md has the table in words).
enum class status_writer {
    idp,           ///< an identity provider's SCIM push: creates, and follows `active`
    sync,          ///< a sync run: creates, orphans, disables by rule or orphan policy, brings back
    admin,         ///< a tenant administrator or operator through the admin API
    registration,  ///< the product reporting that the person signed in for the first time
    seats,         ///< the seat rules: admission over the limit, a freed seat given to the longest waiting
};

/// The writer an actor's changes count as: a SCIM token is an IdP, a source a sync run, the system (the
/// configuration) the seat rules, a registration the person, anyone else (admin, cli) an administrator.
status_writer writer_of(const actor& who) noexcept;

/// One allowed move.
struct status_move {
    status_writer writer;
    user_status from;
    user_status to;
};

/// Every allowed move of an existing user between two different statuses; staying in a status is always
/// allowed and not listed. Creation is not a move: a new user starts `provisioned` (or `disabled`, or
/// `requested` when over the seat limit; `pending_invite` for an invitation).
std::span<const status_move> status_moves() noexcept;

/// Whether `writer` may move a user from `from` to `to` (true when they are equal).
bool may_move(status_writer writer, user_status from, user_status to) noexcept;

}  // namespace dirsync::directory
