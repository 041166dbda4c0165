#include "daemon/source_runner.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <utility>

#include "common/log.hpp"
#include "daemon/source_conversion.hpp"
#include "ldap/blocking_client.hpp"
#include "ldap/source_query.hpp"
#include "sync/apply.hpp"
#include "sync/reconcile.hpp"
#include "sync/run_counts.hpp"
#include "sync/snapshot_builder.hpp"

namespace dirsync::daemon {

namespace {

constexpr std::size_t max_recorded_errors = 20;

ldap::search_scope to_scope(config::ldap_scope s) {
    switch (s) {
        case config::ldap_scope::base:
            return ldap::search_scope::base;
        case config::ldap_scope::one:
            return ldap::search_scope::one_level;
        case config::ldap_scope::sub:
            break;
    }
    return ldap::search_scope::subtree;
}

bool uses_incremental(config::incremental_method m) { return m != config::incremental_method::none; }

ldap::incremental_method to_ldap_method(config::incremental_method m) {
    switch (m) {
        case config::incremental_method::syncrepl:
            return ldap::incremental_method::syncrepl;
        case config::incremental_method::usn:
            return ldap::incremental_method::usn;
        default:
            return ldap::incremental_method::timestamp;
    }
}

ldap::directory_flavour to_flavour(config::ldap_flavour f) {
    switch (f) {
        case config::ldap_flavour::openldap:
            return ldap::directory_flavour::openldap;
        case config::ldap_flavour::active_directory:
            return ldap::directory_flavour::active_directory;
        case config::ldap_flavour::ds389:
            return ldap::directory_flavour::ds389;
        case config::ldap_flavour::freeipa:
            return ldap::directory_flavour::freeipa;
    }
    return ldap::directory_flavour::generic;
}

/// What the reader fetches for `source`: the searches of its users and groups with the attributes its
/// mapping reads. Role filters are evaluated in memory by the mapper, so none are sent.
ldap::source_query to_query(const config::source_settings& source, const sync::source_mapper& mapper) {
    ldap::source_query q;
    q.flavour = to_flavour(source.flavour);
    q.anchor_attribute = source.users.anchor;
    q.users.base = source.users.base_dn;
    q.users.scope = to_scope(source.users.scope);
    q.users.filter = ldap::parenthesized_filter(source.users.filter.text);
    q.users.attributes = mapper.user_attributes();
    if (source.groups && mapper.has_groups()) {
        ldap::group_query g;
        g.base = source.groups->base_dn;
        g.scope = to_scope(source.groups->scope);
        g.filter = ldap::parenthesized_filter(source.groups->filter.text);
        g.attributes = mapper.group_attributes();
        g.member_attribute = source.groups->member_attribute;
        q.groups = std::move(g);
    }
    return q;
}

/// The stored incremental state of the source, when it is one this run can continue from.
std::optional<ldap::incremental_state> usable_state(const std::optional<sync::source_state>& stored,
                                                    config::incremental_method method) {
    if (!stored) return std::nullopt;
    auto s = ldap::parse_incremental_state(stored->state);
    if (!s || s->method != to_ldap_method(method)) return std::nullopt;
    switch (s->method) {
        case ldap::incremental_method::syncrepl:
            if (!s->users_cookie) return std::nullopt;
            break;
        case ldap::incremental_method::usn:
            if (s->domain_controllers.empty()) return std::nullopt;
            break;
        case ldap::incremental_method::timestamp:
            if (!s->since) return std::nullopt;
            break;
    }
    return s;
}

/// Raised inside a run to end it as failed with `message`.
struct run_failure {
    std::string message;
};

/// Raised when the stored incremental state cannot serve the read (cookie expired, another DC).
struct needs_full_read {};

}  // namespace

source_runner::source_runner(const config::source_settings& source, sync::source_mapper mapper,
                             directory::tenant_directory& dir, sync::run_log& log)
    : source_(source), mapper_(std::move(mapper)), policy_(to_policy(source)), dir_(dir), log_(log) {}

sync::run_mode source_runner::next_mode(common::timestamp now) const {
    return mode_for(log_.get_state(source_.name), now);
}

sync::run_mode source_runner::mode_for(const std::optional<sync::source_state>& stored,
                                       common::timestamp now) const {
    if (!uses_incremental(source_.incremental)) return sync::run_mode::full;
    if (!stored || !stored->last_full || now - *stored->last_full >= source_.schedule.full_every)
        return sync::run_mode::full;
    return usable_state(stored, source_.incremental) ? sync::run_mode::incremental : sync::run_mode::full;
}

run_outcome source_runner::run(const run_options& request,
                               const std::function<void(std::int64_t)>& on_started) {
    std::lock_guard lock(running_);
    const auto started = common::now();
    run_outcome out;
    const auto stored = log_.get_state(source_.name);
    out.mode = request.mode.value_or(mode_for(stored, started));
    auto state = usable_state(stored, source_.incremental);
    if (out.mode == sync::run_mode::incremental && (!uses_incremental(source_.incremental) || !state)) {
        // Nothing to continue from (no incremental method, or no full run yet): a full read it is.
        out.mode = sync::run_mode::full;
    }
    out.id =
        log_.start_run(source_.name, source_.tenant, request.trigger, out.mode, request.dry_run, started);
    if (on_started) on_started(out.id);
    common::log_info("sync " + source_.name + ": run " + std::to_string(out.id) + " started (" +
                     std::string(sync::to_string(out.mode)) + (request.dry_run ? ", dry run" : "") + ", " +
                     request.trigger + ")");

    try {
        auto connection = to_connection_settings(source_);
        if (!connection) throw run_failure{connection.error()};
        ldap::blocking_client client(std::move(*connection));
        client.set_cancel_flag(cancel_);
        if (auto c = client.connect(); !c) throw run_failure{c.error().message};
        const auto deadline = std::chrono::steady_clock::now() + source_.timeouts.run;

        const bool flatten = !source_.groups || source_.groups->nested == config::nested_groups::flatten;
        sync::snapshot_builder builder(mapper_, flatten);
        const auto query = to_query(source_, mapper_);
        std::vector<std::string> deleted;
        std::optional<std::vector<std::string>> present_users;
        ldap::incremental_state next_state;
        ldap::source_handlers handlers;
        handlers.on_user = [&](ldap::entry&& e, std::string) { builder.add_user(e); };
        handlers.on_group = [&](ldap::entry&& e, std::string) { builder.add_group(e); };
        std::vector<std::string> reader_skipped;
        handlers.on_skipped = [&](std::string dn, std::string reason) {
            if (reader_skipped.size() < max_recorded_errors) reader_skipped.push_back(dn + ": " + reason);
        };
        auto full_read = [&] {
            auto r = client.read_full(query, to_ldap_method(source_.incremental), handlers, deadline);
            if (!r) throw run_failure{"reading the source failed: " + r.error().message};
            next_state = std::move(r->state);
        };
        bool escalated = false;
        if (out.mode == sync::run_mode::full) {
            full_read();
        } else
            try {
                // Changed groups cannot be resolved against a partial read of the users, so an incremental
                // run updates users only (group records follow at the next full run); when roles come from
                // nested groups, every group is read so they resolve as in a full run.
                auto incremental_handlers = handlers;
                incremental_handlers.on_group = nullptr;
                auto r = client.read_incremental(query, *state, incremental_handlers, deadline);
                if (!r) throw run_failure{"reading the changes failed: " + r.error().message};
                if (r->full_read_required) {
                    common::log_info("sync " + source_.name + ": " + r->reason +
                                     "; reading the source in full");
                    throw needs_full_read{};
                }
                next_state = std::move(r->state);
                deleted = std::move(r->deleted_anchors);
                present_users = std::move(r->present_users);
                if (mapper_.has_group_roles() && query.groups) {
                    ldap::search_request groups;
                    groups.base = query.groups->base;
                    groups.scope = query.groups->scope;
                    groups.filter = query.groups->filter;
                    groups.attributes = query.groups->attributes;
                    auto g = client.search(
                        groups, [&](ldap::entry&& e) { builder.add_group(e); }, deadline);
                    if (!g) throw run_failure{"reading the groups failed: " + g.error().message};
                }
            } catch (const needs_full_read&) {
                // Nothing was read: read everything, and reconcile as a full run.
                escalated = true;
                full_read();
            }

        // The read is complete: plan (unless the daemon is stopping).
        if (cancel_ != nullptr && cancel_->load()) throw run_failure{"cancelled: the daemon is stopping"};
        auto snap = builder.finish();
        auto current = sync::load_current(dir_, source_.tenant, source_.name);
        sync::reconcile_input input{policy_, current, sync::directory_candidates(dir_, source_.tenant),
                                    common::now(), log_.allowance(source_.name)};
        sync::plan plan;
        if (out.mode == sync::run_mode::full || escalated) {
            if (escalated) out.mode = sync::run_mode::full;
            plan = sync::reconcile(std::move(snap), input);
        } else {
            sync::delta d;
            d.users = std::move(snap.users);
            d.skipped = std::move(snap.skipped);
            d.skipped_anchors = std::move(snap.skipped_anchors);
            d.deleted_anchors = std::move(deleted);
            if (present_users) {
                std::set<std::string> still(present_users->begin(), present_users->end());
                for (const auto& u : current.users)
                    if (u.source_anchor && !still.contains(*u.source_anchor))
                        d.deleted_anchors.push_back(*u.source_anchor);
            }
            plan = sync::reconcile(std::move(d), input);
        }

        sync::run_counts counts;
        std::vector<std::string> errors;
        if (request.dry_run) {
            counts = sync::planned_counts(plan);
        } else {
            auto applied = sync::apply(dir_, plan);
            counts = applied.counts;
            errors = std::move(applied.errors);
        }
        for (const auto& s : reader_skipped) {
            if (errors.size() >= max_recorded_errors) break;
            errors.push_back("skipped " + s);
        }
        for (const auto& s : plan.skipped) {
            if (errors.size() >= max_recorded_errors) break;
            errors.push_back("skipped " + s);
        }
        out.status = plan.blocked ? sync::run_status::blocked : sync::run_status::ok;
        out.blocked_reason = plan.blocked;
        out.counts = sync::to_json(counts);
        out.errors = errors;
        // The state moves on only after a run that applied everything it planned: a blocked run keeps the
        // old cookie (and a full run keeps the old last_full), so the held-back deletes are seen again.
        if (!request.dry_run && out.status == sync::run_status::ok) {
            sync::source_state s;
            s.tenant = source_.tenant;
            s.last_full = out.mode == sync::run_mode::full ? std::optional(common::now())
                                                           : (stored ? stored->last_full : std::nullopt);
            nlohmann::json j;
            to_json(j, next_state);
            s.state = std::move(j);
            log_.put_state(source_.name, s);
        }
        out.plan = std::move(plan);
    } catch (const run_failure& f) {
        out.status = sync::run_status::failed;
        out.errors = {f.message};
    } catch (const std::exception& e) {
        out.status = sync::run_status::failed;
        out.errors = {std::string("internal error: ") + e.what()};
    }
    log_.finish_run(out.id, out.status, out.counts, out.blocked_reason, out.errors);
    std::string summary = "sync " + source_.name + ": run " + std::to_string(out.id) + " " +
                          std::string(sync::to_string(out.status));
    if (out.status == sync::run_status::failed) {
        common::log_error(summary + ": " + (out.errors.empty() ? std::string("?") : out.errors.front()));
    } else {
        summary += " (read " + out.counts.value("read", nlohmann::json(0)).dump() + " users, created " +
                   out.counts.value("created", nlohmann::json(0)).dump() + ", updated " +
                   out.counts.value("updated", nlohmann::json(0)).dump() + ", orphaned " +
                   out.counts.value("orphaned", nlohmann::json(0)).dump() + ")";
        if (out.blocked_reason) summary += "; blocked: " + *out.blocked_reason;
        if (out.status == sync::run_status::blocked)
            common::log_warning(summary);
        else
            common::log_info(summary);
    }
    return out;
}

}  // namespace dirsync::daemon
