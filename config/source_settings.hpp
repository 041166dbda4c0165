#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/secret_reference.hpp"

namespace dirsync::config {

// The `sources:` section: directories that dirsyncd reads on a schedule and reconciles into a tenant's
// records. A source is the part every kind shares (name, tenant, schedule, mapping rules, safety, orphans)
// plus the settings of its kind (`type:`), one struct per kind in `source_settings::kind`. Everything here is
// checked at load; the mapping expressions, the map targets and whether a condition can be evaluated in
// memory are checked by sync/ (sync::check_sources, run through load_options::check), which points into the
// file through the text_location kept with each piece of text. Defaults that depend on the kind (for LDAP:
// "by flavour") are applied at load: after loading, `anchor`, `disabled_when` and the kind's own defaults
// hold effective values.

/// Where a piece of configuration text starts in the file, so that a later check can point inside it.
struct text_location {
    int line = 0;    ///< 1-based; 0 when unknown
    int column = 0;  ///< 1-based column of the text's first character
    /// True when character i of the text is at `column + i` on `line` (a one-line scalar without escapes, as
    /// written plain or between quotes); otherwise positions inside the text all map to its start.
    bool columns_exact = false;

    /// The file position of byte `offset` of the text.
    text_location at_offset(std::size_t offset) const noexcept {
        if (!columns_exact || line == 0) return *this;
        return text_location{line, column + static_cast<int>(offset), true};
    }
};

/// Configuration text together with where it was written.
struct located_text {
    std::string text;
    text_location location;
};

/// The language a kind's records are referred to and tested in: the names in mapping references
/// (`{givenName}` or `{name.givenName}`), `when:` and `disabled_when:` conditions, anchors and member
/// attributes.
enum class record_language {
    ldap,  ///< attribute descriptions; conditions are RFC 4515 filters
    scim,  ///< SCIM attribute paths (`name.givenName`, `emails[type eq "work"].value`, URN-qualified
           ///< names); conditions are RFC 7644 filters
};

/// The LDAP server product; it decides the defaults below.
///
/// | flavour          | anchor      | disabled_when                                  | incremental      |
/// |------------------|-------------|------------------------------------------------|------------------|
/// | openldap         | entryUUID   | (pwdAccountLockedTime=*)                       | syncrepl         |
/// | active_directory | objectGUID  | (userAccountControl:1.2.840.113556.1.4.803:=2) | usn              |
/// | 389ds            | nsUniqueId  | (nsAccountLock=true)                           | modify_timestamp |
/// | freeipa          | ipaUniqueID | (nsAccountLock=true)                           | modify_timestamp |
///
/// Default filters: users (objectClass=inetOrgPerson), on AD (&(objectCategory=person)(objectClass=user));
/// groups (|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)), on AD (objectClass=group).
enum class ldap_flavour { openldap, active_directory, ds389, freeipa };

/// `tls_verify:` demand | try | allow | never (libldap's TLS_REQCERT).
enum class ldap_tls_verify { demand, if_presented, allow, never };

/// `bind:` simple | sasl_external | anonymous.
enum class ldap_bind { simple, sasl_external, anonymous };

/// `scope:` base | one | sub.
enum class ldap_scope { base, one, sub };

/// `incremental:` how runs between full runs find what changed. `automatic` (written `auto`) is resolved
/// by flavour at load and never appears in loaded settings.
enum class incremental_method {
    automatic,
    syncrepl,          ///< RFC 4533 refreshOnly with a stored cookie; sees deletes (OpenLDAP)
    usn,               ///< uSNChanged above the highest seen, per domain controller (Active Directory)
    modify_timestamp,  ///< modifyTimestamp at or after the last run's start; deletes wait for a full run
    none,              ///< every run is a full run
};

/// `schedule:`.
struct source_schedule {
    /// Time between run starts.
    std::chrono::milliseconds every{15 * 60 * 1000};
    /// A random delay in 0..jitter added to each start; shorter than `every`.
    std::chrono::milliseconds jitter{60 * 1000};
    /// A run is full at least this often (the others are incremental); between `every` and 24h.
    std::chrono::milliseconds full_every{24 * 3600 * 1000};
};

/// `timeouts:`. Every source kind reads over the network, so every kind has them.
struct source_timeouts {
    std::chrono::milliseconds network{10'000};    ///< TCP connect and TLS handshake, per address tried
    std::chrono::milliseconds connect{30'000};    ///< connect, StartTLS and bind together
    std::chrono::milliseconds operation{60'000};  ///< one request/response exchange (a page, a bind)
    std::chrono::milliseconds run{3'600'000};     ///< the whole read of a run; a run over it fails
};

/// One entry of `users.map` or `groups.map`: a SCIM attribute path and the expression giving its value.
/// Written `target: "expression"` or `target: { value: "expression", when: "(filter)", required: true }`.
struct map_entry {
    /// The SCIM target path as written in the key: `userName`, `name.givenName`,
    /// `emails[type eq "work"].value`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
    located_text target;
    /// The mapping expression (docs/mapping.md), e.g. "{givenName} {sn}".
    located_text value;
    /// An RFC 4515 filter (syntax checked at load): the entry is mapped only for entries matching it.
    std::optional<located_text> when;
    /// An empty result skips the whole entry (with a reason) instead of leaving the attribute out.
    bool required = false;
};

/// How an anchor attribute's raw value becomes the anchor a record keeps; decided by the source kind from
/// the attribute (config::source_kind_reader::anchor_form_of).
enum class anchor_value_form {
    uuid,  ///< a UUID as text or 16 bytes, kept as canonical lower-case text (entryUUID, ipaUniqueID)
    guid,  ///< an Active Directory GUID: 16 bytes with little-endian fields (objectGUID)
    lowercase_text,  ///< text compared case-insensitively, kept lower-cased (389-DS nsUniqueId)
    exact_text,      ///< text kept as it is (an opaque id such as a SCIM server's `id`)
};

/// `users:`, the part every source kind has (the LDAP search is in ldap_source::users).
struct user_rules {
    /// The attribute holding the record's immutable id; for LDAP entryUUID, objectGUID, nsUniqueId or
    /// ipaUniqueID (default by flavour). Never the DN or a name: renames keep identity.
    std::string anchor;
    anchor_value_form anchor_form = anchor_value_form::uuid;  ///< what the anchor's values are
    /// Records matching this condition (for LDAP an RFC 4515 filter) are disabled; nullopt
    /// (`disabled_when: never`) = never. LDAP also takes { attribute: A, mask: N } (bits of an integer),
    /// { attribute: A, equals: V }, { attribute: A, present: true }, stored as the equivalent filter. Default
    /// by flavour.
    std::optional<located_text> disabled_when;
    /// In document order; `userName` is required. `active` is not allowed (disabled_when decides it).
    std::vector<map_entry> map;
    text_location map_location;  ///< where `map:` is, for messages about the map as a whole
};

/// `groups.member_values:`.
enum class member_value_kind {
    dn,    ///< each value is a member's DN
    name,  ///< each value is a user's name (memberUid), matched against groups.member_name_attribute
};

/// `groups.nested:`.
enum class nested_groups {
    flatten,  ///< a group's members are every user reachable through nested groups
    keep,     ///< member groups stay groups (SCIM Group members of type Group)
};

/// `groups:` (optional), the part every source kind has (the LDAP search is in ldap_source::groups).
struct group_rules {
    std::string anchor;  ///< as for users (same default)
    anchor_value_form anchor_form = anchor_value_form::uuid;
    std::string member_attribute = "member";  ///< the attribute listing the members
    /// What `member_attribute`'s values are: DNs (member, uniqueMember, the default) or names matched
    /// against the users' `member_name_attribute` (memberUid of posixGroup). Set from the attribute for
    /// member, uniqueMember and memberUid; any other attribute must say which (`member_values:`).
    member_value_kind member_values = member_value_kind::dn;
    /// With names: the user attribute a member name is matched against (case-insensitively).
    std::string member_name_attribute = "uid";
    nested_groups nested = nested_groups::flatten;
    /// Default: { displayName: "{cn}" }. `displayName` is required.
    std::vector<map_entry> map;
    text_location map_location;  ///< where `map:` is (line 0 for the default map)
};

/// One item of `roles:`: grants `role` to users that are members of a group (by DN, direct membership or,
/// where the reader resolved them, nested) or that match a filter. Exactly one of the two conditions.
struct role_rule {
    std::string role;                           ///< [a-z0-9][a-z0-9_-]{0,62}
    std::optional<std::string> when_member_of;  ///< group DN as written
    std::optional<located_text> when;           ///< condition (LDAP: RFC 4515 filter) on the user record
};

/// `match_existing:` which attribute may tie a source entry to a record that already exists in the tenant
/// (pushed by SCIM or created by an admin) the first time the source sees it. Tried in the order listed.
enum class match_key { external_id, user_name, emails };

/// `safety:` thresholds above which a run's orphaning is blocked until an admin releases it.
struct source_safety {
    std::uint64_t max_orphans = 500;  ///< absolute number of records a run may orphan
    double max_orphan_ratio = 0.10;   ///< share (0..1) of this source's records a run may orphan
};

/// `orphans.action:`.
enum class orphan_action {
    flag,     ///< mark the record orphan; it stays active until disable_after
    disable,  ///< mark it orphan and deactivate it at once
};

/// `orphans:` what happens to a record whose anchor is gone from the source. Ages count from the moment the
/// record was first flagged orphan; a record whose anchor returns is un-orphaned.
struct orphan_policy {
    orphan_action action = orphan_action::flag;
    /// Deactivate a flagged orphan after this long; nullopt (`never`) = stays active. Default 7d.
    std::optional<std::chrono::milliseconds> disable_after =
        std::chrono::milliseconds(7LL * 24 * 3600 * 1000);
    /// Delete the record after this long; nullopt (`never`, the default) = never deleted.
    std::optional<std::chrono::milliseconds> delete_after;
};

/// Where an LDAP source searches: `users:` / `groups:` base_dn, scope and filter.
struct ldap_search {
    std::string base_dn;
    ldap_scope scope = ldap_scope::sub;
    located_text filter;  ///< RFC 4515; default by flavour
};

/// `type: ldap` (the default): the directory, how to connect and bind, how to page and find changes.
struct ldap_source {
    static constexpr std::string_view type = "ldap";
    static constexpr record_language language = record_language::ldap;

    ldap_flavour flavour = ldap_flavour::openldap;
    /// "ldap://host[:port]" or "ldaps://host[:port]"; several separated by spaces are tried in order.
    std::string url;
    bool start_tls = false;  ///< ldap:// only
    std::string ca_file;     ///< PEM CA bundle, readable at load; empty: the system's store
    ldap_tls_verify tls_verify = ldap_tls_verify::demand;
    ldap_bind bind = ldap_bind::simple;
    std::string bind_dn;                            ///< simple bind: required
    std::optional<secret_reference> bind_password;  ///< simple bind: required; resolved at each run
    std::string client_cert_file;                   ///< sasl_external: required; readable at load
    std::string client_key_file;                    ///< sasl_external: required; readable at load
    std::uint32_t page_size = 500;                  ///< 1..10000; Active Directory returns at most 1000
    incremental_method incremental = incremental_method::automatic;  ///< resolved by flavour at load
    /// `live: true`: between runs a persistent syncrepl search (refreshAndPersist) watches the users, and
    /// each change starts an incremental run at once. Needs incremental: syncrepl.
    bool live = false;
    ldap_search users;                  ///< from `users:`
    std::optional<ldap_search> groups;  ///< from `groups:`; set exactly when source_settings::groups is

    /// Where the source is read from, for logs and the admin API (never a secret).
    std::string_view address() const noexcept { return url; }
};

/// `auth:` of a SCIM source with a fixed bearer token.
struct scim_bearer_auth {
    secret_reference token;  ///< resolved at each run
};

/// `auth:` of a SCIM source with OAuth 2.0 client credentials (RFC 6749 §4.4): the token is fetched from
/// `token_url` and reused until shortly before it expires.
struct scim_oauth_auth {
    std::string token_url;  ///< http:// or https://
    std::string client_id;
    secret_reference client_secret;  ///< resolved at each token request
    std::string scope;               ///< sent when not empty
};

/// `incremental:` of a SCIM source. `automatic` (written `auto`) asks the remote's ServiceProviderConfig
/// whether it filters; it stays in the settings and is decided at each run.
enum class scim_incremental {
    automatic,
    last_modified,  ///< filter=meta.lastModified ge "<newest seen>"; deletes wait for a full run
    none,           ///< every run is a full run
};

/// `type: scim`: a remote SCIM 2.0 service provider (an IdP, or another system serving SCIM) read page by
/// page over HTTPS.
struct scim_source {
    static constexpr std::string_view type = "scim";
    static constexpr record_language language = record_language::scim;

    /// The service's base URL (`https://host/scim/v2`): /Users, /Groups and /ServiceProviderConfig are below
    /// it. No query or fragment; a trailing '/' is dropped at load.
    std::string url;
    std::string ca_file;     ///< PEM CA bundle, readable at load; empty: the system's store
    bool tls_verify = true;  ///< false turns off certificate and host name checks (tests only)
    std::variant<scim_bearer_auth, scim_oauth_auth> auth;
    std::uint32_t page_size = 100;  ///< `count` asked per page, 1..1000; the server may return fewer
    std::uint32_t rate_limit = 0;   ///< at most this many requests per second; 0: no limit
    std::uint32_t retries = 5;      ///< retries of a request answered 429/5xx or failing to connect, 0..20
    scim_incremental incremental = scim_incremental::automatic;
    std::optional<located_text> users_filter;   ///< `users.filter`: sent with every /Users request
    std::optional<located_text> groups_filter;  ///< `groups.filter`: sent with every /Groups request

    /// The base URL, for logs and the admin API (never a secret).
    std::string_view address() const noexcept { return url; }
};

/// The settings of a source's kind, chosen by `type:`. A new kind adds its struct here (with `type`,
/// `language` and `address()`), its config/source_kind_reader, and its sync::source_access in
/// daemon/source_access.cpp.
using source_kind = std::variant<ldap_source, scim_source>;

/// The language of a source kind's records.
inline record_language language_of(const source_kind& kind) {
    return std::visit([](const auto& k) { return k.language; }, kind);
}

/// The `type:` of a source's kind.
inline std::string_view type_name(const source_kind& kind) {
    return std::visit([](const auto& k) { return std::string_view(k.type); }, kind);
}

/// Where a source of this kind is read from (ldap_source::address).
inline std::string_view address_of(const source_kind& kind) {
    return std::visit([](const auto& k) { return k.address(); }, kind);
}

/// One item of `sources:`.
struct source_settings {
    std::string name;    ///< [a-z0-9][a-z0-9_-]{0,62}, unique among sources; the records' `source`
    std::string tenant;  ///< id of a declared tenant; several sources may feed one tenant
    source_kind kind;    ///< what `type:` names, with its own settings
    source_timeouts timeouts;
    source_schedule schedule;

    user_rules users;
    std::optional<group_rules> groups;
    std::vector<role_rule> roles;
    std::vector<match_key> match_existing;  ///< default: none (never adopt)
    source_safety safety;
    orphan_policy orphans;

    /// Where the item starts in the file, for messages about the source as a whole.
    text_location location;
};

}  // namespace dirsync::config
