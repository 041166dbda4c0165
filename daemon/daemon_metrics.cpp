#include "daemon/daemon_metrics.hpp"

#include <array>
#include <atomic>
#include <map>
#include <tuple>

#include "common/clock.hpp"
#include "directory/directory.hpp"
#include "metrics/process.hpp"
#include "store/outbox_table.hpp"
#include "sync/run_log.hpp"

namespace dirsync::daemon {

namespace {

/// The methods the API serves; anything else is "other", so a client cannot mint series.
std::string_view method_label(std::string_view m) {
    static constexpr std::array<std::string_view, 7> known{"GET",   "HEAD",   "POST",   "PUT",
                                                           "PATCH", "DELETE", "OPTIONS"};
    for (auto k : known)
        if (m == k) return k;
    return "other";
}

std::string_view status_class(unsigned status) {
    static constexpr std::array<std::string_view, 6> classes{"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    return status >= 100 && status < 600 ? classes[status / 100 - 1] : classes[5];
}

std::uint64_t next_instance() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

/// The sum of the run counts that are changes written to the records.
double changes_of(const nlohmann::json& counts) {
    double n = 0;
    for (const char* key : {"created", "updated", "adopted", "orphaned", "unorphaned", "disabled", "deleted",
                            "groups_created", "groups_updated", "memberships_added", "memberships_removed"})
        if (counts.contains(key) && counts[key].is_number()) n += counts[key].get<double>();
    return n;
}

double count_of(const nlohmann::json& counts, const char* key) {
    return counts.contains(key) && counts[key].is_number() ? counts[key].get<double>() : 0;
}

}  // namespace

daemon_metrics::daemon_metrics(std::size_t max_tenant_labels)
    : instance_(next_instance()),
      max_tenant_labels_(max_tenant_labels),
      requests_(registry_.counter_family("dirsyncd_http_requests_total",
                                         "HTTP requests answered, by route template, method and status class",
                                         {"route", "method", "code"})),
      request_seconds_(registry_.histogram_family(
          "dirsyncd_http_request_duration_seconds",
          "Time from a request's first byte to its response's last, by route template and method",
          metrics::latency_buckets(), {"route", "method"})),
      commit_seconds_(registry_.add_histogram("dirsyncd_store_commit_duration_seconds",
                                              "Time of the store's COMMIT (its WAL write and fsync)",
                                              metrics::latency_buckets())),
      commit_rows_(registry_.add_histogram("dirsyncd_store_commit_rows",
                                           "Rows inserted, updated or deleted per committed write",
                                           {1, 2, 5, 10, 50, 100, 1000, 10000, 100000})),
      commit_writes_(registry_.add_histogram(
          "dirsyncd_store_commit_writes",
          "Writes (requests, sync chunks) committed together by one COMMIT: the group commit's batch size",
          {1, 2, 4, 8, 16, 32, 64})),
      runs_(registry_.counter_family("dirsyncd_sync_runs_total",
                                     "Sync runs ended in this process, by source and result",
                                     {"source", "result"})),
      entries_read_(registry_.counter_family("dirsyncd_sync_entries_read_total",
                                             "Users and groups read from the source by ended runs",
                                             {"source"})),
      changes_applied_(registry_.counter_family(
          "dirsyncd_sync_changes_applied_total",
          "Changes written to the records by ended runs (creates, updates, orphans, memberships...)",
          {"source"})),
      deliveries_(registry_.counter_family(
          "dirsyncd_notification_deliveries_total",
          "Outbox delivery attempts, by channel and result (delivered, retry, failed)",
          {"channel", "result"})) {
    metrics::add_process_collector(registry_);
}

void daemon_metrics::observe_request(const http::answered_request& r) {
    // The family lookup takes a lock; a thread-local cache of the children keeps it off the hot path.
    using key = std::tuple<const void*, std::string_view, std::string_view>;
    struct children {
        std::map<key, metrics::counter*> counters;
        std::map<std::pair<const void*, std::string_view>, metrics::histogram*> histograms;
        std::uint64_t owner = 0;
    };
    thread_local children cache;
    if (cache.owner != instance_) cache = {{}, {}, instance_};
    const std::string_view route = r.route.empty() ? std::string_view("unmatched") : r.route;
    const auto method = method_label(r.method);
    const auto code = status_class(r.status);
    // Route templates live in the router for the process's life: their address names them.
    const void* route_id = r.route.empty() ? nullptr : r.route.data();
    auto& c = cache.counters[{route_id, method, code}];
    if (!c) c = &requests_.with({route, method, code});
    c->inc();
    auto& h = cache.histograms[{route_id, method}];
    if (!h) h = &request_seconds_.with({route, method});
    h->observe(seconds(r.latency));
}

void daemon_metrics::observe_commit(const store::database::commit_stats& c) {
    commit_seconds_.observe(seconds(c.commit_time));
    commit_rows_.observe(static_cast<double>(c.rows));
    commit_writes_.observe(static_cast<double>(c.writes));
}

void daemon_metrics::observe_run(std::string_view source, bool dry_run, const sync::run_outcome& outcome) {
    runs_.with({source, dry_run ? std::string_view("dry_run") : sync::to_string(outcome.status)}).inc();
    entries_read_.with({source}).inc(count_of(outcome.counts, "read") +
                                     count_of(outcome.counts, "read_groups"));
    if (!dry_run) changes_applied_.with({source}).inc(changes_of(outcome.counts));
}

void daemon_metrics::observe_delivery(std::string_view channel, bool delivered, bool given_up) {
    deliveries_.with({channel, delivered ? "delivered" : given_up ? "failed" : "retry"}).inc();
}

void daemon_metrics::collect_from(directory::tenant_directory& dir, store::database& db, sync::run_log& runs,
                                  std::function<std::vector<std::string>()> sources) {
    registry_.add_collector([&dir, max = max_tenant_labels_](metrics::sample_writer& out) {
        const auto usages = dir.usages();
        const bool labelled = usages.size() <= max;
        std::map<directory::user_status, std::int64_t> totals;
        std::int64_t seats_used = 0;
        for (const auto& u : usages) {
            seats_used += u.seats_used;
            for (const auto& [status, n] : u.by_status) totals[status] += n;
        }
        out.family("dirsyncd_users", "Users of every configured tenant, by status", "gauge");
        for (const auto& [status, n] : totals)
            out.sample({{"status", directory::to_string(status)}}, static_cast<double>(n));
        out.family("dirsyncd_seats_used", "Seats held by users of every configured tenant", "gauge");
        out.sample(static_cast<double>(seats_used));
        out.family("dirsyncd_tenants", "Configured tenants", "gauge");
        out.sample(static_cast<double>(usages.size()));
        if (!labelled) return;
        out.family("dirsyncd_tenant_users", "Users of a tenant, by status", "gauge");
        for (const auto& u : usages)
            for (const auto& [status, n] : u.by_status)
                out.sample({{"tenant", u.settings.id}, {"status", directory::to_string(status)}},
                           static_cast<double>(n));
        out.family("dirsyncd_tenant_seats_used", "Seats held by a tenant's users", "gauge");
        for (const auto& u : usages)
            out.sample({{"tenant", u.settings.id}}, static_cast<double>(u.seats_used));
        out.family("dirsyncd_tenant_seats_limit",
                   "A tenant's seat limit (tenants with unlimited seats absent)", "gauge");
        for (const auto& u : usages)
            if (u.settings.seats)
                out.sample({{"tenant", u.settings.id}}, static_cast<double>(*u.settings.seats));
    });
    registry_.add_collector([&runs, sources = std::move(sources)](metrics::sample_writer& out) {
        struct last {
            std::string source;
            sync::run_record run;
            bool blocked = false;
        };
        std::vector<last> lasts;
        for (const auto& name : sources()) {
            // The newest run that was not a dry run: a trial never becomes the source's state.
            for (auto& r : runs.list_runs(name, 20)) {
                if (r.dry_run || r.status == sync::run_status::running) continue;
                lasts.push_back({name, std::move(r), false});
                lasts.back().blocked =
                    lasts.back().run.status == sync::run_status::blocked && !lasts.back().run.released_by;
                break;
            }
        }
        out.family("dirsyncd_sync_last_run_timestamp_seconds", "When the source's last run ended (Unix time)",
                   "gauge");
        for (const auto& l : lasts)
            if (l.run.ended)
                out.sample({{"source", l.source}},
                           static_cast<double>(common::to_epoch_ms(*l.run.ended)) / 1000.0);
        out.family("dirsyncd_sync_last_run_duration_seconds", "How long the source's last run took", "gauge");
        for (const auto& l : lasts)
            if (l.run.ended)
                out.sample({{"source", l.source}}, static_cast<double>(common::to_epoch_ms(*l.run.ended) -
                                                                       common::to_epoch_ms(l.run.started)) /
                                                       1000.0);
        out.family("dirsyncd_sync_last_run_success", "1 when the source's last run succeeded", "gauge");
        for (const auto& l : lasts)
            out.sample({{"source", l.source}}, l.run.status == sync::run_status::ok ? 1.0 : 0.0);
        out.family("dirsyncd_sync_last_run_entries_read", "Users and groups the source's last run read",
                   "gauge");
        for (const auto& l : lasts)
            out.sample({{"source", l.source}},
                       count_of(l.run.counts, "read") + count_of(l.run.counts, "read_groups"));
        out.family("dirsyncd_sync_source_blocked",
                   "1 while the source's last run was blocked by its safety rules and not released", "gauge");
        for (const auto& l : lasts) out.sample({{"source", l.source}}, l.blocked ? 1.0 : 0.0);
    });
    registry_.add_collector([&db](metrics::sample_writer& out) {
        const auto counts = db.read([](store::connection& c) { return store::outbox_table::counts(c, ""); });
        out.family("dirsyncd_outbox_messages",
                   "Notifications in the outbox waiting to be sent or failed for good", "gauge");
        out.sample({{"state", "pending"}}, static_cast<double>(counts.pending));
        out.sample({{"state", "failed"}}, static_cast<double>(counts.failed));
    });
}

void add_metrics_route(http::router& r, const daemon_metrics& m, bool open) {
    http::mount_point point;
    point.prefix = "/metrics";
    if (!open) {
        point.admits = [](const http::principal& p) { return p.is(http::principal::role::operator_admin); };
        point.refuse = [](const http::request&, const http::principal&) {
            http::response res =
                http::plain_error(401, "/metrics needs an operator (admin_tokens) bearer token");
            res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd metrics\""});
            return res;
        };
    }
    r.add_mount(std::move(point)).route("GET", "/", [&m](const http::route_call&) {
        http::response res;
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        res.body = m.expose();
        return res;
    });
}

}  // namespace dirsync::daemon
