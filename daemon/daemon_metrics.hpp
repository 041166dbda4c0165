#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"
#include "http/server_settings.hpp"
#include "metrics/registry.hpp"
#include "store/database.hpp"
#include "sync/source_runner.hpp"

namespace dirsync::directory {
class tenant_directory;
}
namespace dirsync::sync {
class run_log;
}

namespace dirsync::daemon {

/// The daemon's Prometheus metrics (docs/operations.md lists them): what the components count as it
/// happens (HTTP requests, store commits, sync runs, deliveries) and what is read from the store at each
/// scrape (users by status, seats, the last run of each source, the outbox queue).
///
/// Cardinality is bounded by construction: HTTP series are labelled by route template (never the path),
/// method (the ones the API serves, else "other") and status class; sync series by configured source; the
/// tenant label appears only on the per-tenant gauges, and only while at most `max_tenant_labels` tenants
/// are configured (beyond that the totals alone are exported, so a platform with thousands of tenants does
/// not flood Prometheus). Thread-safe.
class daemon_metrics {
  public:
    explicit daemon_metrics(std::size_t max_tenant_labels);

    /// For http::server_settings::on_answered.
    void observe_request(const http::answered_request& r);
    /// For store::database::set_commit_observer.
    void observe_commit(const store::database::commit_stats& c);
    /// A sync run of `source` ended (not dry runs' changes: they apply none).
    void observe_run(std::string_view source, bool dry_run, const sync::run_outcome& outcome);
    /// A delivery attempt of the outbox on `channel` ("email", "webhook") ended.
    void observe_delivery(std::string_view channel, bool delivered, bool given_up);

    /// Reads the store's gauges at each scrape: users and seats per tenant, the last run of each of
    /// `sources()` (the configured ones, asked at scrape so a reload is followed), the outbox queue.
    void collect_from(directory::tenant_directory& dir, store::database& db, sync::run_log& runs,
                      std::function<std::vector<std::string>()> sources);

    /// The text exposition (format 0.0.4).
    std::string expose() const { return registry_.expose(); }

  private:
    metrics::registry registry_;
    std::uint64_t instance_;  ///< tells apart the instances a thread's cache of children has seen
    std::size_t max_tenant_labels_;
    metrics::family<metrics::counter>& requests_;
    metrics::family<metrics::histogram>& request_seconds_;
    metrics::histogram& commit_seconds_;
    metrics::histogram& commit_rows_;
    metrics::histogram& commit_writes_;
    metrics::family<metrics::counter>& runs_;
    metrics::family<metrics::counter>& entries_read_;
    metrics::family<metrics::counter>& changes_applied_;
    metrics::family<metrics::counter>& deliveries_;
};

/// Mounts GET /metrics on `r`: the text exposition of `m`. `open`: anyone may scrape (a listener of its
/// own, `metrics.listen`); else only operator tokens (the main listener). `m` must outlive `r`.
void add_metrics_route(http::router& r, const daemon_metrics& m, bool open);

}  // namespace dirsync::daemon
