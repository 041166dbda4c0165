#pragma once

// Internal to dirsync_directory: the notices a change sends people, written to the outbox in the change's
// transaction (delivered later by the daemon's outbox worker).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "directory/tenant_policy.hpp"

namespace dirsync::store {
class connection;
}

namespace dirsync::directory {
struct tenant;
}

namespace dirsync::directory::notices {

/// One event that tells people something.
struct notice {
    std::string event;          ///< the webhook event type: "invitation.sent", "invitation.accepted", ...
    std::string template_name;  ///< the tenant template it is written with: "invitation", "user_left", ...
    std::vector<std::string> recipients;        ///< e-mail addresses; none: webhook only
    std::map<std::string, std::string> values;  ///< placeholder values (tenant and tenant_id are added)
    /// The webhook event's data. Never a password or a token, except the invitee's own invite code.
    nlohmann::json data = nlohmann::json::object();
    bool holds_code = false;  ///< the message carries an invite code (emptied from the outbox once sent)
};

/// `text` with each "{name}" replaced by its value in `values` (an unknown name stays as written).
std::string render(std::string_view text, const std::map<std::string, std::string>& values);

/// The built-in template of an event (notice::template_name); subject and text in English.
const message_template& default_template(std::string_view name);

/// Queues `n` on each channel that exists: one e-mail per recipient (with the tenant's template, or the
/// built-in one), one webhook event. Nothing is queued without a channel.
void enqueue(store::connection& db, const notification_channels& channels, const tenant& t, const notice& n,
             common::timestamp now);

/// The e-mail addresses of the tenant's active admins (their first e-mail), for notices to "its admins".
std::vector<std::string> admin_addresses(store::connection& db, std::string_view tenant);

}  // namespace dirsync::directory::notices
