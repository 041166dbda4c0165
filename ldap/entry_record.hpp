#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ldap/entry.hpp"
#include "sync/source_record.hpp"

namespace dirsync::ldap {

/// An LDAP entry as the mapping language reads it (sync::source_record): named by its DN, attributes found
/// in any case. Owns the entry (the reader moves each streamed entry in; tests build and change it as an
/// entry).
class entry_record final : public entry, public sync::source_record {
  public:
    entry_record() = default;
    explicit entry_record(entry e) : entry(std::move(e)) {}

    const std::string& name() const override { return dn; }
    const std::vector<std::string>* find(std::string_view attribute) const override {
        return entry::find(attribute);
    }
};

}  // namespace dirsync::ldap
