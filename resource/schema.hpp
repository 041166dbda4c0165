#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::resource {

/// Schema URN of the RFC 7643 §4.1 core User resource.
inline constexpr std::string_view core_user_urn = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Schema URN of the RFC 7643 §4.2 core Group resource.
inline constexpr std::string_view core_group_urn = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Schema URN of the RFC 7643 §4.3 Enterprise User extension.
inline constexpr std::string_view enterprise_user_urn =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Schema URN of dirsyncd's read-only User extension: what the directory holds beside the IdP's resource
/// (the user's status and the directory's role assignments).
inline constexpr std::string_view directory_user_urn =
    "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User";

/// RFC 7643 §2.3 attribute data types.
enum class attribute_type { string, boolean, decimal, integer, date_time, binary, reference, complex };

/// RFC 7643 §7 "mutability".
enum class mutability { read_only, read_write, immutable, write_only };

/// RFC 7643 §7 "returned".
enum class returned { always, never, default_, request };

/// RFC 7643 §7 "uniqueness".
enum class uniqueness { none, server, global };

/// The RFC 7643 spelling of each enumerator ("dateTime", "readOnly", "default", "server", ...).
std::string_view to_string(attribute_type t) noexcept;
std::string_view to_string(mutability m) noexcept;
std::string_view to_string(returned r) noexcept;
std::string_view to_string(uniqueness u) noexcept;

/// One attribute definition (RFC 7643 §7); complex attributes carry their sub-attributes.
struct attribute {
    std::string name;
    attribute_type type = attribute_type::string;
    bool multi_valued = false;
    std::string description;
    bool required = false;
    bool case_exact = false;
    resource::mutability mutability = resource::mutability::read_write;
    resource::returned returned = resource::returned::default_;
    resource::uniqueness uniqueness = resource::uniqueness::none;
    std::vector<std::string> canonical_values;
    std::vector<std::string> reference_types;
    std::vector<attribute> sub_attributes;

    /// The sub-attribute called `sub_name` (ASCII case-insensitive); nullptr when there is none.
    const attribute* find_sub_attribute(std::string_view sub_name) const noexcept;
};

/// A schema (RFC 7643 §7): its URN id, name, description and top-level attributes.
struct schema {
    std::string id;
    std::string name;
    std::string description;
    std::vector<attribute> attributes;

    /// The top-level attribute called `attribute_name` (ASCII case-insensitive); nullptr when there is none.
    const attribute* find_attribute(std::string_view attribute_name) const noexcept;
};

/// Where an attribute path led: the declaring schema, the top-level attribute and the attribute the whole
/// path names (the sub-attribute when one was given). Pointers stay valid while the resource_schema lives.
struct attribute_lookup {
    const schema* owner = nullptr;    ///< schema declaring `top`; nullptr when the attribute is unknown
    const attribute* top = nullptr;   ///< the top-level attribute; nullptr when unknown
    const attribute* leaf = nullptr;  ///< == top without a sub-attribute; nullptr when unknown

    /// True when the whole path was found.
    explicit operator bool() const noexcept { return leaf != nullptr; }
};

/// The schemas of one resource type: a core schema plus any number of extension schemas. Extensions are data
/// (built-in or admin-declared), never code. Extension attributes live under the extension's URN key in the
/// resource JSON; core attributes at its top level.
class resource_schema {
  public:
    /// Takes the core schema and the extension schemas (in lookup order).
    explicit resource_schema(schema core, std::vector<schema> extensions = {});

    /// The core schema.
    const schema& core() const noexcept { return core_; }
    /// The extension schemas.
    const std::vector<schema>& extensions() const noexcept { return extensions_; }

    /// The core or extension schema whose id equals `urn` (ASCII case-insensitive); nullptr when none.
    const schema* find_schema(std::string_view urn) const noexcept;

    /// True when `s` is the core schema of this resource type.
    bool is_core(const schema* s) const noexcept { return s == &core_; }

    /// Resolves `[schema_urn:]attribute_name[.sub_attribute]`, all names ASCII case-insensitive.
    /// An empty `schema_urn` searches the core schema first, then the extensions in order (lenient: RFC 7644
    /// §3.10 wants extension attributes URN-qualified, but some clients omit the prefix). A URN that names no
    /// schema of this resource type yields an empty lookup.
    attribute_lookup find(std::string_view schema_urn, std::string_view attribute_name,
                          std::string_view sub_attribute = {}) const noexcept;

  private:
    schema core_;
    std::vector<schema> extensions_;
};

/// RFC 7643 §4.1/§8.7.1 core User schema, including the §3.1 common attributes id, externalId and meta (and
/// "schemas"), so filters and lookups find them.
const schema& core_user_schema();
/// RFC 7643 §4.2/§8.7.1 core Group schema (displayName, members) plus the common attributes.
const schema& core_group_schema();
/// RFC 7643 §4.3/§8.7.2 Enterprise User extension schema.
const schema& enterprise_user_schema();
/// dirsyncd's read-only directory extension of User: `status` (active, disabled, provisioned,
/// pending_invite, orphan, requested, disconnected) and `roles` (the directory's role assignments, apart from
/// the IdP's core `roles`). readOnly: clients read, filter and sort on them, never write them.
const schema& directory_user_schema();
/// Core User plus the Enterprise User and directory extensions.
const resource_schema& user_resource_schema();
/// Core Group without extensions.
const resource_schema& group_resource_schema();

/// True for the RFC 7643 §3.1 common attributes (id, externalId, meta, schemas) that the built-in core
/// schemas include for lookup but that a /Schemas response should leave out. ASCII case-insensitive.
bool is_common_attribute(std::string_view attribute_name) noexcept;

/// True for an RFC 7643 §2.1 ATTRNAME: ALPHA *("-" / "_" / DIGIT / ALPHA). ("$ref" is a SCIM path name, not
/// an attribute name a schema declares.)
bool is_attribute_name(std::string_view name) noexcept;

/// RFC 7643 §7 JSON representation (found by nlohmann::json through ADL: `nlohmann::json j = some_schema;`).
void to_json(nlohmann::json& out, const attribute& a);
void to_json(nlohmann::json& out, const schema& s);

}  // namespace dirsync::resource
