#pragma once

// Internal to config/: what reading one `sources:` item asks of the item's kind (`type:`). The common reader
// (source_section.cpp) reads the keys every kind has and hands the kind its own keys, the defaults that
// follow from it and the languages its records are tested and referred to in. One implementation per kind,
// in its own file (ldap_source_section.cpp for `type: ldap`).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/source_settings.hpp"
#include "config/yaml_reader.hpp"

namespace dirsync::config {

class source_kind_reader {
  public:
    virtual ~source_kind_reader() = default;

    /// Reads the kind's own keys of the item (how to connect, page and find changes). The item's map is
    /// shared: the caller reports unknown keys once both have asked for theirs.
    virtual void read_item(map_reader& item) = 0;
    /// Reads the kind's keys of `users:` (shared map as above).
    virtual void read_users(map_reader& users) = 0;
    /// Reads the kind's keys of `groups:` (shared map as above); called exactly when the item has groups.
    virtual void read_groups(map_reader& groups) = 0;

    /// The anchor of users and groups when `anchor:` is not given (after read_item).
    virtual std::string default_anchor() const = 0;
    /// The kind's defaults of `groups:` (member attribute and what its values are, the map), set on `g`
    /// before the item's keys are read.
    virtual void default_group_rules(group_rules& g) const = 0;
    /// `disabled_when:` when it is not given (after read_item).
    virtual std::optional<located_text> default_disabled_when() const = 0;
    /// `anchor:`: an immutable id attribute of the kind's records.
    virtual std::optional<std::string> read_anchor(const yaml_field& field) = 0;
    /// What the values of anchor attribute `anchor` (a default or read_anchor's) are.
    virtual anchor_value_form anchor_form_of(std::string_view anchor) const = 0;
    /// `disabled_when:`: a condition, a shorthand for one, or `never` (nullopt inside the optional).
    virtual std::optional<std::optional<located_text>> read_disabled_when(const yaml_field& field) = 0;
    /// A `when:` condition of a map entry or a role, in the kind's condition language.
    virtual std::optional<located_text> read_condition(const yaml_field& field) = 0;
    /// What read_condition takes, for messages: "an LDAP filter".
    virtual std::string_view condition_language() const = 0;
    /// `when_member_of:`: a group as the kind's user records refer to it.
    virtual std::optional<std::string> read_group_reference(const yaml_field& field) = 0;
    /// What read_group_reference takes, for messages: "a group DN".
    virtual std::string_view group_reference_form() const = 0;
    /// An attribute name of the kind's records (`member_attribute:`).
    virtual std::optional<std::string> read_attribute_name(const yaml_field& field) = 0;

    /// The kind's settings as read (called once, last).
    virtual source_kind take_settings() = 0;
};

/// The reader of `type: ldap` items. `yaml_text` is the whole file, for positions inside filters.
std::unique_ptr<source_kind_reader> ldap_source_reader(diagnostics_sink& sink, std::string_view yaml_text);
/// The reader of `type: scim` items (a remote SCIM service provider).
std::unique_ptr<source_kind_reader> scim_source_reader(diagnostics_sink& sink, std::string_view yaml_text);

}  // namespace dirsync::config
