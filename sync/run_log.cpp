#include "sync/run_log.hpp"

#include "common/instance.hpp"
#include "store/database.hpp"
#include "store/instance_leases.hpp"
#include "store/sync_run_table.hpp"

namespace dirsync::sync {

namespace {

using json = nlohmann::json;
namespace runs = store::sync_run_table;

std::optional<common::timestamp> time_of(const std::optional<std::int64_t>& ms) {
    if (!ms) return std::nullopt;
    return common::from_epoch_ms(*ms);
}

run_record record_of(runs::run_row&& row) {
    run_record r;
    r.id = row.id;
    r.source = std::move(row.source);
    r.tenant = std::move(row.tenant_id);
    r.trigger = std::move(row.trigger);
    r.mode = row.mode == "incremental" ? run_mode::incremental : run_mode::full;
    r.dry_run = row.dry_run;
    r.started = common::from_epoch_ms(row.started_ms);
    r.ended = time_of(row.ended_ms);
    r.status = parse_run_status(row.status).value_or(run_status::failed);
    r.counts = json::parse(row.counts_json, nullptr, false);
    if (!r.counts.is_object()) r.counts = json::object();
    r.blocked_reason = std::move(row.blocked_reason);
    auto errors = json::parse(row.errors_json, nullptr, false);
    if (errors.is_array())
        for (auto& e : errors)
            if (e.is_string()) r.errors.push_back(e.get<std::string>());
    r.released_by = std::move(row.released_by);
    r.released = time_of(row.released_ms);
    r.holder = std::move(row.holder);
    r.has_plan = row.has_plan;
    return r;
}

json time_json(const std::optional<common::timestamp>& t) {
    return t ? json(common::format_rfc3339(*t)) : json(nullptr);
}

}  // namespace

std::string_view to_string(run_status s) noexcept {
    switch (s) {
        case run_status::running:
            return "running";
        case run_status::ok:
            return "ok";
        case run_status::blocked:
            return "blocked";
        case run_status::failed:
            return "failed";
    }
    return "failed";
}

std::optional<run_status> parse_run_status(std::string_view s) noexcept {
    for (auto st : {run_status::running, run_status::ok, run_status::blocked, run_status::failed})
        if (to_string(st) == s) return st;
    return std::nullopt;
}

nlohmann::json to_json(const run_record& r) {
    auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
    return json{{"id", r.id},
                {"source", r.source},
                {"tenant", r.tenant},
                {"trigger", r.trigger},
                {"mode", to_string(r.mode)},
                {"dry_run", r.dry_run},
                {"status", to_string(r.status)},
                {"started", common::format_rfc3339(r.started)},
                {"ended", time_json(r.ended)},
                {"counts", r.counts},
                {"blocked_reason", opt(r.blocked_reason)},
                {"errors", r.errors},
                {"released_by", opt(r.released_by)},
                {"released", time_json(r.released)},
                {"holder", opt(r.holder)},
                {"has_plan", r.has_plan}};
}

namespace {

/// Whether `lease` still belongs to a run under way at `now_ms`.
bool held(const runs::lease_row& lease, std::int64_t now_ms) {
    return store::lease_held(lease.holder, lease.expires_ms, now_ms);
}

const std::string interrupted_errors = json::array({"interrupted"}).dump();

}  // namespace

run_log::run_log(store::database& db, std::string holder)
    : db_(db), holder_(holder.empty() ? common::instance_name() : std::move(holder)) {}

boost::system::result<std::int64_t, source_busy> run_log::start_run(std::string_view source,
                                                                    std::string_view tenant,
                                                                    std::string_view trigger, run_mode mode,
                                                                    bool dry_run, common::timestamp now) {
    using result = boost::system::result<std::int64_t, source_busy>;
    const auto now_ms = common::to_epoch_ms(now);
    runs::run_row row;
    row.source = std::string(source);
    row.tenant_id = std::string(tenant);
    row.trigger = std::string(trigger);
    row.mode = std::string(to_string(mode));
    row.dry_run = dry_run;
    row.started_ms = now_ms;
    row.status = "running";
    row.holder = holder_;
    return db_.write([&](store::connection& db) -> result {
        if (auto lease = runs::find_lease(db, source)) {
            if (held(*lease, now_ms))
                return source_busy{lease->holder, lease->run_id,
                                   "run " + std::to_string(lease->run_id) + " of " + std::string(source) +
                                       " is in progress (" + lease->holder +
                                       "); one run per source at a time"};
            // Its process ended or stopped renewing: the run it recorded never finished.
            runs::fail_if_running(db, lease->run_id, now_ms, interrupted_errors);
        }
        const auto id = runs::insert(db, row);
        runs::put_lease(db, {row.source, holder_, id, now_ms + lease_time.count()});
        return id;
    });
}

bool run_log::renew(std::string_view source, std::int64_t id, common::timestamp now) {
    return db_.write([&](store::connection& db) {
        return runs::renew_lease(db, source, holder_, id, common::to_epoch_ms(now) + lease_time.count());
    });
}

void run_log::finish_run(std::int64_t id, run_status status, const nlohmann::json& counts,
                         const std::optional<std::string>& blocked_reason,
                         const std::vector<std::string>& errors, const std::optional<nlohmann::json>& plan,
                         common::timestamp now) {
    runs::run_row row;
    row.id = id;
    row.status = std::string(to_string(status));
    row.ended_ms = common::to_epoch_ms(now);
    row.counts_json = counts.is_object() ? counts.dump() : "{}";
    row.blocked_reason = blocked_reason;
    row.errors_json = json(errors).dump();
    std::optional<std::string> plan_json;
    if (plan) plan_json = plan->dump();
    db_.write([&](store::connection& db) {
        runs::finish(db, row, plan_json);
        runs::drop_lease(db, id);
    });
}

namespace {

/// Errors kept on a folded live run (each run keeps its own few).
constexpr std::size_t max_kept_errors = 100;

bool folds(const runs::run_row& r) {
    if (r.trigger != "live" || r.status != "ok" || r.dry_run) return false;
    const json counts = json::parse(r.counts_json, nullptr, false);
    return counts.is_object() && counts.value("orphaned", 0) == 0 && counts.value("orphans_planned", 0) == 0;
}

}  // namespace

std::int64_t run_log::fold_live_run(std::string_view source, std::int64_t id) {
    return db_.write([&](store::connection& db) -> std::int64_t {
        auto run = runs::find(db, id);
        if (!run || run->source != source || !folds(*run)) return id;
        auto into = runs::previous(db, source, id);
        // A live run of another instance (the watch moved) stays apart: the history says who ran what.
        if (!into || !folds(*into) || into->holder != run->holder) return id;
        json totals = json::parse(into->counts_json, nullptr, false);
        const json added = json::parse(run->counts_json, nullptr, false);  // objects: folds() checked
        for (const auto& [key, value] : added.items())
            if (value.is_number_integer())
                totals[key] = totals.value(key, json(0)).get<std::int64_t>() + value.get<std::int64_t>();
        json errors = json::parse(into->errors_json, nullptr, false);
        const json more = json::parse(run->errors_json, nullptr, false);
        if (errors.is_array() && more.is_array())
            for (const auto& e : more)
                if (errors.size() < max_kept_errors) errors.push_back(e);
        into->counts_json = totals.dump();
        into->errors_json = errors.dump();
        into->ended_ms = run->ended_ms;
        runs::finish(db, *into, std::nullopt);
        runs::remove(db, id);
        return into->id;
    });
}

std::optional<nlohmann::json> run_log::plan(std::int64_t id) const {
    auto text = db_.read([&](store::connection& db) { return runs::plan_of(db, id); });
    if (!text) return std::nullopt;
    auto j = json::parse(*text, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

std::vector<run_record> run_log::list_runs(std::string_view source, std::size_t limit) const {
    auto rows = db_.read([&](store::connection& db) {
        return runs::latest(db, source.empty() ? std::nullopt : std::optional(source),
                            static_cast<std::int64_t>(limit));
    });
    std::vector<run_record> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(record_of(std::move(r)));
    return out;
}

std::size_t run_log::live_orphans_since(std::string_view source, common::timestamp since) const {
    const auto n = db_.read([&](store::connection& db) {
        return runs::orphaned_since(db, source, "live", common::to_epoch_ms(since));
    });
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::optional<run_record> run_log::get_run(std::int64_t id) const {
    auto row = db_.read([&](store::connection& db) { return runs::find(db, id); });
    if (!row) return std::nullopt;
    return record_of(std::move(*row));
}

boost::system::result<run_record, release_error> run_log::release(std::string_view source, std::int64_t id,
                                                                  std::string_view actor,
                                                                  common::timestamp now) {
    using result = boost::system::result<run_record, release_error>;
    return db_.write([&](store::connection& db) -> result {
        auto row = runs::find(db, id);
        if (!row || row->source != source)
            return release_error{release_error::code::not_found,
                                 "no run " + std::to_string(id) + " of source '" + std::string(source) + "'"};
        if (row->status != "blocked" || row->dry_run)
            return release_error{release_error::code::not_latest,
                                 "run " + std::to_string(id) + " is " +
                                     (row->dry_run ? "a dry run" : "not blocked (" + row->status + ")") +
                                     "; only a blocked run can be released"};
        auto latest = runs::latest_blocked(db, source);
        if (!latest || latest->id != id)
            return release_error{release_error::code::not_latest,
                                 "run " + std::to_string(id) + " is not the latest blocked run of '" +
                                     std::string(source) + "' (run " +
                                     std::to_string(latest ? latest->id : 0) + " is)"};
        if (!row->released_by) {
            row->released_by = std::string(actor);
            row->released_ms = common::to_epoch_ms(now);
            runs::set_released(db, id, *row->released_by, *row->released_ms);
        }
        return record_of(std::move(*row));
    });
}

std::optional<release_allowance> run_log::allowance(std::string_view source) const {
    return db_.read([&](store::connection& db) -> std::optional<release_allowance> {
        auto released = runs::latest_released(db, source);
        if (!released || runs::finished_after(db, source, released->id)) return std::nullopt;
        auto counts = json::parse(released->counts_json, nullptr, false);
        std::size_t orphans = 0;
        if (counts.is_object())
            if (auto it = counts.find("orphans_planned"); it != counts.end() && it->is_number_unsigned())
                orphans = it->get<std::size_t>();
        return release_allowance{released->id, orphans};
    });
}

std::int64_t run_log::fail_interrupted(common::timestamp now) {
    const auto now_ms = common::to_epoch_ms(now);
    return db_.write([&](store::connection& db) {
        std::int64_t failed = 0;
        for (const auto& run : runs::running(db)) {
            auto lease = runs::find_lease(db, run.source);
            if (lease && lease->run_id == run.id && held(*lease, now_ms)) continue;
            failed += runs::fail_if_running(db, run.id, now_ms, interrupted_errors) ? 1 : 0;
            runs::drop_lease(db, run.id);
        }
        return failed;
    });
}

std::optional<source_state> run_log::get_state(std::string_view source) const {
    auto row = db_.read([&](store::connection& db) { return runs::find_state(db, source); });
    if (!row) return std::nullopt;
    source_state s;
    s.tenant = std::move(row->tenant_id);
    s.last_full = time_of(row->last_full_ms);
    s.state = json::parse(row->state_json, nullptr, false);
    if (s.state.is_discarded()) s.state = json::object();
    return s;
}

void run_log::put_state(std::string_view source, const source_state& state) {
    runs::state_row row;
    row.source = std::string(source);
    row.tenant_id = state.tenant;
    if (state.last_full) row.last_full_ms = common::to_epoch_ms(*state.last_full);
    row.state_json = state.state.dump();
    db_.write([&](store::connection& db) { runs::put_state(db, row); });
}

}  // namespace dirsync::sync
