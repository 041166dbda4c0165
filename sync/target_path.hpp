#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "resource/schema.hpp"
#include "sync/mapping.hpp"

namespace dirsync::sync {

/// Where a mapped value goes in the SCIM resource: a map entry's key, resolved against the resource's
/// schemas. Names have the schema's spelling.
struct target_path {
    /// The schema the attribute belongs to; empty for the core schema (attribute at the top level of the
    /// resource), otherwise the extension URN (attribute under that key).
    std::string schema_urn;
    std::string attribute;      ///< e.g. "emails", "userName", "employeeNumber"
    std::string sub_attribute;  ///< e.g. "value", "givenName"; empty for a simple attribute
    /// For `emails[type eq "work"].value`: the element of the multi-valued attribute the value goes into,
    /// chosen (or created) by the sub-attribute `selector_attribute` equal to `selector_value`.
    std::string selector_attribute;  ///< e.g. "type"; empty when there is no selector
    std::string selector_value;      ///< e.g. "work"
    /// Several values go here (a multi-valued attribute without a selector: `emails.value`, or a multi-valued
    /// simple attribute): the expression is evaluated with cardinality::multiple.
    bool multiple = false;
    /// The leaf's type, for converting the mapped text (boolean, integer, decimal, dateTime).
    resource::attribute_type type = resource::attribute_type::string;

    /// The canonical text: `emails[type eq "work"].value`, `urn:...:User:employeeNumber`; two paths are the
    /// same target exactly when their canonical texts are equal.
    std::string to_string() const;
};

/// What a target may be used for.
enum class target_kind {
    user,   ///< `active` is refused (disabled_when sets it)
    group,  ///< `members` is refused (memberships come from the group's member attribute)
};

/// Parses and resolves a target path against `schema` (ASCII case-insensitive, as SCIM names are):
///
///     target := [ URN ":" ] attribute [ "." sub ]
///             | [ URN ":" ] attribute "[" selector " eq " '"' value '"' "]" "." sub
///
/// Refused, with the offset of the offending part: unknown attributes and schemas (with a suggestion),
/// read-only attributes (id, meta, groups, ...), `schemas`, `password`, `active` for users, `members` for
/// groups, a complex attribute without a sub-attribute, a selector on a single-valued attribute or one not
/// naming a sub-attribute, a selector without a following sub-attribute, an operator other than `eq`.
boost::system::result<target_path, mapping_error> parse_target(std::string_view text,
                                                               const resource::resource_schema& schema,
                                                               target_kind kind);

}  // namespace dirsync::sync
