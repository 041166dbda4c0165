#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/query_string.hpp"
#include "resource/schema.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

/// Which attributes of a resource a response carries: the `attributes` / `excludedAttributes` selection of
/// RFC 7644 §3.4.2.5 and §3.9 combined with the RFC 7643 §7 "returned" characteristic, resolved against one
/// resource type's schemas. Rules, per attribute and per sub-attribute:
///  - "never" (password) is never returned; "always" (id, schemas) is always returned, whatever was selected;
///  - without a selection, "default" attributes are returned and "request" ones are not;
///  - with `attributes`, only the attributes named are returned (plus the "always" ones). Naming a complex
///    attribute (`name`) returns its sub-attributes, "request" ones included; naming sub-attributes
///    (`name.givenName`, `emails.value`) returns only those of each value (plus the "always" ones). Naming an
///    extension schema URN returns that extension's "default" attributes. `meta` is "default" (RFC 7643
///    §3.1), so `attributes=userName` answers `id`, `schemas` and `userName` only;
///  - with `excludedAttributes`, the attributes or sub-attributes named are left out of the default set;
///    "always" attributes cannot be excluded;
///  - a value path (`emails[type eq "work"]`, `emails[value eq "a@b.c"].value`, as Microsoft's reference
///    clients send) selects values rather than the whole attribute: in `attributes`, the attribute is
///    returned with only the values its filter matches (each whole, or only the sub-attribute after "].";
///    values a plain sub-attribute path also names keep that one); in `excludedAttributes`, the matching
///    values (or that sub-attribute of them) are left out. The filter is read as in filters and PATCH paths
///    (matches_value), so a value that is not an object answers to "value".
/// Paths are `[schema-URN:]attribute[.sub-attribute]`, ASCII case-insensitive; an unqualified name that the
/// core schema lacks is looked up in the extensions. Names no schema knows are not errors (RFC 7644 is
/// silent; we are lenient): they select or exclude JSON members of that name, which the stored resource may
/// have since dirsyncd keeps attributes it does not know, and otherwise select nothing. A complex or
/// multi-valued value that loses all its members is left out entirely; `schemas` is kept as rendered.
/// Immutable once made; keeps a reference to the resource_schema, which must outlive it.
class projection {
  public:
    /// The selection-free projection: every attribute but those returned "never" or "request".
    explicit projection(const resource::resource_schema& schema) noexcept : schema_(&schema) {}

    /// Builds a projection from the values of `attributes` and `excludedAttributes`; each element may itself
    /// hold several comma-separated paths (the query-string form), blanks around them are ignored. Errors:
    /// 400 invalidValue when both lists name something (RFC 7644 §3.9: they are mutually exclusive) or when
    /// an element is not an attribute or value path (`a b`, `name.givenName.x`, `emails[type eq]`). Commas
    /// inside brackets or quotes (`emails[value eq "a,b"]`) do not separate paths.
    static boost::system::result<projection, error> make(const resource::resource_schema& schema,
                                                         std::span<const std::string> attributes,
                                                         std::span<const std::string> excluded_attributes);

    /// make() from the `attributes` and `excludedAttributes` query parameters (names case-insensitive).
    static boost::system::result<projection, error> from_query(const resource::resource_schema& schema,
                                                               const http::query_params& params);

    /// `resource` (a rendered SCIM resource: core attributes at the top level, extensions under their URN)
    /// reduced to what the response carries. Never throws for any JSON (std::bad_alloc aside); a
    /// non-object is returned unchanged.
    nlohmann::json apply(nlohmann::json resource) const;

    /// The resource type's schemas this projection was resolved against.
    const resource::resource_schema& schema() const noexcept { return *schema_; }

    /// True when neither `attributes` nor `excludedAttributes` named anything.
    bool is_default() const noexcept { return mode_ == mode::defaults; }

  private:
    enum class mode { defaults, include, exclude };

    /// One attribute path of the selection, resolved: `container` is empty for core (top-level) attributes,
    /// otherwise the extension's URN (the schema's spelling when the schema is known); `attribute` is empty
    /// when the whole schema was named.
    struct selected {
        std::string container;
        std::string attribute;
        std::string sub_attribute;
        std::optional<filter> value_filter;  ///< `attribute[...]`: the values the path is about
    };

    friend struct projection_rules;
    friend bool is_returned(const projection& p, std::string_view attribute_path);

    const resource::resource_schema* schema_;
    mode mode_ = mode::defaults;
    std::vector<selected> paths_;
};

/// True when a response shaped by `p` carries the attribute at `attribute_path` (`members`, `emails.value`,
/// `urn:...:enterprise:2.0:User:manager`) whenever the resource has it, even if only some of its
/// sub-attributes: lets an endpoint skip loading what will not be returned (e.g. a Group's `members` when the
/// client asked for `attributes=displayName`). Remember that a filter or sortBy may still need it. A path
/// that does not parse is never returned.
bool is_returned(const projection& p, std::string_view attribute_path);

}  // namespace dirsync::scim
