#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/syntax_error.hpp"

namespace dirsync::ldap {

/// One attribute type and value of a relative distinguished name.
struct dn_ava {
    std::string type;   ///< lowercased
    std::string value;  ///< escapes decoded, unescaped surrounding spaces removed; a `#hex` value as written,
                        ///< lowercased
};

/// One RDN: one AVA, or several joined by '+'.
using dn_rdn = std::vector<dn_ava>;

/// How strictly parse_dn reads values.
enum class dn_strictness {
    /// What servers send (RFC 4514 and the RFC 2253 forms before it): '=', '"', '<' and '>' are taken as they
    /// are.
    lenient,
    /// What an administrator writes in the configuration: '=', '"', '<' and '>' in a value must be escaped,
    /// so that a typo such as "ou=people=x" is reported rather than read as a strange name.
    configured,
};

/// Parses RFC 4514 DN text, leniently spaced ("dc=example, dc=com" is read as most tools read it): RDNs
/// separated by ',' (or ';'), each one or more `type=value` joined by '+', types a descr or numeric OID
/// (ldap::is_attribute_type), values with '\' escapes (two hex digits, or any other character taken as it
/// is) or `#hex` strings. Empty text (or only spaces) is the empty DN: no RDNs. Refused: an AVA without '=',
/// a bad type, '\' at the end or followed by one hex digit, a trailing separator.
boost::system::result<std::vector<dn_rdn>, syntax_error> parse_dn(
    std::string_view dn, dn_strictness strictness = dn_strictness::lenient);

/// A DN in a form fit for comparing two spellings of the same name (a group's `member` value against an
/// entry's DN, a role's `when_member_of` against `memberOf`): attribute types lowercased, values with their
/// escapes decoded, surrounding spaces removed and case folded (common::fold_case), the AVAs of a
/// multi-valued RDN sorted, then written back with RFC 4514 minimal escaping and no spaces: " CN=Smith\, J
/// ,DC=Example" and "cn=smith\2c j,dc=example" both become "cn=smith\, j,dc=example". Types are not mapped
/// between names and OIDs, and every value compares case-insensitively (true of the naming attributes in
/// practice). Text that is not a DN is returned lowercased and trimmed, so it still equals itself.
std::string normalize_dn(std::string_view dn);

/// The value of the first AVA of the first RDN, unescaped: "John Smith" for
/// "cn=John Smith,ou=people,dc=example,dc=com". nullopt when `dn` is not a DN or is empty.
std::optional<std::string> first_rdn_value(std::string_view dn);

}  // namespace dirsync::ldap
