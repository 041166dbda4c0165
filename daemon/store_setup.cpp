#include "daemon/store_setup.hpp"

#include <filesystem>
#include <vector>

#include "directory/email_rules.hpp"

namespace dirsync::daemon {

void prepare_storage_directory(const std::string& db_path) {
    auto parent = std::filesystem::path(db_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
}

directory::tenant tenant_of(const config::tenant_settings& t) {
    directory::tenant out{t.id, t.name, t.seats, t.owner};
    out.provisioning = t.provisioning == config::provisioning_setting::invite
                           ? directory::provisioning_mode::invite
                           : directory::provisioning_mode::idp;
    out.invitations.expire_after = t.invitations.expire_after;
    out.invitations.daily_limit = t.invitations.daily_limit;
    out.invitations.require_account_name = t.invitations.require_account_name;
    out.invitations.link = t.invitations.link;
    out.emails.business_only = t.email_policy.business_only;
    if (t.email_policy.consumer_domains) {
        out.emails.consumer_domains = *t.email_policy.consumer_domains;
    } else {
        for (auto d : directory::builtin_consumer_domains()) out.emails.consumer_domains.emplace_back(d);
    }
    for (const auto& d : t.email_policy.extra_consumer_domains) out.emails.consumer_domains.push_back(d);
    for (const auto& [event, text] : t.templates) out.templates[event] = {text.subject, text.text};
    return out;
}

void register_tenants(directory::tenant_directory& dir, const config::settings& settings) {
    std::vector<directory::tenant> tenants;
    for (const auto& t : settings.tenants) tenants.push_back(tenant_of(t));
    dir.configure_notifications(
        {settings.notifications.email.has_value(), settings.notifications.webhook.has_value()});
    dir.configure_tenants(tenants);
}

}  // namespace dirsync::daemon
