#include "sync/apply.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace dirsync::sync {

namespace {

using json = nlohmann::json;
using batch = directory::tenant_directory::batch;
using directory::member_ref;
using directory::member_step;
using directory::member_type;
using directory::result;
using directory::user_status;

std::string reason(const directory::error& e) {
    if (e.code == directory::error_code::precondition_failed)
        return "the record changed since the plan was made; the next run retries";
    return e.message;
}

class applier {
  public:
    applier(directory::tenant_directory& dir, const plan& p, const apply_options& opts)
        : dir_(dir), p_(p), opts_(opts), who_{std::string(directory::source_actor), p.source} {
        auto& c = result_.counts;
        c.read = p.read_users;
        c.read_groups = p.read_groups;
        c.unchanged = p.unchanged_users;
        c.skipped = p.skipped.size();
        c.groups_orphaned = p.orphaned_groups.size();
        c.orphans_planned = p.orphans.size();
    }

    apply_result run() {
        chunked(p_.creates.size(), [&](batch& b, std::size_t i) { create_user(b, p_.creates[i]); });
        chunked(p_.updates.size(), [&](batch& b, std::size_t i) { change_user(b, p_.updates[i]); });
        chunked(p_.group_creates.size(),
                [&](batch& b, std::size_t i) { create_group(b, p_.group_creates[i]); });
        chunked(
            deferred_.size(), [&](batch& b, std::size_t i) { add_deferred(b, deferred_[i]); }, false);
        chunked(p_.group_updates.size(),
                [&](batch& b, std::size_t i) { update_group(b, p_.group_updates[i]); });
        if (p_.blocked) {
            result_.counts.held_back =
                p_.orphans.size() + p_.disables.size() + p_.deletes.size() + p_.member_removals();
        } else {
            chunked(p_.orphans.size(), [&](batch& b, std::size_t i) { change_user(b, p_.orphans[i]); });
            chunked(p_.disables.size(), [&](batch& b, std::size_t i) { change_user(b, p_.disables[i]); });
            chunked(p_.deletes.size(), [&](batch& b, std::size_t i) { delete_user(b, p_.deletes[i]); });
        }
        return std::move(result_);
    }

  private:
    /// A created group whose member groups were created after it.
    struct deferred_members {
        std::string group_id;
        std::string label;
        std::vector<const planned_member*> members;
    };

    /// `op` for 0..n-1 in transactions of chunk_size; `planned`: the changes are the plan's own (counted by
    /// on_chunk), not follow-ups of them.
    template <class Op>
    void chunked(std::size_t n, Op&& op, bool planned = true) {
        const std::size_t chunk = std::max<std::size_t>(opts_.chunk_size, 1);
        for (std::size_t start = 0; start < n; start += chunk) {
            if (opts_.proceed && !opts_.proceed()) throw apply_stopped{};
            const std::size_t end = std::min(n, start + chunk);
            auto r = dir_.in_batch(who_, [&](batch& b) -> result<void> {
                for (std::size_t i = start; i < end; ++i) op(b, i);
                return {};
            });
            (void)r;  // every step reports its own failure
            if (planned && opts_.on_chunk) opts_.on_chunk(end - start);
        }
    }

    void fail(const std::string& what, const std::string& why) {
        ++result_.counts.failed;
        if (result_.errors.size() < opts_.max_errors) result_.errors.push_back(what + ": " + why);
    }

    static std::string label(const std::string& dn, const std::string& fallback) {
        return dn.empty() ? fallback : dn;
    }

    void create_user(batch& b, const user_create& c) {
        directory::user u;
        auto r = b.step([&](batch& s) -> result<void> {
            directory::user_write w;
            w.resource = c.resource();
            w.roles = c.roles;
            w.source = p_.source;
            w.source_anchor = c.anchor;
            w.status = c.status;
            auto created = s.create_user(p_.tenant, std::move(w));
            if (!created) return created.error();
            u = std::move(*created);
            return {};
        });
        if (!r) return fail(label(c.dn, c.anchor), reason(r.error()));
        user_ids_[c.anchor] = u.id;
        ++result_.counts.created;
        if (u.status == user_status::requested && c.status != user_status::requested)
            ++result_.counts.requested;
    }

    void change_user(batch& b, const user_change& c) {
        user_status written = c.status_after;
        auto r = b.step([&](batch& s) -> result<void> {
            auto changed = s.modify_user(
                p_.tenant, c.id,
                [&](const directory::user& cur) -> result<directory::user_write> {
                    directory::user_write w;
                    w.resource = c.resource ? *c.resource : cur.resource;
                    w.roles = c.roles ? *c.roles : cur.roles;
                    w.source = p_.source;
                    w.source_anchor = c.anchor;
                    w.status = c.status_after;
                    w.orphan_since = c.orphan_since;
                    return w;
                },
                c.version);
            if (!changed) return changed.error();
            written = changed->status;
            return {};
        });
        if (!r) return fail(label(c.dn, c.user_name), reason(r.error()));
        auto& n = result_.counts;
        switch (c.kind) {
            case user_change_kind::update:
                ++n.updated;
                break;
            case user_change_kind::adopt:
                ++n.adopted;
                user_ids_[c.anchor] = c.id;
                break;
            case user_change_kind::unorphan:
                ++n.unorphaned;
                break;
            case user_change_kind::orphan:
                ++n.orphaned;
                break;
            case user_change_kind::orphan_disable:
                ++n.disabled;
                break;
        }
        if (written == user_status::requested && c.status_after != user_status::requested) ++n.requested;
    }

    void delete_user(batch& b, const user_delete& d) {
        auto r = b.step([&](batch& s) { return s.delete_user(p_.tenant, d.id, d.version); });
        if (!r) return fail(d.user_name, reason(r.error()));
        ++result_.counts.deleted;
    }

    /// The member's id, when its record exists (now); nullopt otherwise.
    std::optional<std::string> resolve(const planned_member& m) const {
        if (m.id) return m.id;
        const auto& ids = m.type == member_type::user ? user_ids_ : group_ids_;
        if (auto it = ids.find(m.anchor); it != ids.end()) return it->second;
        return std::nullopt;
    }

    void create_group(batch& b, const group_create& g) {
        deferred_members later{{}, label(g.dn, g.anchor), {}};
        std::size_t added = 0;
        std::string id;
        auto r = b.step([&](batch& s) -> result<void> {
            directory::group_write w;
            w.resource = g.resource;
            w.source = p_.source;
            w.source_anchor = g.anchor;
            later.members.clear();
            for (const auto& m : g.members) {
                if (auto resolved = resolve(m))
                    w.members.push_back(member_ref{*resolved, m.type, std::nullopt});
                else if (m.type == member_type::group)
                    later.members.push_back(&m);  // created later in this run
            }
            added = w.members.size();
            auto created = s.create_group(p_.tenant, std::move(w));
            if (!created) return created.error();
            id = created->id;
            return {};
        });
        if (!r) return fail(label(g.dn, g.anchor), reason(r.error()));
        group_ids_[g.anchor] = id;
        ++result_.counts.groups_created;
        result_.counts.memberships_added += added;
        if (!later.members.empty()) {
            later.group_id = id;
            deferred_.push_back(std::move(later));
        }
    }

    void add_deferred(batch& b, const deferred_members& d) {
        std::vector<member_ref> refs;
        for (const auto* m : d.members)
            if (auto resolved = resolve(*m)) refs.push_back(member_ref{*resolved, m->type, std::nullopt});
        if (refs.empty()) return;
        const std::size_t n = refs.size();
        auto r = b.step([&](batch& s) -> result<void> {
            auto changed = s.modify_group(p_.tenant, d.group_id, [&](const directory::group& cur) {
                directory::group_change c;
                c.resource = cur.resource;
                c.members.push_back(member_step::add(std::move(refs)));
                return result<directory::group_change>(std::move(c));
            });
            if (!changed) return changed.error();
            return {};
        });
        if (!r) return fail(d.label, reason(r.error()));
        result_.counts.memberships_added += n;
    }

    void update_group(batch& b, const group_update& g) {
        std::vector<member_ref> add;
        for (const auto& m : g.add)
            if (auto resolved = resolve(m)) add.push_back(member_ref{*resolved, m.type, std::nullopt});
        const bool remove = !p_.blocked && !g.remove.empty();
        if (!g.resource && add.empty() && !remove) return;  // only removals, held back
        const std::size_t added = add.size();
        auto r = b.step([&](batch& s) -> result<void> {
            auto changed = s.modify_group(
                p_.tenant, g.id,
                [&](const directory::group& cur) {
                    directory::group_change c;
                    c.resource = g.resource ? *g.resource : cur.resource;
                    if (remove) {
                        std::vector<member_ref> gone;
                        for (const auto& id : g.remove)
                            gone.push_back(member_ref{id, std::nullopt, std::nullopt});
                        c.members.push_back(member_step::remove(std::move(gone)));
                    }
                    if (!add.empty()) c.members.push_back(member_step::add(std::move(add)));
                    return result<directory::group_change>(std::move(c));
                },
                g.version);
            if (!changed) return changed.error();
            return {};
        });
        if (!r) return fail(label(g.dn, g.display_name), reason(r.error()));
        ++result_.counts.groups_updated;
        result_.counts.memberships_added += added;
        if (remove) result_.counts.memberships_removed += g.remove.size();
    }

    directory::tenant_directory& dir_;
    const plan& p_;
    const apply_options& opts_;
    directory::actor who_;
    apply_result result_;
    std::unordered_map<std::string, std::string> user_ids_;   ///< created or adopted in this run, by anchor
    std::unordered_map<std::string, std::string> group_ids_;  ///< created in this run, by anchor
    std::vector<deferred_members> deferred_;
};

}  // namespace

current_records load_current(const directory::tenant_directory& dir, std::string_view tenant,
                             std::string_view source) {
    current_records out;
    // Sized once: grown by doubling, 100,000 briefs would briefly be held twice.
    out.users.reserve(dir.count_source_users(tenant, source) + 64);
    dir.scan_source_users(
        tenant, source,
        [&](directory::user_brief&& u) {
            out.users.push_back(std::move(u));
            return true;
        },
        directory::brief_resource::digest);
    dir.scan_source_groups(tenant, source, [&](directory::group_brief&& g) {
        out.groups.push_back(std::move(g));
        return true;
    });
    return out;
}

current_records load_anchored(const directory::tenant_directory& dir, std::string_view tenant,
                              std::string_view source, const std::vector<std::string>& anchors) {
    current_records out;
    out.owned_users = dir.count_source_users(tenant, source);
    std::unordered_set<std::string_view> seen;
    for (const auto& anchor : anchors) {
        if (!seen.insert(anchor).second) continue;
        if (auto u = dir.find_user_by_anchor(tenant, source, anchor))
            out.users.push_back(std::move(*u));
        else if (auto g = dir.find_group_by_anchor(tenant, source, anchor))
            out.groups.push_back(std::move(*g));
    }
    return out;
}

candidate_lookup directory_candidates(const directory::tenant_directory& dir, std::string tenant) {
    return [&dir, tenant = std::move(tenant)](match_key key, std::string_view value) {
        directory::user_index index = directory::user_index::external_id;
        switch (key) {
            case match_key::external_id:
                index = directory::user_index::external_id;
                break;
            case match_key::user_name:
                index = directory::user_index::user_name;
                break;
            case match_key::email:
                index = directory::user_index::email;
                break;
        }
        return dir.find_user_briefs(tenant, index, value);
    };
}

resource_lookup directory_resources(const directory::tenant_directory& dir, std::string tenant) {
    return [&dir, tenant = std::move(tenant)](std::span<const std::string> ids) {
        return dir.stored_user_resources(tenant, ids);
    };
}

std::size_t applied_changes(const plan& p) noexcept {
    std::size_t n = p.creates.size() + p.updates.size() + p.group_creates.size() + p.group_updates.size();
    if (!p.blocked) n += p.orphans.size() + p.disables.size() + p.deletes.size();
    return n;
}

apply_result apply(directory::tenant_directory& dir, const plan& p, const apply_options& opts) {
    return applier(dir, p, opts).run();
}

}  // namespace dirsync::sync
