#include "daemon/app.hpp"

#include <exception>
#include <optional>
#include <string>

#include "admin/api.hpp"
#include "common/log.hpp"
#include "common/password_hash.hpp"
#include "common/work_pool.hpp"
#include "daemon/credentials.hpp"
#include "daemon/health.hpp"
#include "daemon/outbox_worker.hpp"
#include "daemon/reloader.hpp"
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
    try {
        prepare_storage_directory(settings.storage.sqlite_path);
        store::database db(settings.storage.sqlite_path);
        common::log_info("store " + settings.storage.sqlite_path + " open (schema version " +
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
        sync::run_log runs(db);
        sync_scheduler scheduler(settings, dir, runs);
        reloader reload(config_file, settings, {auth, dir, scim, scheduler, outbox});
        admin::api admin_api(scheduler, dir, scim_settings.json);
        admin_api.set_daemon_control(&reload);
        http::router route(auth, scim_error_formatter());
        scim.add_routes(route);
        admin_api.add_routes(route);
        add_health_route(route, db);
        for (const auto& s : settings.sources)
            common::log_info("source " + s.name + " -> tenant " + s.tenant + ": " +
                             std::string(config::type_name(s.kind)) + " " +
                             std::string(config::address_of(s.kind)) + ", every " +
                             std::to_string(s.schedule.every.count() / 1000) + " s");

        auto server_settings = http_server_settings(settings);
        server_settings.lane_of = [&route](const http::request& req) { return route.lane_of(req); };
        http::server server(std::move(server_settings), [&route](http::request& req) { return route(req); });
        // Before any other thread starts, so that every thread leaves the signals to the watcher.
        signal_watcher signals({[&server] { server.request_stop(); }, [&server] { server.stop_now(); },
                                [&reload] {
                                    systemd_notify_reloading();
                                    common::log_info("SIGHUP: reloading the configuration");
                                    reload.reload();
                                    systemd_notify("READY=1\nSTATUS=serving");
                                }});
        hashing.emplace(common::work_pool::settings{
            .threads = password_hash_threads, .lane_share = 1, .name = "password-hash"});
        server.start();
        scheduler.start();
        outbox.start();
        server.on_ready([&](std::uint16_t port) {
            common::log_info("listening on " + format_listen(settings.server.listen.host, port) + " (" +
                             (settings.server.tls ? "https" : "http") + ", SCIM at /scim/v2, " +
                             std::to_string(settings.server.threads) + " I/O threads, " +
                             std::to_string(settings.server.workers) + " workers)");
            systemd_notify("READY=1\nSTATUS=serving");
        });
        watchdog_pinger pinger([] { return true; });
        server.run();
        systemd_notify("STOPPING=1");
        scheduler.stop();
        outbox.stop();
        common::log_info("stopped");
        return 0;
    } catch (const std::exception& e) {
        common::log_error(std::string("start-up failed: ") + e.what());
        return 1;
    }
}

}  // namespace dirsync::daemon
