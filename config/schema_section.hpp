#pragma once

#include <memory>
#include <vector>

#include "config/settings.hpp"
#include "config/yaml_reader.hpp"
#include "resource/service_schemas.hpp"

namespace dirsync::config {

/// Reads the top-level `schemas:` section, a list of extension schemas (see schema_settings):
///
///     schemas:
///       - id: urn:example:params:scim:schemas:extension:acme:2.0:User
///         name: AcmeUser
///         description: Acme's badge data      # optional
///         resource: User                      # or Group
///         attributes:
///           - { name: badgeNumber, type: string, required: false, case_exact: false, multi_valued: false,
///               mutability: readWrite, returned: default, uniqueness: none, canonical_values: [a, b] }
///           - { name: clearance, type: complex, sub_attributes: [ { name: level, type: integer } ] }
///
/// Every problem is reported to `sink` at its position: unknown keys, a malformed or built-in id, a duplicate
/// id or attribute name (case-insensitive), a name that is not an RFC 7643 ATTRNAME, an unknown type or
/// characteristic, sub_attributes on a non-complex attribute or a complex one without them, a complex
/// sub-attribute, reference_types on a non-reference attribute, writeOnly / returned never (credentials are
/// not stored), uniqueness other than none (not enforced), and a required readOnly attribute. Schemas with
/// problems are left out of `out`.
void read_schemas(diagnostics_sink& sink, const yaml_field& field, std::vector<schema_settings>& out);

/// The schemas a service serves with `configured` (validated by read_schemas): the built-in ones, then each
/// configured extension under the resource type it extends, in file order. What the SCIM service serves and
/// what sync mappings are checked against.
std::shared_ptr<const resource::service_schemas> served_schemas(
    const std::vector<schema_settings>& configured);

}  // namespace dirsync::config
