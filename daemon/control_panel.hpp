#pragma once

#include <chrono>
#include <string>

#include "admin/sync_control.hpp"
#include "common/clock.hpp"

namespace dirsync::directory {
class tenant_directory;
}
namespace dirsync::store {
class database;
}

namespace dirsync::daemon {

class reloader;
class sync_scheduler;

/// What the admin API asks of the running daemon itself (admin::daemon_control): a reload, and its status.
class control_panel : public admin::daemon_control {
  public:
    /// Each referenced object must outlive the panel.
    control_panel(reloader& reload, const sync_scheduler& scheduler, const directory::tenant_directory& dir,
                  const store::database& db);

    /// reloader::reload as JSON: {"reloaded", "changes", "restartRequired"}, or the 400 refusal.
    admin::outcome reload(std::string_view actor) override;
    nlohmann::json status() const override;

  private:
    reloader& reload_;
    const sync_scheduler& scheduler_;
    const directory::tenant_directory& dir_;
    const store::database& db_;
    common::timestamp started_;
    std::chrono::steady_clock::time_point started_steady_;
};

}  // namespace dirsync::daemon
