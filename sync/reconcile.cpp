#include "sync/reconcile.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sync/position_index.hpp"

namespace dirsync::sync {

namespace {

using json = nlohmann::json;
using directory::group_brief;
using directory::member_type;
using directory::user_brief;
using directory::user_status;

/// How many ignored member anchors a note names.
constexpr std::size_t note_sample = 3;

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

/// The status a record present in the source gets.
user_status present_status(user_status current, bool source_disabled) {
    if (source_disabled) return user_status::disabled;
    if (current == user_status::disabled || current == user_status::orphan) return user_status::provisioned;
    return current;
}

/// The top-level attributes whose values differ (`active` excepted: it mirrors the status).
std::vector<attribute_change> diff_attributes(const json& before, const json& after) {
    std::vector<attribute_change> out;
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (it.key() == "active") continue;
        auto b = before.find(it.key());
        if (b == before.end())
            out.push_back({it.key(), nullptr, it.value()});
        else if (*b != it.value())
            out.push_back({it.key(), *b, it.value()});
    }
    for (auto it = before.begin(); it != before.end(); ++it)
        if (it.key() != "active" && !after.contains(it.key())) out.push_back({it.key(), it.value(), nullptr});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::string label(const std::string& dn, const std::string& anchor) { return dn.empty() ? anchor : dn; }

/// The record stores exactly the text the source's entry maps to (by digest when the brief carries only
/// that).
bool stores_as_is(const user_brief& u, const source_user& su) {
    if (su.stored_as_is) return true;
    return u.resource_digest ? su.stored_text_digest_is(*u.resource_digest)
                             : su.stored_text_is(u.resource_json);
}

/// A change that touches nothing: the stored text differed from the source's only in its spelling.
bool touches_nothing(const user_change& c) {
    return c.attributes.empty() && !c.roles && c.status_after == c.status_before && !c.orphan_since;
}

/// How many stored resources one read asks for.
constexpr std::size_t resource_read_chunk = 500;

class planner {
  public:
    planner(const reconcile_input& in, run_mode mode) : in_(in) {
        plan_.source = in.rules.source;
        plan_.tenant = in.rules.tenant;
        plan_.mode = mode;
        plan_.now = in.now;
        plan_.owned_users = in.current.owned_users.value_or(in.current.users.size());
        users_by_anchor_.reserve(in.current.users.size());
        for (std::size_t i = 0; i < in.current.users.size(); ++i)
            if (in.current.users[i].source_anchor) users_by_anchor_.insert(i);
        for (const auto& g : in.current.groups) {
            if (g.source_anchor) groups_by_anchor_.emplace(*g.source_anchor, &g);
            groups_by_id_.insert(g.id);
        }
    }

    void skip(std::vector<std::string>&& skipped, const std::vector<std::string>& anchors) {
        for (auto& s : skipped) plan_.skipped.push_back(std::move(s));
        for (const auto& a : anchors) skipped_anchors_.insert(a);
    }

    void upsert_users(std::vector<source_user>&& desired) {
        plan_.read_users = desired.size();
        seen_users_.reserve(desired.size());
        // Sized once: a first run's 100,000 creates grown by doubling would briefly be held twice.
        std::size_t fresh = 0;
        for (const auto& su : desired)
            if (!su.anchor.empty() && !existing_user(su.anchor)) ++fresh;
        plan_.creates.reserve(plan_.creates.size() + fresh);
        new_user_ids_.reserve(fresh);
        for (auto& su : desired) {
            if (su.anchor.empty()) {
                plan_.skipped.push_back(label(su.dn, "(no dn)") + ": the entry has no anchor");
                continue;
            }
            if (!seen_users_.insert(su.anchor).second) {
                plan_.skipped.push_back(label(su.dn, su.anchor) + ": anchor '" + su.anchor +
                                        "' appears twice in the source; the first entry is used");
                continue;
            }
            su.roles = sorted_unique(std::move(su.roles));
            if (const auto* existing = existing_user(su.anchor))
                plan_existing(*existing, std::move(su));
            else
                plan_new(std::move(su));
        }
        diff_pending();
    }

    /// Full runs: records whose anchors the snapshot lacks.
    void orphan_absent_users() {
        for (const auto& u : in_.current.users) {
            if (!u.source_anchor || seen_users_.contains(*u.source_anchor) ||
                skipped_anchors_.contains(*u.source_anchor))
                continue;
            if (!u.orphan_since)
                orphan(u);
            else
                age(u);
        }
    }

    /// Incremental runs: anchors the source reported deleted.
    void orphan_deleted(const std::vector<std::string>& anchors) {
        std::unordered_set<std::string_view> done;
        for (const auto& a : anchors) {
            if (!done.insert(a).second || seen_users_.contains(a) || seen_groups_.contains(a)) continue;
            if (const auto* existing = existing_user(a)) {
                if (!existing->orphan_since) orphan(*existing);
            } else if (auto g = groups_by_anchor_.find(a); g != groups_by_anchor_.end()) {
                orphan_group(*g->second);
            }
        }
    }

    void upsert_groups(std::vector<source_group>&& desired) {
        plan_.read_groups = desired.size();
        // Every group anchor first, so that member groups resolve whatever their order.
        for (const auto& sg : desired)
            if (!sg.anchor.empty() && !groups_by_anchor_.contains(sg.anchor))
                new_group_anchors_.insert(sg.anchor);
        for (auto& sg : desired) {
            if (sg.anchor.empty()) {
                plan_.skipped.push_back(label(sg.dn, "(no dn)") + ": the group has no anchor");
                continue;
            }
            if (!seen_groups_.insert(sg.anchor).second) {
                plan_.skipped.push_back(label(sg.dn, sg.anchor) + ": group anchor '" + sg.anchor +
                                        "' appears twice in the source; the first entry is used");
                continue;
            }
            auto members = resolve_members(sg);
            // Resolved: the anchors as read are not needed again (100,000 of them in a large run).
            sg.member_user_anchors = {};
            sg.member_group_anchors = {};
            if (auto it = groups_by_anchor_.find(sg.anchor); it != groups_by_anchor_.end())
                plan_group_update(*it->second, std::move(sg), std::move(members));
            else
                plan_.group_creates.push_back(
                    group_create{sg.anchor, sg.dn, std::move(sg.resource), std::move(members)});
        }
    }

    /// Full runs: groups whose anchors the snapshot lacks.
    void orphan_absent_groups() {
        for (const auto& g : in_.current.groups)
            if (g.source_anchor && !seen_groups_.contains(*g.source_anchor) &&
                !skipped_anchors_.contains(*g.source_anchor))
                orphan_group(g);
    }

    plan finish() {
        safety_input s;
        s.mode = plan_.mode;
        s.owned_users = plan_.owned_users;
        s.read_users = plan_.read_users;
        s.new_orphans = plan_.orphans.size();
        s.recent_orphans = in_.recent_orphans;
        auto verdict = check_safety(in_.rules.safety, s, in_.allowance);
        plan_.blocked = std::move(verdict.blocked);
        plan_.released_run = verdict.released_run;
        if (plan_.released_run)
            plan_.notes.push_back("above the safety limits, allowed by the release of run " +
                                  std::to_string(*plan_.released_run));
        return std::move(plan_);
    }

  private:
    void plan_existing(const user_brief& u, source_user&& su) {
        // The stored text has `active` mirroring the status, and the status is disabled exactly when the
        // source says so (present_status): the source's text compares as it is.
        const user_status status = present_status(u.status, su.disabled);
        const bool resource_changed = !stores_as_is(u, su);
        const bool roles_changed = sorted_unique(u.roles) != su.roles;
        if (!resource_changed && !roles_changed && status == u.status && !u.orphan_since) {
            ++plan_.unchanged_users;
            return;
        }
        user_change c =
            change_of(u, u.orphan_since ? user_change_kind::unorphan : user_change_kind::update, status);
        c.dn = su.dn;
        if (roles_changed) c.roles = std::move(su.roles);
        if (u.orphan_since) c.orphan_since = std::optional<common::timestamp>{};
        if (resource_changed && u.resource_digest) {
            // The stored text is read with others' once every entry is planned (diff_pending).
            pending_.push_back(pending_diff{plan_.updates.size(), su.take_resource()});
            plan_.updates.push_back(std::move(c));
            return;
        }
        if (resource_changed) set_resource(c, json::parse(u.resource_json), su.take_resource());
        if (touches_nothing(c)) {
            ++plan_.unchanged_users;
            return;
        }
        plan_.updates.push_back(std::move(c));
    }

    /// Diffs the updates whose records' briefs carry only a digest against the stored texts, read in
    /// chunks; drops those that touch nothing after all.
    void diff_pending() {
        if (pending_.empty()) return;
        if (!in_.stored_resources)
            throw std::logic_error(
                "reconcile: a brief carries only a digest and no stored_resources is given");
        std::vector<std::string> ids;
        for (std::size_t from = 0; from < pending_.size(); from += resource_read_chunk) {
            const auto to = std::min(pending_.size(), from + resource_read_chunk);
            ids.clear();
            for (auto i = from; i < to; ++i) ids.push_back(plan_.updates[pending_[i].update].id);
            auto stored = in_.stored_resources(ids);
            for (auto i = from; i < to; ++i) {
                auto& c = plan_.updates[pending_[i].update];
                // A record deleted since it was scanned: every attribute is new (the write will not find it).
                auto it = stored.find(c.id);
                set_resource(c, it != stored.end() ? json::parse(it->second) : json::object(),
                             std::move(pending_[i].after));
            }
        }
        pending_.clear();
        const auto before = plan_.updates.size();
        std::erase_if(plan_.updates, [](const user_change& c) {
            return c.kind == user_change_kind::update && touches_nothing(c);
        });
        plan_.unchanged_users += before - plan_.updates.size();
    }

    void plan_new(source_user&& su) {
        if (!in_.rules.match_existing.empty() && in_.candidates) {
            auto found = find_adoptable(su);
            if (found.skip) {
                plan_.skipped.push_back(label(su.dn, su.anchor) + ": " + *found.skip);
                return;
            }
            if (found.record) {
                adopt(*found.record, std::move(su));
                return;
            }
        }
        new_user_ids_.emplace(su.anchor, std::nullopt);
        su.compact();
        plan_.creates.push_back(user_create{su.anchor, std::move(su.dn), std::move(su.text),
                                            su.disabled ? user_status::disabled : user_status::provisioned,
                                            std::move(su.roles)});
    }

    struct adoption {
        std::optional<user_brief> record;
        std::optional<std::string> skip;
    };

    adoption find_adoptable(const source_user& su) {
        const json resource = su.resource_tree();
        for (auto key : in_.rules.match_existing) {
            std::vector<std::string> values;
            auto text = [&](const char* name) {
                if (auto it = resource.find(name);
                    it != resource.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
                    values.push_back(it->get<std::string>());
            };
            switch (key) {
                case match_key::external_id:
                    text("externalId");
                    break;
                case match_key::user_name:
                    text("userName");
                    break;
                case match_key::email:
                    if (auto it = resource.find("emails"); it != resource.end() && it->is_array())
                        for (const auto& e : *it)
                            if (e.is_object())
                                if (auto v = e.find("value"); v != e.end() && v->is_string() &&
                                                              !v->get_ref<const std::string&>().empty())
                                    values.push_back(v->get<std::string>());
                    break;
            }
            std::vector<user_brief> found;
            for (const auto& v : values)
                for (auto& c : in_.candidates(key, v))
                    if (std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.id == c.id; }))
                        found.push_back(std::move(c));
            if (found.empty()) continue;
            const std::string by = std::string(to_string(key));
            if (found.size() > 1)
                return {std::nullopt, "ambiguous match_existing by " + by + ": " +
                                          std::to_string(found.size()) + " records match (" +
                                          found[0].user_name + ", " + found[1].user_name +
                                          (found.size() > 2 ? ", ..." : "") + "); not adopted"};
            auto& c = found.front();
            if (c.source == in_.rules.source)
                return {std::nullopt, "matches by " + by + " record '" + c.user_name +
                                          "' of this source under another anchor; not adopted"};
            if (!is_adoptable_source(c.source))
                return {std::nullopt, "matches by " + by + " record '" + c.user_name + "' of source '" +
                                          c.source + "'; records of other sources are not adopted"};
            if (adopted_ids_.contains(c.id))
                return {std::nullopt, "matches by " + by + " record '" + c.user_name +
                                          "', which another entry of this run adopts"};
            return {std::move(c), std::nullopt};
        }
        return {};
    }

    void adopt(const user_brief& u, source_user&& su) {
        adopted_ids_.insert(u.id);
        new_user_ids_.emplace(su.anchor, u.id);
        user_change c = change_of(u, user_change_kind::adopt, present_status(u.status, su.disabled));
        c.anchor = su.anchor;
        c.dn = su.dn;
        c.from_source = u.source;
        set_resource(c, json::parse(u.resource_json), su.take_resource());
        if (sorted_unique(u.roles) != su.roles) c.roles = std::move(su.roles);
        if (u.orphan_since) c.orphan_since = std::optional<common::timestamp>{};
        plan_.updates.push_back(std::move(c));
    }

    void orphan(const user_brief& u) {
        user_status status = u.status;
        if (in_.rules.orphans.action == orphan_policy::first_action::disable)
            status = user_status::disabled;
        else if (u.status == user_status::active || u.status == user_status::provisioned ||
                 u.status == user_status::pending_invite)
            status = user_status::orphan;  // disabled and requested records keep their status
        user_change c = change_of(u, user_change_kind::orphan, status);
        c.orphan_since = in_.now;
        plan_.orphans.push_back(std::move(c));
    }

    void age(const user_brief& u) {
        const auto age = in_.now - *u.orphan_since;
        const auto& rules = in_.rules.orphans;
        if (rules.delete_after && age >= *rules.delete_after) {
            plan_.deletes.push_back(
                user_delete{u.id, u.version, *u.source_anchor, u.user_name, *u.orphan_since});
        } else if (rules.disable_after && age >= *rules.disable_after && u.status != user_status::disabled) {
            plan_.disables.push_back(change_of(u, user_change_kind::orphan_disable, user_status::disabled));
        }
    }

    void orphan_group(const group_brief& g) {
        plan_.orphaned_groups.push_back(orphaned_group{g.id, *g.source_anchor, g.display_name});
        plan_.notes.push_back("group '" + g.display_name + "' (anchor " + *g.source_anchor +
                              ") is gone from the source; kept as it is");
    }

    user_change change_of(const user_brief& u, user_change_kind kind, user_status status_after) const {
        user_change c;
        c.kind = kind;
        c.id = u.id;
        c.version = u.version;
        c.anchor = u.source_anchor.value_or("");
        c.user_name = u.user_name;
        c.status_before = u.status;
        c.status_after = status_after;
        c.roles_before = u.roles;
        c.orphan_since_before = u.orphan_since;
        return c;
    }

    static void set_resource(user_change& c, const json& before, json&& after) {
        c.attributes = diff_attributes(before, after);
        if (!c.attributes.empty()) c.resource = std::move(after);
    }

    std::vector<planned_member> resolve_members(const source_group& sg) {
        std::vector<planned_member> out;
        std::unordered_set<std::string_view> named;
        std::vector<std::string_view> ignored;
        std::size_t ignored_count = 0;
        auto ignore = [&](std::string_view anchor) {
            if (ignored.size() < note_sample) ignored.push_back(anchor);
            ++ignored_count;
        };
        for (const auto& a : sg.member_user_anchors) {
            if (!named.insert(a).second) continue;
            if (const auto* existing = existing_user(a))
                out.push_back(planned_member{a, member_type::user, existing->id});
            else if (auto n = new_user_ids_.find(a); n != new_user_ids_.end())
                out.push_back(planned_member{a, member_type::user, n->second});
            else
                ignore(a);
        }
        if (in_.rules.nested == nested_groups::keep) {
            for (const auto& a : sg.member_group_anchors) {
                if (!named.insert(a).second) continue;
                if (a == sg.anchor) {
                    ignore(a);  // a group cannot contain itself
                } else if (auto it = groups_by_anchor_.find(a); it != groups_by_anchor_.end()) {
                    out.push_back(planned_member{a, member_type::group, it->second->id});
                } else if (new_group_anchors_.contains(a)) {
                    out.push_back(planned_member{a, member_type::group, std::nullopt});
                } else {
                    ignore(a);
                }
            }
        }
        if (ignored_count) {
            std::string note = "group '" + label(sg.dn, sg.anchor) + "': " + std::to_string(ignored_count) +
                               " member(s) are not records of this source and are ignored (";
            for (std::size_t i = 0; i < ignored.size(); ++i)
                note += (i ? ", " : "") + std::string(ignored[i]);
            note += ignored_count > ignored.size() ? ", ...)" : ")";
            plan_.notes.push_back(std::move(note));
        }
        return out;
    }

    void plan_group_update(const group_brief& g, source_group&& sg, std::vector<planned_member>&& members) {
        group_update u;
        u.id = g.id;
        u.version = g.version;
        u.anchor = sg.anchor;
        u.dn = sg.dn;
        u.display_name = g.display_name;
        if (sg.resource.dump() != g.resource_json) {
            u.attributes = diff_attributes(json::parse(g.resource_json), sg.resource);
            if (!u.attributes.empty()) u.resource = std::move(sg.resource);
        }
        std::unordered_set<std::string_view> current;
        current.reserve(g.members.size());
        for (const auto& m : g.members) current.insert(m.id);
        std::unordered_set<std::string_view> wanted;
        wanted.reserve(members.size());
        for (auto& m : members) {
            if (m.id) wanted.insert(*m.id);
            if (!m.id || !current.contains(*m.id)) u.add.push_back(std::move(m));
        }
        for (const auto& m : g.members)
            if (!wanted.contains(m.id) && (groups_by_id_.contains(m.id) || owned_user_ids().contains(m.id)))
                u.remove.push_back(m.id);
        if (!u.resource && u.add.empty() && u.remove.empty()) {
            ++plan_.unchanged_groups;
            return;
        }
        plan_.group_updates.push_back(std::move(u));
    }

    /// An update whose resource is diffed once the stored text is read: its place in plan_.updates, and the
    /// resource the source has.
    struct pending_diff {
        std::size_t update;
        json after;
    };

    const reconcile_input& in_;
    plan plan_;
    std::vector<pending_diff> pending_;
    /// in_.current.users that have an anchor, by anchor.
    position_index users_by_anchor_{
        [this](std::size_t i) -> std::string_view { return *in_.current.users[i].source_anchor; }};
    const user_brief* existing_user(std::string_view anchor) const {
        auto i = users_by_anchor_.find(anchor);
        return i ? &in_.current.users[*i] : nullptr;
    }
    /// The ids of the records in_.current has, built when a member is first found unwanted (a run that
    /// removes no member never builds it).
    const std::unordered_set<std::string_view>& owned_user_ids() {
        if (!users_by_id_) {
            users_by_id_.emplace();
            users_by_id_->reserve(in_.current.users.size());
            for (const auto& u : in_.current.users) users_by_id_->insert(u.id);
        }
        return *users_by_id_;
    }

    std::optional<std::unordered_set<std::string_view>> users_by_id_;
    std::unordered_map<std::string_view, const group_brief*> groups_by_anchor_;
    std::unordered_set<std::string_view> groups_by_id_;
    /// Anchors read in this run; they view the snapshot or delta, which outlives the planner.
    std::unordered_set<std::string_view> seen_users_;
    std::unordered_set<std::string_view> seen_groups_;
    std::unordered_set<std::string> skipped_anchors_;
    std::unordered_set<std::string> adopted_ids_;
    /// Users this run creates (no id yet) or adopts (their id), by anchor.
    /// The keys view the anchors of the snapshot or delta, as seen_users_ does.
    std::unordered_map<std::string_view, std::optional<std::string>> new_user_ids_;
    std::unordered_set<std::string> new_group_anchors_;
};

}  // namespace

plan reconcile(snapshot s, const reconcile_input& in) {
    planner p(in, run_mode::full);
    p.skip(std::move(s.skipped), s.skipped_anchors);
    p.upsert_users(std::move(s.users));
    p.orphan_absent_users();
    p.upsert_groups(std::move(s.groups));
    p.orphan_absent_groups();
    return p.finish();
}

plan reconcile(delta d, const reconcile_input& in) {
    planner p(in, run_mode::incremental);
    p.skip(std::move(d.skipped), d.skipped_anchors);
    p.upsert_users(std::move(d.users));
    p.upsert_groups(std::move(d.groups));
    p.orphan_deleted(d.deleted_anchors);
    return p.finish();
}

}  // namespace dirsync::sync
