#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "scim/filter_error.hpp"

namespace dirsync::scim {

/// An RFC 7644 §3.10 attribute path: `[schema-URN ":"] attribute ["." sub-attribute]`, names as written by
/// the client (matching is case-insensitive, spelling is kept for messages and rendering).
struct attribute_path {
    std::string schema_urn;     ///< e.g. "urn:ietf:params:scim:schemas:core:2.0:User"; empty when unqualified
    std::string attribute;      ///< e.g. "name", "emails", "$ref"
    std::string sub_attribute;  ///< e.g. "familyName"; empty when none

    /// `urn:...:User:name.familyName`, `emails.value`, `userName`.
    std::string to_string() const;

    friend bool operator==(const attribute_path&, const attribute_path&) = default;
};

/// True for an RFC 7644 ATTRNAME (ALPHA *(ALPHA / DIGIT / "-" / "_")) or "$ref" (any case).
bool is_attribute_name(std::string_view name) noexcept;

/// Parses an attribute path. The schema URN is everything before the last ':' (so the '.' in "2.0" is part of
/// the URN) and must start with "urn:"; after it come an attribute name and at most one sub-attribute.
/// Errors carry the offending offset: within `text`, plus `base_offset` when the path was cut out of a larger
/// text (a filter) so that positions point into that text.
boost::system::result<attribute_path, filter_error> parse_attribute_path(std::string_view text,
                                                                         std::size_t base_offset = 0);

}  // namespace dirsync::scim
