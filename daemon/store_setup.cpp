#include "daemon/store_setup.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "directory/email_rules.hpp"

namespace dirsync::daemon {

namespace {

store::postgresql_location postgresql_location_of(const config::postgresql_settings& pg) {
    store::postgresql_location out;
    out.parameters = {
        {"host", pg.host},
        {"port", std::to_string(pg.port)},
        {"dbname", pg.database},
        {"user", pg.user},
        {"sslmode", pg.sslmode},
        {"connect_timeout", std::to_string(std::max<std::int64_t>(
                                1, std::chrono::ceil<std::chrono::seconds>(pg.connect_timeout).count()))}};
    if (!pg.sslrootcert.empty()) out.parameters.emplace_back("sslrootcert", pg.sslrootcert);
    if (!pg.sslcert.empty()) out.parameters.emplace_back("sslcert", pg.sslcert);
    if (!pg.sslkey.empty()) out.parameters.emplace_back("sslkey", pg.sslkey);
    if (pg.password)
        out.password = [reference = *pg.password]() -> std::optional<std::string> {
            auto secret = config::resolve_secret(reference);
            if (!secret) throw std::runtime_error("the PostgreSQL password: " + secret.error().message);
            return std::move(*secret);
        };
    out.pool_size = pg.pool_size;
    out.statement_timeout = pg.statement_timeout;
    const bool socket = !pg.host.empty() && pg.host.front() == '/';
    out.description = "postgresql://" + pg.user + "@" + (socket ? "[" + pg.host + "]" : pg.host) + ":" +
                      std::to_string(pg.port) + "/" + pg.database;
    return out;
}

}  // namespace

store::location prepare_store_location(const config::storage_settings& storage) {
    if (storage.postgresql) return postgresql_location_of(*storage.postgresql);
    auto parent = std::filesystem::path(storage.sqlite_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    return store::sqlite_location{storage.sqlite_path};
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
