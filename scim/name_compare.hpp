#pragma once

#include <string_view>

namespace dirsync::scim {

/// ASCII case-insensitive equality for SCIM names: attribute names, schema URNs, operators and keywords
/// (RFC 7644 §3.10: attribute names are case-insensitive). Attribute values fold with common::fold_case.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace dirsync::scim
