#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dirsync::directory {

/// How a tenant's users arrive: pushed and synced by its identity provider, or invited by its admins.
enum class provisioning_mode { idp, invite };

/// The invitation settings of a tenant.
struct invitation_policy {
    std::chrono::milliseconds expire_after{std::chrono::hours(24)};
    std::uint32_t daily_limit = 50;  ///< invitations and resends per inviter per rolling day
    bool require_account_name = false;
    std::string link{};  ///< the registration page, "{code}" replaced; empty: the code alone
};

/// What addresses invitations and admin-created users may have (never applied to IdP pushes or syncs).
struct email_policy {
    bool business_only = true;
    /// Consumer mail domains, lower case: the built-in list (consumer_domains.hpp) unless replaced, plus
    /// extras.
    std::vector<std::string> consumer_domains{};
};

/// A message a tenant sends people: placeholders in braces (notices.hpp).
struct message_template {
    std::string subject;
    std::string text;
};

/// Which outbox channels exist: a notice is queued once per channel.
struct notification_channels {
    bool email = false;
    bool webhook = false;
};

}  // namespace dirsync::directory
