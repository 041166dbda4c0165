#include "daemon/reloader.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <utility>

#include "common/log.hpp"
#include "config/load.hpp"
#include "daemon/credentials.hpp"
#include "daemon/outbox_worker.hpp"
#include "daemon/retention_worker.hpp"
#include "daemon/scim_settings.hpp"
#include "daemon/store_setup.hpp"
#include "daemon/sync_scheduler.hpp"
#include "directory/directory.hpp"
#include "http/bearer_authenticator.hpp"
#include "scim/service.hpp"
#include "sync/source_check.hpp"

namespace dirsync::daemon {

namespace {

std::size_t token_count(const config::settings& s) {
    std::size_t n = s.admin_tokens.size();
    for (const auto& t : s.tenants) n += t.scim_tokens.size() + t.admin_tokens.size();
    return n;
}

template <class Item, class Name>
std::set<std::string> names_of(const std::vector<Item>& items, Name name) {
    std::set<std::string> out;
    for (const auto& i : items) out.insert(name(i));
    return out;
}

/// "tenant globex added", "tenant initech removed", "tenant acme updated" for what differs by id.
void describe_tenants(const config::settings& before, const config::settings& after,
                      std::vector<std::string>& out) {
    for (const auto& t : after.tenants) {
        auto old = std::find_if(before.tenants.begin(), before.tenants.end(),
                                [&](const auto& o) { return o.id == t.id; });
        if (old == before.tenants.end())
            out.push_back("tenant " + t.id + " added");
        else if (!(*old == t))
            out.push_back("tenant " + t.id + " updated");
    }
    for (const auto& t : before.tenants)
        if (std::none_of(after.tenants.begin(), after.tenants.end(),
                         [&](const auto& n) { return n.id == t.id; }))
            out.push_back("tenant " + t.id + " removed (its records stay in the store)");
}

void describe_sources(const config::settings& before, const config::settings& after,
                      std::vector<std::string>& out) {
    auto name = [](const config::source_settings& s) { return s.name; };
    const auto old_names = names_of(before.sources, name), new_names = names_of(after.sources, name);
    for (const auto& n : new_names)
        out.push_back("source " + n + (old_names.contains(n) ? " reloaded" : " added"));
    for (const auto& n : old_names)
        if (!new_names.contains(n)) out.push_back("source " + n + " removed");
}

}  // namespace

reloader::reloader(std::filesystem::path file, config::settings running, targets to)
    : file_(std::move(file)), to_(to), running_(std::move(running)) {}

config::settings reloader::effective(config::settings next,
                                     std::vector<std::string>& restart_required) const {
    const auto& was = running_.server;
    const auto& now = next.server;
    if (!(now.listen == was.listen)) restart_required.push_back("server.listen");
    if (now.threads != was.threads) restart_required.push_back("server.threads");
    if (now.workers != was.workers) restart_required.push_back("server.workers");
    if (now.tenant_concurrency != was.tenant_concurrency)
        restart_required.push_back("server.tenant_concurrency");
    // The certificate and key are reloaded (renewed in place or at other paths); turning TLS on or off
    // changes the listener.
    if (now.tls.has_value() != was.tls.has_value()) restart_required.push_back("server.tls");
    if (!(now.limits == was.limits)) restart_required.push_back("server.limits");
    if (next.storage.sqlite_path != running_.storage.sqlite_path)
        restart_required.push_back("storage.sqlite");
    if (next.storage.postgresql != running_.storage.postgresql)
        restart_required.push_back("storage.postgresql");
    if (next.storage.max_resource_bytes != running_.storage.max_resource_bytes)
        restart_required.push_back("storage.max_resource_size");
    if (!(next.metrics == running_.metrics)) restart_required.push_back("metrics");
    if (!(next.console == running_.console)) restart_required.push_back("console");
    // Applied by a reload: public_base_url (only URLs change) and the TLS files when TLS stays on.
    const auto public_base_url = next.server.public_base_url;
    const auto tls = was.tls && now.tls ? now.tls : was.tls;
    next.server = running_.server;
    next.server.public_base_url = public_base_url;
    next.server.tls = tls;
    next.storage = running_.storage;
    next.metrics = running_.metrics;
    next.console = running_.console;
    return next;
}

reload_report reloader::reload() {
    std::lock_guard lock(mutex_);
    reload_report report;
    config::load_options options;
    options.check = sync::check_sources;
    auto loaded = config::load_settings_file(file_, options);
    if (!loaded) {
        report.problems = loaded.error();
        common::log_error("reload: " + file_.string() + " is invalid (" +
                          std::to_string(report.problems.diagnostics.size()) +
                          " problem(s)); the running configuration is unchanged");
        for (const auto& d : report.problems.diagnostics) {
            auto line = config::config_error({d}).to_string();
            if (!line.empty() && line.back() == '\n') line.pop_back();
            common::log_error("reload: " + line);
        }
        return report;
    }
    auto next = effective(std::move(*loaded), report.restart_required);
    // The certificate first: a renewal that cannot be loaded (unreadable, or a key that does not match)
    // makes the whole reload invalid, before anything else changed.
    if (next.server.tls && to_.reload_tls) {
        try {
            to_.reload_tls(*next.server.tls);
            report.changes.push_back("TLS certificate reloaded from " + next.server.tls->cert_file);
        } catch (const std::exception& e) {
            report.problems.diagnostics.push_back({file_.string(), 0, 0, e.what()});
            common::log_error("reload: " + std::string(e.what()) +
                              "; the running configuration is unchanged");
            return report;
        }
    }
    try {
        apply(next, report);
    } catch (const std::exception& e) {
        // Load validated everything apply uses; reaching this is a bug, and the daemon goes on serving.
        report.problems.diagnostics.push_back(
            {file_.string(), 0, 0, std::string("applying failed: ") + e.what()});
        common::log_error(std::string("reload: applying the configuration failed: ") + e.what());
        return report;
    }
    report.applied = true;
    for (const auto& name : report.restart_required)
        common::log_warning("reload: " + name + " changed in " + file_.string() +
                            " but is read only at start; restart dirsyncd to apply it");
    for (const auto& change : report.changes) common::log_info("reload: " + change);
    common::log_info("reload: " + file_.string() + " applied (" + std::to_string(report.changes.size()) +
                     " change(s))");
    return report;
}

void reloader::apply(const config::settings& next, reload_report& report) {
    // Sources first: compiling their rules is the one step that could still fail, before anything changed.
    to_.scheduler.reconfigure(next);
    describe_sources(running_, next, report.changes);

    auto scim_settings = scim_service_settings(next);
    scim_settings.password_hasher = to_.scim.settings()->password_hasher;
    if (next.schemas.size() != running_.schemas.size() ||
        !std::equal(next.schemas.begin(), next.schemas.end(), running_.schemas.begin(),
                    [](const auto& a, const auto& b) { return a.schema.id == b.schema.id; }))
        report.changes.push_back("schemas: " + std::to_string(next.schemas.size()) + " extension(s)");
    to_.dir.set_schemas(scim_settings.schemas);
    to_.scim.reconfigure(std::move(scim_settings));

    // Tenants before tokens: a new tenant exists before its token works, and a removed tenant's token
    // stops working a moment after the tenant is gone (its requests then find no tenant).
    register_tenants(to_.dir, next);
    describe_tenants(running_, next, report.changes);
    to_.auth.replace(credentials_for(next));
    if (token_count(next) != token_count(running_) || next.admin_tokens != running_.admin_tokens)
        report.changes.push_back("tokens: " + std::to_string(token_count(next)) + " accepted");

    to_.outbox.reconfigure(next.notifications);
    to_.retention.reconfigure(next.retention);
    if (!(next.retention == running_.retention)) report.changes.push_back("retention");
    if (next.notifications.email.has_value() != running_.notifications.email.has_value() ||
        next.notifications.webhook.has_value() != running_.notifications.webhook.has_value())
        report.changes.push_back(std::string("notifications: e-mail ") +
                                 (next.notifications.email ? "on" : "off") + ", webhook " +
                                 (next.notifications.webhook ? "on" : "off"));

    common::set_log_level(next.logging.level);
    common::set_access_log(next.logging.access_log);
    common::set_log_format(next.logging.format);
    if (!(next.logging == running_.logging))
        report.changes.push_back("logging: level " + std::string(common::to_string(next.logging.level)) +
                                 ", access log " + (next.logging.access_log ? "on" : "off"));
    running_ = next;
}

}  // namespace dirsync::daemon
