#include "sync/source_runner.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/lease_heartbeat.hpp"
#include "common/log.hpp"
#include "sync/apply.hpp"
#include "sync/parallel_builder.hpp"
#include "sync/reconcile.hpp"
#include "sync/run_counts.hpp"
#include "sync/snapshot_builder.hpp"

namespace dirsync::sync {

namespace {

/// Above this many changed and deleted entries an incremental run loads the source's records in one scan.
constexpr std::size_t anchored_load_limit = 2000;

/// The anchors an incremental read names: its users and the deleted entries.
std::vector<std::string> touched_anchors(const snapshot& snap, const read_result& read) {
    std::vector<std::string> out;
    out.reserve(snap.users.size() + read.deleted_anchors.size());
    for (const auto& u : snap.users) out.push_back(u.anchor);
    out.insert(out.end(), read.deleted_anchors.begin(), read.deleted_anchors.end());
    return out;
}

constexpr std::size_t max_recorded_errors = 20;

/// Raised inside a run to end it as failed with `message`.
struct run_failure {
    std::string message;
};

/// The sync rules of a configured source.
policy policy_for(const config::source_settings& source) {
    policy p;
    p.source = source.name;
    p.tenant = source.tenant;
    for (auto k : source.match_existing) {
        switch (k) {
            case config::match_key::external_id:
                p.match_existing.push_back(match_key::external_id);
                break;
            case config::match_key::user_name:
                p.match_existing.push_back(match_key::user_name);
                break;
            case config::match_key::emails:
                p.match_existing.push_back(match_key::email);
                break;
        }
    }
    p.safety.max_orphans = static_cast<std::size_t>(source.safety.max_orphans);
    p.safety.max_orphan_ratio = source.safety.max_orphan_ratio;
    p.orphans.action = source.orphans.action == config::orphan_action::disable
                           ? orphan_policy::first_action::disable
                           : orphan_policy::first_action::flag;
    p.orphans.disable_after = source.orphans.disable_after;
    p.orphans.delete_after = source.orphans.delete_after;
    p.nested = source.groups && source.groups->nested == config::nested_groups::keep ? nested_groups::keep
                                                                                     : nested_groups::flatten;
    return p;
}

/// Entries (users and groups) the last successful full run of `source` read: a read's likely total.
std::uint64_t expected_entries(const run_log& log, const std::string& source) {
    for (const auto& r : log.list_runs(source, 20)) {
        if (r.dry_run || r.mode != run_mode::full || r.status == run_status::failed ||
            r.status == run_status::running)
            continue;
        auto count = [&](const char* key) {
            auto it = r.counts.find(key);
            return it != r.counts.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
        };
        return count("read") + count("read_groups");
    }
    return 0;
}

}  // namespace

source_runner::source_runner(const config::source_settings& source, source_access access,
                             source_mapper mapper, directory::tenant_directory& dir, run_log& log)
    : source_(source),
      access_(std::move(access)),
      mapper_(std::move(mapper)),
      policy_(policy_for(source)),
      dir_(dir),
      log_(log) {}

bool source_runner::continuable(const std::optional<source_state>& stored) const {
    return access_.reads_changes && stored && access_.can_continue_from &&
           access_.can_continue_from(stored->state);
}

run_mode source_runner::next_mode(common::timestamp now) const {
    return mode_for(log_.get_state(source_.name), now);
}

run_mode source_runner::mode_for(const std::optional<source_state>& stored, common::timestamp now) const {
    if (!access_.reads_changes) return run_mode::full;
    if (!stored || !stored->last_full || now - *stored->last_full >= source_.schedule.full_every)
        return run_mode::full;
    return continuable(stored) ? run_mode::incremental : run_mode::full;
}

run_outcome source_runner::run(const run_options& request,
                               const std::function<void(std::int64_t)>& on_started) {
    std::lock_guard lock(running_);
    const auto started = common::now();
    run_outcome out;
    const auto stored = log_.get_state(source_.name);
    // A dry run compares every entry unless told otherwise: after a change of the rules, an incremental
    // read would see no entry changed and show nothing of what the new rules would do.
    out.mode = request.mode.value_or(request.dry_run ? run_mode::full : mode_for(stored, started));
    if (out.mode == run_mode::incremental && !continuable(stored)) {
        // Nothing to continue from (no incremental method, or no full run yet): a full read it is.
        out.mode = run_mode::full;
    }
    auto recorded =
        log_.start_run(source_.name, source_.tenant, request.trigger, out.mode, request.dry_run, started);
    if (!recorded) {
        common::log_info("sync " + source_.name + ": not started: " + recorded.error().message,
                         {{"source", source_.name}, {"tenant", source_.tenant}});
        out.busy = std::move(recorded.error());
        return out;
    }
    out.id = *recorded;
    const std::string run_name = "sync " + source_.name + ": run " + std::to_string(out.id);
    std::optional<common::lease_heartbeat> heartbeat(
        std::in_place, [this, id = out.id] { return log_.renew(source_.name, id); }, run_log::lease_time / 3,
        run_name,
        [&] {
            common::log_error(
                run_name + " lost its lease (not renewed in time; another run may have started)",
                {{"source", source_.name}, {"run_id", std::to_string(out.id)}});
        });
    if (on_started) on_started(out.id);
    const std::string run_id = std::to_string(out.id);
    run_progress unobserved;
    run_progress& progress = request.progress ? *request.progress : unobserved;
    progress.expected = expected_entries(log_, source_.name);
    progress.at = run_progress::phase::reading;
    // Between steps: a run whose lease was taken over (it stalled past the lease time) writes nothing more.
    auto check_lease = [&] {
        if (heartbeat->lost())
            throw run_failure{"lost the source's lease (not renewed for " +
                              std::to_string(run_log::lease_time.count() / 1000) +
                              " s); another run may have started"};
    };
    common::log_info("sync " + source_.name + ": run " + run_id + " started (" +
                         std::string(to_string(out.mode)) + (request.dry_run ? ", dry run" : "") + ", " +
                         request.trigger + ")",
                     {{"source", source_.name}, {"run_id", run_id}, {"tenant", source_.tenant}});

    // A full run compares with every record the source owns: they are loaded on another core while the
    // source is read (the read is mostly waiting for and decoding the directory's pages).
    std::future<current_records> preloaded;
    if (out.mode == run_mode::full)
        preloaded = std::async(std::launch::async,
                               [this] { return load_current(dir_, source_.tenant, source_.name); });
    try {
        auto reader = access_.open(cancel_);
        if (!reader) throw run_failure{reader.error()};
        const auto deadline = std::chrono::steady_clock::now() + source_.timeouts.run;

        const bool flatten = !source_.groups || source_.groups->nested == config::nested_groups::flatten;
        snapshot_builder builder(mapper_, flatten);
        if (out.mode == run_mode::full) builder.reserve(progress.expected.load());
        std::vector<std::string> reader_skipped;
        // Once the records are loaded (on the other core, early in a long read), the snapshot keeps no text
        // the directory stores as it is: an unchanged run holds one copy of its users, not two.
        std::optional<current_records> loaded;
        std::unordered_map<std::string_view, const common::sha256_digest*> stored_digests;
        std::size_t users_mapped = 0;
        // On the builder's thread, after each user.
        auto after_user = [&](snapshot_builder& b) {
            if (++users_mapped % 1024 != 0 || !preloaded.valid() ||
                preloaded.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
                return;
            loaded = preloaded.get();
            stored_digests.reserve(loaded->users.size());
            for (const auto& u : loaded->users)
                if (u.source_anchor && u.resource_digest)
                    stored_digests.emplace(*u.source_anchor, &*u.resource_digest);
            b.drop_stored_texts([&](std::string_view anchor) -> const common::sha256_digest* {
                auto it = stored_digests.find(anchor);
                return it == stored_digests.end() ? nullptr : it->second;
            });
        };
        // The records are mapped on another core while the read goes on.
        parallel_builder feeder(builder, after_user);
        record_sink sink;
        sink.user = [&](std::unique_ptr<source_record> r) {
            feeder.add_user(std::move(r));
            progress.read.fetch_add(1, std::memory_order_relaxed);
        };
        if (mapper_.has_groups())
            sink.group = [&](std::unique_ptr<source_record> r) {
                feeder.add_group(std::move(r));
                progress.read.fetch_add(1, std::memory_order_relaxed);
            };
        sink.skipped = [&](std::string name, std::string reason) {
            if (reader_skipped.size() < max_recorded_errors) reader_skipped.push_back(name + ": " + reason);
        };
        read_result read;
        auto read_all = [&] {
            auto r = (*reader)->read_all(sink, deadline);
            if (!r) throw run_failure{r.error()};
            read = std::move(*r);
        };
        bool escalated = false;
        if (out.mode == run_mode::full) {
            read_all();
        } else {
            // Changed groups cannot be resolved against a partial read of the users, so an incremental run
            // updates users only (group records follow at the next full run); when roles come from nested
            // groups, every group is read so they resolve as in a full run.
            record_sink users_only = sink;
            users_only.group = nullptr;
            auto r = (*reader)->read_changes(stored->state, users_only, deadline);
            if (!r) throw run_failure{r.error()};
            if (r->full_read_required) {
                common::log_info("sync " + source_.name + ": " + r->reason + "; reading the source in full");
                // Nothing was read: read everything, and reconcile as a full run.
                escalated = true;
                read_all();
            } else {
                read = std::move(*r);
                if (mapper_.has_group_roles() && sink.group)
                    if (auto g = (*reader)->read_groups(sink, deadline); !g) throw run_failure{g.error()};
            }
        }

        // The read is complete: plan (unless the daemon is stopping).
        if (cancel_ != nullptr && cancel_->load()) throw run_failure{"cancelled: the daemon is stopping"};
        check_lease();
        progress.at = run_progress::phase::mapping;
        feeder.finish();
        auto snap = builder.finish();
        stored_digests = {};
        progress.at = run_progress::phase::planning;
        // A small change read without the list of present entries touches few records: only those are loaded.
        const bool anchored = out.mode == run_mode::incremental && !escalated && !read.present_users &&
                              snap.users.size() + read.deleted_anchors.size() <= anchored_load_limit;
        auto current = anchored
                           ? load_anchored(dir_, source_.tenant, source_.name, touched_anchors(snap, read))
                       : loaded            ? std::move(*loaded)
                       : preloaded.valid() ? preloaded.get()
                                           : load_current(dir_, source_.tenant, source_.name);
        reconcile_input input{policy_, current, directory_candidates(dir_, source_.tenant), common::now(),
                              log_.allowance(source_.name)};
        // Deletes that arrive one by one through live runs count together over one schedule interval: a
        // burst is held as it would be had one scheduled run read it.
        input.stored_resources = directory_resources(dir_, source_.tenant);
        input.recent_orphans = log_.live_orphans_since(
            source_.name,
            started - std::chrono::duration_cast<common::timestamp::duration>(source_.schedule.every));
        sync::plan plan;
        if (out.mode == run_mode::full || escalated) {
            if (escalated) out.mode = run_mode::full;
            plan = reconcile(std::move(snap), input);
        } else {
            delta d;
            d.users = std::move(snap.users);
            d.skipped = std::move(snap.skipped);
            d.skipped_anchors = std::move(snap.skipped_anchors);
            d.deleted_anchors = std::move(read.deleted_anchors);
            if (read.present_users) {
                std::set<std::string> still(read.present_users->begin(), read.present_users->end());
                for (const auto& u : current.users)
                    if (u.source_anchor && !still.contains(*u.source_anchor))
                        d.deleted_anchors.push_back(*u.source_anchor);
            }
            plan = reconcile(std::move(d), input);
        }
        // What the read could not resolve (members that are no user or group of this read, member names
        // that match no user): in the plan, and in the log once per run.
        plan.notes.insert(plan.notes.begin(), builder.notes().begin(), builder.notes().end());
        if (builder.note_count() > 0)
            common::log_info(
                "sync " + source_.name + ": " + builder.notes().front() +
                    (builder.note_count() > 1 ? " (and " + std::to_string(builder.note_count() - 1) +
                                                    " more notes: a dry run's plan lists them)"
                                              : std::string()),
                {{"source", source_.name}, {"run_id", run_id}, {"tenant", source_.tenant}});
        if (auto usage = dir_.usage(source_.tenant); usage && usage->settings.seats)
            project_seats(plan, std::max<std::int64_t>(0, *usage->settings.seats - usage->seats_used));
        run_counts counts;
        std::vector<std::string> errors;
        if (request.dry_run) {
            counts = planned_counts(plan);
        } else {
            check_lease();
            progress.to_apply = applied_changes(plan);
            progress.at = run_progress::phase::applying;
            apply_options how;
            how.on_chunk = [&](std::size_t n) { progress.applied.fetch_add(n, std::memory_order_relaxed); };
            how.proceed = [&] { return !heartbeat->lost(); };
            auto applied = apply(dir_, plan, how);
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
        out.status = plan.blocked ? run_status::blocked : run_status::ok;
        out.blocked_reason = plan.blocked;
        out.counts = to_json(counts);
        out.errors = errors;
        // The state moves on only after a run that applied everything it planned: a blocked run keeps the
        // old cookie (and a full run keeps the old last_full), so the held-back deletes are seen again.
        if (!request.dry_run && out.status == run_status::ok) {
            source_state s;
            s.tenant = source_.tenant;
            s.last_full = out.mode == run_mode::full ? std::optional(common::now())
                                                     : (stored ? stored->last_full : std::nullopt);
            s.state = std::move(read.state);
            log_.put_state(source_.name, s);
            // A tenant switching from invitations to its identity provider: the provider is active now.
            dir_.note_source_run({std::string(directory::source_actor), source_.name}, source_.tenant);
        }
        out.plan = std::move(plan);
    } catch (const apply_stopped&) {
        out.status = run_status::failed;
        out.errors = {"lost the source's lease while applying; the changes written so far stay"};
    } catch (const run_failure& f) {
        out.status = run_status::failed;
        out.errors = {f.message};
    } catch (const std::exception& e) {
        out.status = run_status::failed;
        out.errors = {std::string("internal error: ") + e.what()};
    }
    heartbeat.reset();
    progress.at = run_progress::phase::done;
    std::optional<nlohmann::json> kept_plan;
    if (request.dry_run && out.plan) kept_plan = to_json(*out.plan, kept_plan_entries);
    log_.finish_run(out.id, out.status, out.counts, out.blocked_reason, out.errors, kept_plan);
    std::string summary =
        "sync " + source_.name + ": run " + std::to_string(out.id) + " " + std::string(to_string(out.status));
    const auto fields = {common::log_field{"source", source_.name}, common::log_field{"run_id", run_id},
                         common::log_field{"tenant", source_.tenant}};
    if (out.status == run_status::failed) {
        common::log_error(summary + ": " + (out.errors.empty() ? std::string("?") : out.errors.front()),
                          fields);
    } else {
        // A dry run's counts are what it planned, not what it did.
        const char* would = request.dry_run ? "would " : "";
        summary += " (read " + out.counts.value("read", nlohmann::json(0)).dump() + " users; " + would +
                   "create " + out.counts.value("created", nlohmann::json(0)).dump() + ", " + would +
                   "update " + out.counts.value("updated", nlohmann::json(0)).dump() + ", " + would +
                   "orphan " + out.counts.value("orphaned", nlohmann::json(0)).dump() + ")";
        if (out.blocked_reason) summary += "; blocked: " + *out.blocked_reason;
        if (out.status == run_status::blocked)
            common::log_warning(summary, fields);
        else
            common::log_info(summary, fields);
    }
    return out;
}

}  // namespace dirsync::sync
