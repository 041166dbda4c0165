#pragma once

// Internal to dirsync_console: how user statuses are named and marked on the pages.

#include <string>
#include <string_view>
#include <vector>

namespace dirsync::console {

/// Every user status the API knows ("active", "disabled", ...), in the order the pages list them.
const std::vector<std::string_view>& shown_statuses();

/// A status as a person reads it: "pending_invite" -> "Pending invite".
std::string status_label(std::string_view status);

/// A status as a marked badge: <span class="status status-disabled">Disabled</span>.
std::string status_badge(std::string_view status);

}  // namespace dirsync::console
