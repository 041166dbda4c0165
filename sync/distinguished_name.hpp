#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dirsync::sync {

/// A DN in a form fit for comparing two spellings of the same name (a group's `member` value against an
/// entry's DN, a role's `when_member_of` against `memberOf`): attribute types lowercased, values with their
/// escapes decoded, surrounding spaces removed and case folded (common::fold_case), the AVAs of a
/// multi-valued RDN sorted, then written back with RFC 4514 minimal escaping and no spaces: " CN=Smith\, J
/// ,DC=Example" and "cn=smith\2c j,dc=example" both become "cn=smith\, j,dc=example". Types are not mapped
/// between names and OIDs, and every value compares case-insensitively (true of the naming attributes in
/// practice). Text that is not a DN is returned lowercased and trimmed, so it still equals itself.
std::string normalize_dn(std::string_view dn);

/// The value of the first AVA of the first RDN, unescaped: "John Smith" for
/// "cn=John Smith,ou=people,dc=example,dc=com". nullopt when `dn` does not start with `type=value`.
std::optional<std::string> first_rdn_value(std::string_view dn);

}  // namespace dirsync::sync
