#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scim/attribute_path.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

/// The "path" of one PATCH operation, as written (RFC 7644 §3.5.2, with errata 7122):
///
///     PATH = attrPath / valuePath [ "." subAttr ]
///
/// e.g. `userName`, `name.givenName`, `urn:...:enterprise:2.0:User:manager.value`, `members[value eq "x"]`,
/// `emails[type eq "work"].value`. Names keep the client's spelling; resolve_patch_path() maps them onto a
/// schema.
struct patch_path {
    /// `[urn:]attribute[.sub]`. For a value path `attribute` is the multi-valued attribute before "[" and
    /// `sub_attribute` the name after "]." (empty when none).
    attribute_path attribute;
    /// The filter between "[" and "]", over one value of `attribute`; nullopt for a plain attrPath.
    std::optional<filter> value_filter;

    /// The path rendered back: `emails[type eq "work"].value` (filter in canonical form, see
    /// to_string(filter)).
    std::string to_string() const;
};

/// Parses a PATCH path. Surrounding whitespace is ignored; anything else outside the grammar (an empty path,
/// an unbalanced bracket, `name..x`, a filter expression such as `emails[type eq "work"].value eq "x"` or
/// `userName eq "x"`, a sub-attribute before "[") is 400 invalidPath, with a detail naming the offset. Names
/// are checked for syntax only. The value filter obeys `limits` (its length applies to the whole path).
boost::system::result<patch_path, error> parse_patch_path(std::string_view text,
                                                          const filter_limits& limits = {});

/// The offset of the first character of `text` that is one of `stops` outside brackets and quoted strings
/// (with their backslash escapes), i.e. where a path written inside a larger text ends: a value path's filter
/// may hold any of them (`emails[value eq "a,b}"]`). text.size() when there is none.
std::size_t path_end(std::string_view text, std::string_view stops) noexcept;

/// parse_patch_path's grammar, answering why a text is not a path ("expected ']' at position 17") for callers
/// that word the error themselves (`attributes=emails[type eq "work"]` is 400 invalidValue there).
boost::system::result<patch_path, std::string> parse_path_syntax(std::string_view text,
                                                                 const filter_limits& limits = {});

}  // namespace dirsync::scim
