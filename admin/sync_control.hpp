#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace dirsync::admin {

/// Why an admin operation was refused: the HTTP status to answer and a one-line reason for the operator.
struct refusal {
    unsigned status = 400;
    std::string message;
    std::string code{};  ///< machine-readable reason; empty: the generic one of `status`
    /// More members of the error body (an object), beside schemas, status, code and detail.
    nlohmann::json details{};
};

/// Either the JSON answer or a refusal.
using outcome = std::variant<nlohmann::json, refusal>;

/// How a run is asked for.
struct run_request {
    bool dry_run = false;
    /// "full" or "incremental"; nullopt: what the schedule would do next.
    std::optional<std::string> mode;
    std::string actor;  ///< who asked, for the run's trigger
};

/// What the admin API needs from the sync side of the daemon. Implemented by the daemon's scheduler; all
/// members may be called from any I/O thread and must return quickly (a run is started, never awaited).
class sync_control {
  public:
    virtual ~sync_control() = default;

    /// Every configured source: name, tenant, type, schedule, whether a run is in progress (its id), the
    /// last run, the next scheduled run, whether the source is blocked.
    virtual nlohmann::json sources() const = 0;
    /// One source as in `sources()`; 404 refusal when unknown.
    virtual outcome source(std::string_view name) const = 0;
    /// Runs, newest first, of one source (404 when unknown) or of all when `source` is empty.
    virtual outcome runs(std::string_view source, std::size_t limit) const = 0;
    /// One run by id, with its counts, errors and blocked reason; 404 when unknown.
    virtual outcome run(std::int64_t id) const = 0;
    /// The plan a dry run kept (sync::to_json: every create, update with before/after, orphan, ...; each list
    /// cut to its first entries, "totals" and "truncated" say how many there were); 404 when the run is
    /// unknown or kept none (not a dry run, or its read failed).
    virtual outcome plan(std::int64_t id) const = 0;
    /// Starts a run of `source` now: {"run": id, ...}; 404 unknown source, 409 when one is in progress.
    virtual outcome start_run(std::string_view source, const run_request& request) = 0;
    /// Releases blocked run `id` of `source` so the next run may orphan what it planned; 404 unknown,
    /// 409 when the run is not the source's latest blocked run.
    virtual outcome release(std::string_view source, std::int64_t id, std::string_view actor) = 0;
};

/// What the admin API asks of the daemon itself. Implemented in daemon/; thread-safe.
class daemon_control {
  public:
    virtual ~daemon_control() = default;

    /// Reads the configuration file again and applies it, as SIGHUP does: {"reloaded": true, "changes":
    /// [...], "restartRequired": [...]}. An invalid file changes nothing: a 400 refusal, code
    /// "invalid_configuration", with details {"errors": [{"file","line","column","message"}, ...]}.
    virtual outcome reload(std::string_view actor) = 0;

    /// The daemon at a glance (GET /admin/v1/status): {"version", "started", "uptime_seconds", "tenants",
    /// "users", "sources": [{"name", "tenant", "running_run", "last_run", "blocked", "next_run"}],
    /// "store": {"path", "bytes", "schema_version"}, "ready", "not_ready"}.
    virtual nlohmann::json status() const = 0;
};

}  // namespace dirsync::admin
