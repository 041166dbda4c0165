#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::sync {

/// One record read from a source, as the mapping language reads it (`{attribute}` references, `when:` and
/// `disabled_when:` filters, the anchor, the member attribute, memberOf): a name that identifies the record
/// in messages and member lists, and multi-valued attributes looked up by name. Values are raw bytes in the
/// source's order. An LDAP entry is one (ldap::entry_record); a JSON object read from a SCIM source becomes
/// one by exposing its attribute paths ("userName", "name.givenName", "emails.value") as names.
class source_record {
  public:
    virtual ~source_record() = default;

    /// The DN of an LDAP entry; whatever member lists name the record by for other kinds.
    virtual const std::string& name() const = 0;

    /// The values of `attribute` (ASCII case-insensitive); nullptr when the record has none.
    virtual const std::vector<std::string>* find(std::string_view attribute) const = 0;

    /// The record as a JSON resource, for kinds that read JSON (a SCIM source): what conditions in the SCIM
    /// filter language are evaluated against. nullptr for other kinds.
    virtual const nlohmann::json* resource() const { return nullptr; }
};

}  // namespace dirsync::sync
