#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ldap/entry.hpp"
#include "sync/source_record.hpp"

namespace dirsync::ldap {

/// An LDAP entry as the mapping language reads it (sync::source_record): named by its DN, attributes found
/// in any case. Owns the entry; tests and callers that hold one build it in place and change it as an entry.
class entry_record final : public entry, public sync::source_record {
  public:
    entry_record() = default;
    explicit entry_record(entry e) : entry(std::move(e)) {}

    const std::string& name() const override { return dn; }
    const std::vector<std::string>* find(std::string_view attribute) const override {
        return entry::find(attribute);
    }
};

/// A view of an entry someone else owns as a source record: `e` must outlive it. What the LDAP reader hands
/// the mapper for each entry it streams, without a copy.
class entry_view final : public sync::source_record {
  public:
    explicit entry_view(const entry& e) noexcept : entry_(e) {}

    const std::string& name() const override { return entry_.dn; }
    const std::vector<std::string>* find(std::string_view attribute) const override {
        return entry_.find(attribute);
    }

  private:
    const entry& entry_;
};

}  // namespace dirsync::ldap
