#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace dirsync::directory {

/// What a group member is.
enum class member_type { user, group };

/// "User" / "Group" (the SCIM spelling, also the stored one).
std::string_view to_string(member_type t) noexcept;
/// Parses "User" / "Group" ASCII case-insensitively; nullopt for anything else.
std::optional<member_type> parse_member_type(std::string_view s) noexcept;

/// A member of a group as stored.
struct group_member {
    std::string id;  ///< id of a user or group of the same tenant
    member_type type = member_type::user;
    /// The member's current name: a user's displayName (its userName when it has none), a group's
    /// displayName. Derived on every read, so a rename shows at once; what a writer sends is not kept.
    std::optional<std::string> display;
};

/// A member as a writer names it. The directory checks that `id` is a user or group of the tenant and that
/// `type`, when given, says which.
struct member_ref {
    std::string id;
    std::optional<member_type> type;
    std::optional<std::string> display;  ///< as the writer sent it: not stored (see group_member::display)
};

/// A tenant group record.
///
/// `resource` is the authoritative content: the SCIM Group resource as last written (displayName,
/// externalId, unknown attributes and extension objects as sent), without `id`, `meta` and `members`. Members
/// live apart (one stored row each), so a membership change never reads or rewrites the others.
struct group {
    std::string tenant_id;
    std::string id;  ///< server-assigned UUID, immutable
    nlohmann::json resource = nlohmann::json::object();

    // Projections of `resource`.
    std::string
        display_name;  ///< required; NOT unique (RFC 7643 does not ask it; IdPs match on it by filter)
    std::optional<std::string> external_id;

    std::string source = "scim";               ///< "scim", "admin", or a sync source name
    std::optional<std::string> source_anchor;  ///< immutable id of the group in its source

    common::timestamp created{};
    common::timestamp last_modified{};
    std::int64_t version =
        0;  ///< incremented on every change, membership included; the ETag is W/"<version>"

    /// The members, by id; nullopt when the read did not ask for them.
    std::optional<std::vector<group_member>> members;
};

/// What a writer supplies to create a group.
struct group_write {
    nlohmann::json resource =
        nlohmann::json::object();  ///< canonical SCIM resource, without id, meta, members
    std::vector<member_ref> members;
    std::string source = "scim";
    /// The group's id in its sync source; unique per (tenant, source).
    std::optional<std::string> source_anchor;
};

/// One membership operation of a group change. A change's steps apply in order, as one net change.
struct member_step {
    enum class kind {
        add,              ///< add `members` (re-adding one is no change)
        remove,           ///< remove the members whose ids are in `members` (absent ones are ignored)
        remove_all,       ///< remove every member (a following add makes it a replace of the set)
        remove_matching,  ///< remove the members for which `matches` is true (reads the member list)
    };
    kind what = kind::add;
    std::vector<member_ref> members;
    std::function<bool(const group_member&)> matches;

    static member_step add(std::vector<member_ref> m) { return {kind::add, std::move(m), {}}; }
    static member_step remove(std::vector<member_ref> m) { return {kind::remove, std::move(m), {}}; }
    static member_step remove_all() { return {kind::remove_all, {}, {}}; }
    static member_step remove_matching(std::function<bool(const group_member&)> f) {
        return {kind::remove_matching, {}, std::move(f)};
    }
};

/// What a modification of a group writes: the new resource (without members) and the membership steps.
struct group_change {
    nlohmann::json resource = nlohmann::json::object();
    std::vector<member_step> members;
};

/// An attribute of groups with an index, for `find_groups`.
enum class group_index { id, display_name, external_id };

}  // namespace dirsync::directory
