#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>

#include "resource/schema.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/patch_path.hpp"

namespace dirsync::scim {

/// A PATCH path resolved against the schemas of a resource type: where in the resource JSON it points and
/// the attribute definitions on the way. Names carry the schema's spelling when the schema knows them and
/// the client's otherwise (unknown attributes and extensions are kept, the canonicalizer decides on them).
struct patch_target {
    /// Key of the object holding the attribute: empty for the core schema (the resource's top level), the
    /// extension's schema id for a known extension, the URN as written for an unknown one.
    std::string container;
    /// The schema declaring the attribute (core or extension); nullptr when the URN is unknown, or the name
    /// is unqualified and no schema declares it.
    const resource::schema* owner = nullptr;
    /// The top-level attribute; empty when the path names a whole schema (`urn:...:enterprise:2.0:User`).
    std::string attribute;
    /// Its definition; nullptr when unknown.
    const resource::attribute* definition = nullptr;
    /// Filter over one value of the (multi-valued) attribute, from `attr[filter]`.
    std::optional<filter> value_filter;
    /// The sub-attribute (`name.givenName`, `emails[...].value`); empty when none.
    std::string sub_attribute;
    /// Its definition; nullptr when none or unknown.
    const resource::attribute* sub_definition = nullptr;

    /// True when the path names a whole schema rather than one attribute.
    bool names_schema() const noexcept { return attribute.empty(); }
    /// The path for messages, in canonical spelling where known.
    std::string to_string() const;
};

/// Resolves a parsed path. A URN that is a schema id of `schemas` followed by nothing names that whole
/// schema; the core URN as prefix means the top level; an unqualified name is looked up in the core schema,
/// then the extensions (lenient, as resource_schema::find). Errors (400 invalidPath): a sub-attribute of an
/// attribute the schema declares as not complex, a value filter on a single-valued attribute. Unknown names
/// are not errors.
boost::system::result<patch_target, error> resolve_patch_path(patch_path path,
                                                              const resource::resource_schema& schemas);

}  // namespace dirsync::scim
