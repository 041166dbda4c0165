#include "daemon/liveness.hpp"

#include "common/log.hpp"
#include "http/server.hpp"
#include "store/database.hpp"

namespace dirsync::daemon {

bool alive_for_watchdog(http::server& server, const store::database& db, std::chrono::microseconds interval) {
    const auto probe_time = std::max(std::chrono::milliseconds(1),
                                     std::chrono::duration_cast<std::chrono::milliseconds>(interval / 4));
    if (!server.responsive(probe_time)) {
        common::log_error("watchdog: the I/O threads did not answer within " +
                          std::to_string(probe_time.count()) +
                          " ms; not telling systemd the service is alive");
        return false;
    }
    if (auto busy = db.write_in_progress_for(); busy && *busy > interval) {
        common::log_error(
            "watchdog: a store write has been in progress for longer than the watchdog interval; not telling "
            "systemd the service is alive");
        return false;
    }
    return true;
}

}  // namespace dirsync::daemon
