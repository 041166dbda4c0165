#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ldap/entry.hpp"

namespace dirsync::sync {

/// One record read from a source, as the mapping language reads it (`{attribute}` references, `when:` and
/// `disabled_when:` filters, the anchor, the member attribute, memberOf): a name that identifies the record
/// in messages and member lists, and multi-valued attributes looked up by name. Values are raw bytes in the
/// source's order. An LDAP entry is one (ldap_entry_record); a JSON object read from a SCIM source becomes
/// one by exposing its attribute paths ("userName", "name.givenName", "emails.value") as names.
class source_record {
  public:
    virtual ~source_record() = default;

    /// The DN of an LDAP entry; whatever member lists name the record by for other kinds.
    virtual const std::string& name() const = 0;

    /// The values of `attribute` (ASCII case-insensitive); nullptr when the record has none.
    virtual const std::vector<std::string>* find(std::string_view attribute) const = 0;
};

/// An LDAP entry seen as a source record, without a copy: `e` must outlive it.
class ldap_entry_record final : public source_record {
  public:
    explicit ldap_entry_record(const ldap::entry& e) noexcept : entry_(e) {}

    const std::string& name() const override { return entry_.dn; }
    const std::vector<std::string>* find(std::string_view attribute) const override {
        return entry_.find(attribute);
    }

  private:
    const ldap::entry& entry_;
};

}  // namespace dirsync::sync
