#pragma once

#include <chrono>

namespace dirsync::http {
class server;
}
namespace dirsync::store {
class database;
}

namespace dirsync::daemon {

/// Whether the daemon deserves a WATCHDOG=1 for a watchdog `interval`: its I/O loop runs a posted probe
/// within a quarter of the interval (at least one I/O thread is free to serve), and no store write has held
/// the writer for the whole interval (a hung fsync, a runaway transaction). Logs why when not. Blocks the
/// caller up to a quarter of the interval; call from the watchdog's thread.
bool alive_for_watchdog(http::server& server, const store::database& db, std::chrono::microseconds interval);

}  // namespace dirsync::daemon
