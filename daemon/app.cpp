#include "daemon/app.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <thread>

#include "admin/api.hpp"
#include "common/log.hpp"
#include "common/password_hash.hpp"
#include "common/work_pool.hpp"
#include "console/console.hpp"
#include "daemon/control_panel.hpp"
#include "daemon/credentials.hpp"
#include "daemon/daemon_metrics.hpp"
#include "daemon/health.hpp"
#include "daemon/liveness.hpp"
#include "daemon/outbox_worker.hpp"
#include "daemon/reloader.hpp"
#include "daemon/retention_worker.hpp"
#include "daemon/scim_settings.hpp"
#include "daemon/server_settings.hpp"
#include "daemon/signal_watcher.hpp"
#include "daemon/store_setup.hpp"
#include "daemon/sync_scheduler.hpp"
#include "daemon/systemd_notify.hpp"
#include "directory/directory.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "scim/service.hpp"
#include "store/database.hpp"
#include "store/instance_leases.hpp"
#include "sync/run_log.hpp"

namespace dirsync::daemon {

namespace {

/// Threads hashing passwords: enough for two tenants at once on a small machine, few enough that hashing
/// (32 MiB each) can never take every core or much memory.
constexpr std::size_t password_hash_threads = 2;

std::string format_listen(const std::string& host, std::uint16_t port) {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + std::to_string(port)
                                               : host + ":" + std::to_string(port);
}

}  // namespace

int run(const config::settings& settings, const std::filesystem::path& config_file) {
    common::set_log_level(settings.logging.level);
    common::set_access_log(settings.logging.access_log);
    common::set_log_format(settings.logging.format);
    try {
        store::database db(prepare_store_location(settings.storage));
        daemon_metrics measured(settings.metrics.tenant_labels);
        db.set_commit_observer(
            [&measured](const store::database::commit_stats& c) { measured.observe_commit(c); });
        common::log_info("store " + db.description() + " open (schema version " +
                         std::to_string(store::database::schema_version()) + ")");

        // Password hashes (scrypt: tens of milliseconds and 32 MiB each) run on threads of their own, one per
        // tenant at a time, so a Bulk of passwords queues behind itself and not in front of other tenants.
        // Started after the signal watcher, like every thread.
        std::optional<common::work_pool> hashing;
        scim::service_settings scim_settings = scim_service_settings(settings);
        scim_settings.password_hasher = [&hashing](std::string_view tenant, std::string_view password) {
            return hashing->run(tenant, [password] { return common::hash_password(password); });
        };
        directory::tenant_directory dir(db, scim_settings.schemas, {settings.storage.max_resource_bytes});
        register_tenants(dir, settings);
        for (const auto& t : settings.tenants)
            common::log_info(
                "tenant " + t.id + ": " + std::to_string(t.scim_tokens.size()) + " SCIM token(s), " +
                (t.seats ? std::to_string(*t.seats) + " seats" : std::string("unlimited seats")));

        http::bearer_authenticator auth(credentials_for(settings));
        for (const auto& s : settings.schemas)
            common::log_info("schema " + s.schema.id + " extends " +
                             (s.extends == config::schema_resource_setting::user ? "User" : "Group") +
                             " with " + std::to_string(s.schema.attributes.size()) + " attribute(s)");
        scim::service scim(dir, scim_settings);

        outbox_worker outbox(db, settings.notifications);
        outbox.set_delivery_observer([&measured](std::string_view channel, bool delivered, bool given_up) {
            measured.observe_delivery(channel, delivered, given_up);
        });
        retention_worker retention(db, settings.retention);
        sync::run_log runs(db);
        store::instance_leases leases(db);
        sync_scheduler scheduler(settings, dir, runs, leases);
        scheduler.set_run_observer(
            [&measured](std::string_view source, bool dry_run, const sync::run_outcome& outcome) {
                measured.observe_run(source, dry_run, outcome);
            });
        measured.collect_from(dir, db, runs, [&scheduler] { return scheduler.source_names(); });
        // The server exists once the routes do; readiness and the TLS reload reach it through this pointer.
        std::atomic<http::server*> serving{nullptr};
        reloader reload(
            config_file, settings,
            {auth, dir, scim, scheduler, outbox, retention, [&serving](const config::tls_settings& tls) {
                 if (auto* s = serving.load()) s->reload_tls(http::tls_files{tls.cert_file, tls.key_file});
             }});
        admin::api admin_api(scheduler, dir, scim_settings.json);
        control_panel panel(reload, scheduler, dir, db);
        admin_api.set_daemon_control(&panel);
        http::router route(auth, scim_error_formatter());
        scim.add_routes(route);
        admin_api.add_routes(route);
        // The console in the browser, built on the admin API routes just added (console/console.hpp).
        std::optional<console::admin_console> admin_console;
        if (settings.console.enabled) {
            admin_console.emplace(console::console_options{
                .path = settings.console.path,
                .idle_timeout = settings.console.idle_timeout,
                .absolute_timeout = settings.console.absolute_timeout,
                .secure_cookies = settings.server.tls.has_value() ||
                                  settings.server.public_base_url.starts_with("https://"),
            });
            admin_console->add_routes(route);
        }
        const readiness_checks ready{[&serving] {
            auto* s = serving.load();
            return s != nullptr && s->accepting();
        }};
        add_health_routes(route, db, ready);
        const bool metrics_apart = settings.metrics.listen.has_value();
        if (!metrics_apart) add_metrics_route(route, measured, false);
        // `metrics.listen`: /metrics, /healthz and /readyz on a listener of their own, without tokens.
        const http::bearer_authenticator no_tokens({});
        http::router monitoring(no_tokens, scim_error_formatter());
        std::optional<http::server> monitoring_server;
        if (metrics_apart) {
            add_metrics_route(monitoring, measured, true);
            add_health_routes(monitoring, db, ready);
            http::server_settings m;
            m.host = settings.metrics.listen->host;
            m.port = settings.metrics.listen->port;
            m.threads = 1;
            m.limits.max_body_bytes = 0;
            m.errors = scim_error_formatter();
            monitoring_server.emplace(std::move(m),
                                      [&monitoring](http::request& req) { return monitoring(req); });
        }
        for (const auto& s : settings.sources)
            common::log_info("source " + s.name + " -> tenant " + s.tenant + ": " +
                             std::string(config::type_name(s.kind)) + " " +
                             std::string(config::address_of(s.kind)) + ", every " +
                             std::to_string(s.schedule.every.count() / 1000) + " s");

        auto server_settings = http_server_settings(settings);
        server_settings.lane_of = [&route](const http::request& req) { return route.lane_of(req); };
        server_settings.on_answered = [&measured](const http::answered_request& r) {
            measured.observe_request(r);
        };
        http::server server(std::move(server_settings), [&route](http::request& req) { return route(req); });
        serving = &server;
        // Before any other thread starts, so that every thread leaves the signals to the watcher.
        signal_watcher signals({[&] {
                                    server.request_stop();
                                    if (monitoring_server) monitoring_server->request_stop();
                                },
                                [&] {
                                    server.stop_now();
                                    if (monitoring_server) monitoring_server->stop_now();
                                },
                                [&reload] {
                                    systemd_notify_reloading();
                                    common::log_info("SIGHUP: reloading the configuration");
                                    reload.reload();
                                    systemd_notify("READY=1\nSTATUS=serving");
                                }});
        hashing.emplace(common::work_pool::settings{
            .threads = password_hash_threads, .lane_share = 1, .name = "password-hash"});
        server.start();
        std::thread monitoring_thread;
        if (monitoring_server) {
            monitoring_server->start();
            common::log_info("metrics and health on " +
                             format_listen(settings.metrics.listen->host, monitoring_server->local_port()) +
                             " (/metrics, /healthz, /readyz)");
            monitoring_thread = std::thread([&monitoring_server] { monitoring_server->run(); });
        }
        scheduler.start();
        outbox.start();
        retention.start();
        server.on_ready([&](std::uint16_t port) {
            common::log_info("listening on " + format_listen(settings.server.listen.host, port) + " (" +
                             (settings.server.tls ? "https" : "http") + ", SCIM at /scim/v2, " +
                             std::to_string(settings.server.threads) + " I/O threads, " +
                             std::to_string(settings.server.workers) + " workers)");
            systemd_notify("READY=1\nSTATUS=serving");
        });
        // Fed only while the I/O loop runs a posted probe and no write has held the store for a whole
        // watchdog interval: a wedged daemon is restarted by systemd.
        watchdog_pinger pinger([&server, &db](std::chrono::microseconds interval) {
            return alive_for_watchdog(server, db, interval);
        });
        server.run();
        systemd_notify("STOPPING=1");
        if (monitoring_server) monitoring_server->request_stop();
        if (monitoring_thread.joinable()) monitoring_thread.join();
        scheduler.stop();
        outbox.stop();
        retention.stop();
        common::log_info("stopped");
        return 0;
    } catch (const std::exception& e) {
        common::log_error(std::string("start-up failed: ") + e.what());
        return 1;
    }
}

}  // namespace dirsync::daemon
