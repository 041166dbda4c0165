#pragma once

#include <boost/system/result.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/source_settings.hpp"
#include "resource/schema.hpp"
#include "sync/source_data.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

/// An entry the mapper did not turn into a user or group, and why. Not an error of the run: the entry is
/// left out (and its record, if any, is neither updated nor orphaned).
struct skipped_entry {
    std::string dn;
    std::optional<std::string> anchor;  ///< when it could be read
    std::string reason;                 ///< e.g. "required attribute 'uid' is missing (userName)"

    /// "dn: reason", the form of snapshot::skipped.
    std::string to_string() const { return dn + ": " + reason; }
};

/// A group as mapped from its entry, members still as DNs (snapshot_builder resolves them to anchors).
struct mapped_group {
    source_group group;  ///< member anchors empty
    /// normalize_dn() of the values of the member attribute, unique, in the entry's order (members as DNs).
    std::vector<std::string> member_dns;
    /// fold_case() of the values of the member attribute, unique, in the entry's order (members as names,
    /// groups.member_values: name); snapshot_builder matches them with member_name_of() of the users.
    std::vector<std::string> member_names;
};

namespace detail {
struct source_mapper_state;
}

/// A source's mapping rules, compiled once from its configuration, applied to every record a run reads (an
/// LDAP entry, or any other sync::source_record).
///
/// For a user entry: the anchor (by the configured anchor attribute: objectGUID's 16 bytes in canonical GUID
/// form, entryUUID and ipaUniqueID checked and lowercased, nsUniqueId lowercased), the SCIM User resource
/// built from `users.map` (below), `disabled` from `users.disabled_when`, and the roles of the `roles:`
/// rules whose filter matches the entry or whose group DN is among the entry's memberOf values (more roles
/// may come from group entries: see role_for_groups). For a group entry: the anchor, the SCIM Group resource
/// from `groups.map`, and the DNs in `groups.member_attribute`.
///
/// The resource: map entries are applied in order; an entry with `when:` only to entries matching its
/// filter; an entry whose target already got a value from an earlier entry is skipped (so a later entry for
/// the same target is a fallback). Core attributes go at the top level, extension attributes under their
/// URN; `name.givenName` makes {"name":{"givenName":..}}; `emails[type eq "work"].value` makes or completes
/// the emails element whose type is "work"; `emails.value` (multi-valued) adds one element per value. Empty
/// values are left out, elements of a multi-valued attribute without a `value` are dropped, and `schemas`
/// lists the core URN and the extension URNs used. Text becomes the target's type: boolean (true/false, any
/// case), integer, decimal, dateTime (RFC 3339, or LDAP GeneralizedTime such as 20240131120000Z, written
/// back as RFC 3339 UTC); a value that does not convert, or is not UTF-8 text, is left out with a note.
///
/// Skipped (a skipped_entry, never an exception): no anchor or a malformed one; a required reference
/// (`{uid!}`) or a `required: true` entry empty; no userName (users) or displayName (groups).
///
/// Immutable after compile; share it between threads freely. Copies share the compiled rules.
class source_mapper {
  public:
    /// Compiles the rules of `source` against the User and Group schemas of its tenant: target paths
    /// (sync/target_path.hpp), expressions (sync/mapping.hpp), `when:` and `disabled_when:` filters for
    /// evaluation in memory (sync/ldap_filter_match.hpp), that users.map maps userName and groups.map
    /// displayName, and that no target is mapped twice (unless the earlier entry has `when:`). Each problem
    /// is appended to `out` as "file:line:column" pointing inside the configuration text where the settings
    /// kept it exact; nullopt when there was any.
    static std::optional<source_mapper> compile(const config::source_settings& source,
                                                const resource::resource_schema& users,
                                                const resource::resource_schema& groups,
                                                const std::string& file,
                                                std::vector<config::diagnostic>& out);

    /// The source's name (records it owns carry it as `source`).
    const std::string& source_name() const noexcept;

    /// Attribute descriptions a user search must request (lowercase, sorted): the anchor, every attribute the
    /// map, filters and role rules read, memberOf when a role is by group. Operational attributes (entryUUID,
    /// nsAccountLock, memberOf) are only returned by a server when named, hence the explicit list.
    const std::vector<std::string>& user_attributes() const noexcept;

    /// As user_attributes, for group searches (anchor, member attribute, the group map's attributes).
    const std::vector<std::string>& group_attributes() const noexcept;

    /// The name a group lists `user` by when the source's groups list members by name (memberUid): the
    /// fold_case() of the first value of groups.member_name_attribute; nullopt when members are DNs or the
    /// user has no such value.
    std::optional<std::string> member_name_of(const source_record& user) const;

    /// Whether the source reads groups (a `groups:` section).
    bool has_groups() const noexcept;

    /// Maps a user record. Values left out for a reason (not UTF-8, not convertible) are described in
    /// `notes` ("dn: ...") when it is given.
    boost::system::result<source_user, skipped_entry> map_user(
        const source_record& e, std::vector<std::string>* notes = nullptr) const;

    /// Maps a group record; requires has_groups().
    boost::system::result<mapped_group, skipped_entry> map_group(
        const source_record& e, std::vector<std::string>* notes = nullptr) const;

    /// The roles of the `when_member_of` rules whose group DN is in `group_dns` (normalize_dn() form, e.g.
    /// every group a user reaches through nesting), sorted and unique.
    std::vector<std::string> roles_for_groups(const std::vector<std::string>& group_dns) const;

    /// Whether any role rule is by group (`when_member_of`).
    bool has_group_roles() const noexcept;

  private:
    explicit source_mapper(std::shared_ptr<const detail::source_mapper_state> s) : state_(std::move(s)) {}
    std::shared_ptr<const detail::source_mapper_state> state_;
};

}  // namespace dirsync::sync
