#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/settings.hpp"

namespace dirsync::http {
class bearer_authenticator;
}
namespace dirsync::directory {
class tenant_directory;
}
namespace dirsync::scim {
class service;
}

namespace dirsync::daemon {

class sync_scheduler;
class outbox_worker;
class retention_worker;

/// What one reload did.
struct reload_report {
    bool applied = false;
    config::config_error problems;     ///< why nothing was applied (when not applied)
    std::vector<std::string> changes;  ///< what changed, one phrase each ("tenant globex added")
    /// Settings that differ in the file but only take effect at the next start ("server.listen").
    std::vector<std::string> restart_required;
};

/// Applies a changed configuration file to the running daemon (SIGHUP, `systemctl reload`, POST
/// /admin/v1/reload). The file is read and validated whole first (with the sources' mapping rules); an
/// invalid file changes nothing and its problems are logged with file:line:column. A valid one is applied
/// without dropping a connection or a request under way:
///   - tenants added, updated (name, seats, provisioning, policies, templates) or removed (their records
///     stay in the store, unreachable, until configured again), and each tenant's SCIM options;
///   - tokens: the whole set is swapped at once, so a removed token fails from the next request on;
///   - extension schemas, SCIM limits (bulk, search time limit, public URL);
///   - sources (sync_scheduler::reconfigure: a run in progress finishes with its old rules);
///   - notifications (channels and retry policy), retention, logging level and access log.
/// The TLS certificate and key are read again on every reload (a renewal in place needs no restart); a pair
/// that cannot be loaded makes the reload invalid. Settings read only at start (server.* — listen address,
/// threads, workers, TLS turned on or off, HTTP limits — storage.* and metrics.*) keep their running values;
/// those that differ are named in the log and the report.
/// Reloads are serialized; thread-safe.
class reloader {
  public:
    /// What a reload changes. Each must outlive the reloader.
    struct targets {
        http::bearer_authenticator& auth;
        directory::tenant_directory& dir;
        scim::service& scim;
        sync_scheduler& scheduler;
        outbox_worker& outbox;
        retention_worker& retention;
        /// Loads the server's TLS certificate and key anew for new connections (http::server::reload_tls);
        /// throws naming the file when they cannot be loaded. Empty: nothing to reload.
        std::function<void(const config::tls_settings&)> reload_tls{};
    };

    /// `running`: the settings the daemon started with, loaded from `file`.
    reloader(std::filesystem::path file, config::settings running, targets to);

    /// Reads `file` again and applies it as described above; logs what it did.
    reload_report reload();

  private:
    /// `next` with the start-only sections of the running settings, and their names where they differ.
    config::settings effective(config::settings next, std::vector<std::string>& restart_required) const;
    void apply(const config::settings& next, reload_report& report);

    std::filesystem::path file_;
    targets to_;
    std::mutex mutex_;          ///< one reload at a time
    config::settings running_;  ///< what is applied now
};

}  // namespace dirsync::daemon
