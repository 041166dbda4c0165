#pragma once

// Internal to config/: the readers of a tenant's invitation, e-mail and template settings, and of the
// `notifications:` section. Each reports problems to the sink at the value.

#include "config/settings.hpp"
#include "config/yaml_reader.hpp"

namespace dirsync::config {

/// The event names a tenant's `templates:` may name.
inline constexpr std::string_view template_events[] = {
    "invitation", "invitation_accepted", "user_left", "role_deleted", "seat_granted", "relocation_requested"};

void read_invitations(diagnostics_sink& sink, const yaml_field& field, invitation_settings& out);
void read_email_policy(diagnostics_sink& sink, const yaml_field& field, email_policy_settings& out);
void read_templates(diagnostics_sink& sink, const yaml_field& field,
                    std::vector<std::pair<std::string, message_template_setting>>& out);
void read_notifications(diagnostics_sink& sink, const yaml_field& field, notification_settings& out);

}  // namespace dirsync::config
