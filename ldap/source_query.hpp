#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/entry.hpp"
#include "ldap/search_request.hpp"

namespace dirsync::ldap {

// What to read from an LDAP sync source, and the plain rules around it (anchors, filters, the state kept
// between incremental reads). Sans I/O: ldap/source_reader.hpp does the reading.

/// Which directory server a source is: decides the default anchor attribute and incremental method.
enum class directory_flavour {
    openldap,          ///< anchor entryUUID; incremental: syncrepl
    active_directory,  ///< anchor objectGUID; incremental: uSNChanged per domain controller
    ds389,             ///< 389 Directory Server: anchor nsUniqueId; incremental: modifyTimestamp
    freeipa,           ///< anchor ipaUniqueID; incremental: modifyTimestamp
    generic,           ///< anchor entryUUID (RFC 4530); incremental: modifyTimestamp
};

/// "openldap", "active_directory", "389ds", "freeipa", "generic".
std::string_view to_string(directory_flavour flavour) noexcept;
/// The names to_string gives, plus "ad" and "389-ds" (any case); nullopt otherwise.
std::optional<directory_flavour> parse_flavour(std::string_view name);

/// entryUUID (openldap, generic), objectGUID (active_directory), nsUniqueId (ds389), ipaUniqueID (freeipa).
std::string_view default_anchor_attribute(directory_flavour flavour) noexcept;

/// How incremental reads find what changed since the last read.
enum class incremental_method {
    syncrepl,   ///< RFC 4533 refreshOnly with a cookie per search; sees deletes
    usn,        ///< Active Directory: uSNChanged above the DC's highestCommittedUSN at the last read
    timestamp,  ///< modifyTimestamp at or after the last read's high-water mark
};

/// "syncrepl", "usn", "timestamp".
std::string_view to_string(incremental_method method) noexcept;
std::optional<incremental_method> parse_incremental_method(std::string_view name);
/// syncrepl for openldap, usn for active_directory, timestamp for the others.
incremental_method default_incremental_method(directory_flavour flavour) noexcept;

/// The canonical text of `e`'s anchor in `anchor_attribute` (any case): objectGUID and
/// mS-DS-ConsistencyGuid (16 raw bytes) through format_guid; entryUUID and ipaUniqueID through format_uuid;
/// nsUniqueId ("66446001-1dd211b2-8c0bd7f9-d4de0000") lowercased as it is; any other attribute as it is.
/// nullopt when the entry lacks the attribute, has several values, or the value is not in its form.
std::optional<std::string> extract_anchor(const entry& e, std::string_view anchor_attribute);

/// An equality filter finding the entry whose anchor (as extract_anchor gives it) is `anchor`:
/// "(entryUUID=…)", or "(objectGUID=\xx…)" with the GUID's bytes. nullopt when `anchor` is not in the
/// attribute's form.
std::optional<std::string> anchor_filter(std::string_view anchor_attribute, std::string_view anchor);

/// `filter` with its outer parentheses ("uid=x" becomes "(uid=x)"; empty becomes "(objectClass=*)").
std::string parenthesized_filter(std::string_view filter);
/// "(&a b…)" of the parenthesized filters; one filter alone is returned parenthesized.
std::string and_filters(const std::vector<std::string>& filters);

/// One search of a source.
struct entry_query {
    std::string base;
    search_scope scope = search_scope::subtree;
    std::string filter = "(objectClass=*)";
    /// What the mapping reads (disabled_when attributes included). The reader adds the anchor attribute
    /// (and modifyTimestamp when it tracks timestamps); empty: all user attributes.
    std::vector<std::string> attributes;
    /// Entries per page; nullopt: the connection's page size.
    std::optional<std::uint32_t> page_size;
};

/// The groups search: members come from `member_attribute`, ranged values completed.
struct group_query : entry_query {
    std::string member_attribute = "member";
};

/// What a read of one source fetches.
struct source_query {
    directory_flavour flavour = directory_flavour::generic;
    /// Empty: default_anchor_attribute(flavour).
    std::string anchor_attribute;
    entry_query users;
    std::optional<group_query> groups;
    /// The LDAP filter conditions of the role rules, in rule order: the users each matches (within the
    /// users search) hold the role; reported by index into this list.
    std::vector<std::string> role_filters;

    /// `anchor_attribute`, or the flavour's default.
    std::string effective_anchor_attribute() const;
};

/// The high-water mark of one Active Directory domain controller.
struct dc_high_water {
    /// The DC's invocationId (canonical GUID text), which changes when it is restored from a backup and
    /// its USNs are reused; "" when it could not be read.
    std::string invocation_id;
    std::uint64_t usn = 0;  ///< highestCommittedUSN when the last read began

    friend bool operator==(const dc_high_water&, const dc_high_water&) = default;
};

/// What an incremental read needs from the previous read; stored between runs as JSON.
struct incremental_state {
    incremental_method method = incremental_method::timestamp;
    /// syncrepl: the cookies of the users and groups searches; nullopt: none yet (an initial refresh).
    std::optional<std::string> users_cookie;
    std::optional<std::string> groups_cookie;
    /// usn: by DC host name (the RootDSE's dnsHostName, lowercase). USNs are per DC: a read served by a DC
    /// without an entry here needs a full read first.
    std::map<std::string, dc_high_water> domain_controllers;
    /// timestamp: entries with modifyTimestamp at or after this GeneralizedTime ("YYYYMMDDHHMMSSZ") are
    /// read; nullopt: none yet.
    std::optional<std::string> since;

    friend bool operator==(const incremental_state&, const incremental_state&) = default;
};

/// {"method": "syncrepl", "users_cookie": "...", "groups_cookie": "...", "domain_controllers":
/// {"dc1.example.com": {"invocation_id": "...", "usn": 12345}}, "since": "20240131235959Z"}; absent members
/// are left out. Cookies that are not printable ASCII are stored base64 under "users_cookie_base64" /
/// "groups_cookie_base64".
void to_json(nlohmann::json& j, const incremental_state& state);
/// The inverse of to_json; nullopt when `j` is not such an object (unknown method, wrong types, bad base64).
std::optional<incremental_state> parse_incremental_state(const nlohmann::json& j);

}  // namespace dirsync::ldap
