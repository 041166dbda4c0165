#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace dirsync::directory {

/// Where an invitation stands. `expired` is a pending one past its expiry (stored as pending).
enum class invitation_state { pending, expired, accepted, revoked };
std::string_view to_string(invitation_state s) noexcept;

/// An invitation into a tenant. Its id is the invitee's user id: the record exists from the invitation on,
/// in `pending_invite`, holding no seat.
struct invitation {
    std::string id;
    std::string tenant_id;
    std::string email;
    std::vector<std::string> roles;
    std::string invited_by;  ///< the inviting admin's user id, else the actor ("admin:3f2a9c1e")
    invitation_state state = invitation_state::pending;
    common::timestamp created{};
    common::timestamp sent{};  ///< the last send
    common::timestamp expires{};
    std::int64_t sends = 1;
    std::optional<common::timestamp> ended{};  ///< accepted or revoked at
};

/// Who to invite: addresses as an admin pastes them (each item may hold several, separated by commas,
/// semicolons or white space), and the roles they get (each in the tenant's catalogue).
struct invite_request {
    std::vector<std::string> addresses;
    std::vector<std::string> roles;
};

/// What became of one address of an invite_request (or of a resend).
struct invite_outcome {
    std::string address;
    /// Empty: invited. Else why not: invalid_email, consumer_domain, registered_user, already_invited,
    /// duplicate, rate_limited, unknown_role, admin_service_account.
    std::string refused{};
    std::string message{};
    std::optional<invitation> invited{};
    std::string code{};  ///< the invite code, only here and in the message: its hash is all that is stored
    std::optional<std::chrono::seconds> retry_after{};  ///< for rate_limited
};

/// Which invitations a list returns.
enum class invitation_filter { open, pending, expired, accepted, revoked, all };

struct invitation_page {
    std::vector<invitation> invitations;
    std::optional<std::string> next;
};

/// The registration page's call: the code, the person's names, and (where the tenant asks for it) the
/// account name, which must name the tenant (its id or name, case-insensitively).
struct acceptance {
    std::string code;
    std::string given_name;
    std::string family_name;
    std::optional<std::string> account_name{};
};

/// Splits pasted addresses at commas, semicolons and white space, dropping empty pieces.
std::vector<std::string> split_addresses(const std::vector<std::string>& items);

}  // namespace dirsync::directory
