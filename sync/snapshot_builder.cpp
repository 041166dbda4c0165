#include "sync/snapshot_builder.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"

namespace dirsync::sync {

namespace {

constexpr std::size_t max_notes = 1000;

}  // namespace

snapshot_builder::snapshot_builder(const source_mapper& mapper, bool flatten_nested_groups)
    : mapper_(mapper),
      flatten_(flatten_nested_groups),
      users_by_anchor_([this](std::size_t i) -> std::string_view { return out_.users[i].anchor; }),
      users_by_dn_([this](std::size_t i) -> std::string_view { return user_dns_[i]; }) {}

void snapshot_builder::note(std::string text) {
    ++note_count_;
    if (notes_.size() < max_notes) notes_.push_back(std::move(text));
}

void snapshot_builder::reserve(std::size_t users) {
    out_.users.reserve(users);
    user_dns_.reserve(users);
    users_by_anchor_.reserve(users);
    users_by_dn_.reserve(users);
}

void snapshot_builder::drop_stored_texts(stored_digest_lookup stored) {
    stored_ = std::move(stored);
    for (auto& u : out_.users) drop_if_stored(u);
}

void snapshot_builder::drop_if_stored(source_user& u) const {
    if (!stored_ || u.stored_as_is || u.text.empty()) return;
    if (const auto* digest = stored_(u.anchor); digest && u.stored_text_digest_is(*digest)) {
        std::string().swap(u.text);
        u.stored_as_is = true;
    }
}

void snapshot_builder::add_user(const source_record& e) {
    std::vector<std::string> notes;
    auto mapped = mapper_.map_user(e, &notes);
    for (auto& n : notes) note(std::move(n));
    if (!mapped) {
        out_.skipped.push_back(mapped.error().to_string());
        if (mapped.error().anchor) out_.skipped_anchors.push_back(*mapped.error().anchor);
        return;
    }
    // One entry per anchor: a repeated anchor is skipped.
    const std::size_t position = out_.users.size();
    out_.users.push_back(std::move(*mapped));
    if (auto first = users_by_anchor_.insert(position)) {
        out_.skipped.push_back(out_.users[position].dn + ": the same anchor as " + out_.users[*first].dn);
        out_.users.pop_back();
        return;
    }
    auto& u = out_.users.back();
    user_dns_.push_back(ldap::normalize_dn(u.dn));
    users_by_dn_.insert(position);
    if (auto name = mapper_.member_name_of(e)) user_names_.emplace_back(position, std::move(*name));
    u.compact(stored_ ? stored_(u.anchor) : nullptr);
}

void snapshot_builder::add_group(const source_record& e) {
    std::vector<std::string> notes;
    auto mapped = mapper_.map_group(e, &notes);
    for (auto& n : notes) note(std::move(n));
    if (!mapped) {
        out_.skipped.push_back(mapped.error().to_string());
        if (mapped.error().anchor) out_.skipped_anchors.push_back(*mapped.error().anchor);
        return;
    }
    groups_.push_back(std::move(*mapped));
}

snapshot snapshot_builder::finish() {
    // One group per anchor: a repeated anchor is skipped (a repeated user anchor was, when added).
    {
        std::unordered_map<std::string_view, std::size_t> first;
        std::vector<mapped_group> groups;
        groups.reserve(groups_.size());  // the keys view anchors in `groups`, which must not move
        for (auto& g : groups_) {
            if (auto it = first.find(g.group.anchor); it != first.end()) {
                out_.skipped.push_back(g.group.dn + ": the same anchor as " + groups[it->second].group.dn);
                continue;
            }
            groups.push_back(std::move(g));
            first.emplace(groups.back().group.anchor, groups.size() - 1);
        }
        groups_ = std::move(groups);
    }

    std::unordered_map<std::string, std::size_t> group_by_dn;
    std::vector<std::string> group_dns;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        group_dns.push_back(ldap::normalize_dn(groups_[i].group.dn));
        group_by_dn.emplace(group_dns.back(), i);
    }

    // Members listed by name (memberUid) resolve to users by their name; a name two users have is ambiguous
    // and resolves to neither.
    std::unordered_map<std::string, std::size_t> user_by_name;
    std::unordered_set<std::string> ambiguous_names;
    for (const auto& [position, name] : user_names_)
        if (!user_by_name.emplace(name, position).second) ambiguous_names.insert(name);
    for (const auto& n : ambiguous_names) user_by_name.erase(n);

    // Direct members by index.
    std::vector<std::vector<std::size_t>> direct_users(groups_.size());
    std::vector<std::vector<std::size_t>> direct_groups(groups_.size());
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        std::vector<std::string> unmatched;
        for (const auto& name : groups_[g].member_names) {
            if (auto u = user_by_name.find(name); u != user_by_name.end())
                direct_users[g].push_back(u->second);
            else
                unmatched.push_back(ambiguous_names.contains(name) ? name + " (several users)" : name);
        }
        if (!unmatched.empty()) {
            std::string listed;
            for (std::size_t i = 0; i < unmatched.size() && i < 10; ++i)
                listed += (i == 0 ? "" : ", ") + unmatched[i];
            if (unmatched.size() > 10) listed += ", ...";
            note(groups_[g].group.dn + ": " + std::to_string(unmatched.size()) +
                 (unmatched.size() == 1 ? " member name matches" : " member names match") +
                 " no user read from this source: " + listed);
        }
        std::size_t unknown = 0;
        for (const auto& dn : groups_[g].member_dns) {
            if (auto u = users_by_dn_.find(dn)) {
                direct_users[g].push_back(*u);
            } else if (auto n = group_by_dn.find(dn); n != group_by_dn.end()) {
                if (n->second != g) direct_groups[g].push_back(n->second);
            } else {
                ++unknown;
            }
        }
        if (unknown > 0)
            note(groups_[g].group.dn + ": " + std::to_string(unknown) +
                 (unknown == 1 ? " member is" : " members are") +
                 " not a user or group read from this source");
    }

    // Users reachable from each group through nesting, when flattening or granting roles by group.
    bool group_roles = mapper_.has_group_roles();
    std::vector<std::vector<std::size_t>> reachable(groups_.size());
    if (flatten_ || group_roles) {
        for (std::size_t g = 0; g < groups_.size(); ++g) {
            std::vector<bool> seen_group(groups_.size(), false);
            std::unordered_set<std::size_t> seen_user;
            std::vector<std::size_t> stack{g};
            seen_group[g] = true;
            while (!stack.empty()) {
                auto current = stack.back();
                stack.pop_back();
                for (auto u : direct_users[current])
                    if (seen_user.insert(u).second) reachable[g].push_back(u);
                for (auto n : direct_groups[current])
                    if (!seen_group[n]) {
                        seen_group[n] = true;
                        stack.push_back(n);
                    }
            }
        }
    }

    for (std::size_t g = 0; g < groups_.size(); ++g) {
        auto& group = groups_[g].group;
        const auto& users = flatten_ ? reachable[g] : direct_users[g];
        for (auto u : users) group.member_user_anchors.push_back(out_.users[u].anchor);
        if (!flatten_)
            for (auto n : direct_groups[g]) group.member_group_anchors.push_back(groups_[n].group.anchor);
    }

    if (group_roles && !groups_.empty()) {
        std::vector<std::vector<std::string>> groups_of_user(out_.users.size());
        for (std::size_t g = 0; g < groups_.size(); ++g)
            for (auto u : reachable[g]) groups_of_user[u].push_back(group_dns[g]);
        for (std::size_t u = 0; u < out_.users.size(); ++u) {
            if (groups_of_user[u].empty()) continue;
            auto& roles = out_.users[u].roles;
            auto more = mapper_.roles_for_groups(groups_of_user[u]);
            roles.insert(roles.end(), more.begin(), more.end());
            std::sort(roles.begin(), roles.end());
            roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
        }
    }

    for (auto& g : groups_) out_.groups.push_back(std::move(g.group));
    // Released, not kept for a builder that is done: the run plans while the builder is still in scope.
    groups_ = {};
    users_by_anchor_.release();
    users_by_dn_.release();
    user_dns_ = {};
    user_names_ = {};
    return std::move(out_);
}

}  // namespace dirsync::sync
