#pragma once

#include <chrono>
#include <functional>

#include "http/router.hpp"
#include "store/database.hpp"

namespace dirsync::daemon {

/// What readiness looks at besides the store.
struct readiness_checks {
    /// The HTTP server listens and is not shutting down (http::server::accepting).
    std::function<bool()> accepting;
    /// A write holding the store longer than this makes the daemon not ready.
    std::chrono::milliseconds max_write_time{10'000};
};

/// Mounts on `r`'s root, open to anyone and answered on the I/O thread (cheap, due even when every worker
/// is busy):
///   GET /healthz  liveness: 200 {"status":"ok"} while the process serves; 503 {"status":"unavailable",
///                 "storage":"full",...} with Retry-After while writes fail for lack of disk space;
///   GET /readyz   readiness: 200 {"status":"ready","checks":{...}} when the store is open, writable, at
///                 this binary's schema version and its writer is not stuck, and the server accepts
///                 connections; else 503 {"status":"not_ready","checks":{name: "ok" | why}}.
/// `store` must outlive `r`.
void add_health_routes(http::router& r, const store::database& store, readiness_checks checks);

}  // namespace dirsync::daemon
