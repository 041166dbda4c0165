#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/attribute_description.hpp"
#include "ldap/control.hpp"

namespace dirsync::ldap {

/// One directory entry as returned by a search. Values are raw bytes (binary-safe: objectGUID, objectSid,
/// jpegPhoto arrive untouched); text values are UTF-8 as LDAP sends them.
struct entry {
    /// The DN exactly as the server wrote it (not normalized: compare DNs with care, or better by anchor).
    std::string dn;
    /// Attribute description, lowercased ("objectguid", "member", "usercertificate;binary") -> values in
    /// the server's order. An attribute requested but absent from the entry is absent here.
    std::map<std::string, std::vector<std::string>, std::less<>> attributes;
    /// Response controls the server attached to the SearchResultEntry (the Sync State Control of a
    /// syncrepl search); empty for ordinary searches.
    std::vector<control> controls;

    /// The values of `name` (any case), or nullptr when the entry has no such attribute.
    const std::vector<std::string>* find(std::string_view name) const;
    /// The first value of `name` (any case), or "" when absent.
    std::string_view first(std::string_view name) const;

    friend bool operator==(const entry&, const entry&) = default;
};

}  // namespace dirsync::ldap
