#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/syntax_error.hpp"

namespace dirsync::ldap {

/// An LDAP search filter (RFC 4515) parsed into a tree: what the configuration checks `users.filter`,
/// `when:` and `disabled_when:` with, and what sync/ldap_filter_match evaluates against an entry in memory.
struct filter {
    enum class kind {
        and_,              ///< (&(a)(b)...): `children`, at least one
        or_,               ///< (|(a)(b)...): `children`, at least one
        not_,              ///< (!(a)): exactly one child
        equality,          ///< (attr=value)
        substring,         ///< (attr=ini*any*fin): `initial`, `any`, `final_part`
        greater_or_equal,  ///< (attr>=value)
        less_or_equal,     ///< (attr<=value)
        approx,            ///< (attr~=value)
        present,           ///< (attr=*)
        extensible,        ///< (attr[:dn][:rule]:=value) or ([:dn]:rule:=value)
    };

    kind type = kind::present;
    /// Byte offset of this component's "(" in the filter text, for messages about it.
    std::size_t position = 0;
    /// The attribute description as written ("mail", "member;range=0-10", "2.5.4.3"); empty for and/or/not
    /// and for an extensible match without an attribute.
    std::string attribute;
    /// The assertion value with `\XX` escapes decoded (raw bytes); equality, ordering, approx, extensible.
    std::string value;
    /// Substring parts, decoded: text before the first `*`, between stars (non-empty), after the last `*`.
    std::optional<std::string> initial;
    std::vector<std::string> any;
    std::optional<std::string> final_part;
    /// Extensible match: the matching rule as written (a name or numeric OID; empty when none) and `:dn`.
    std::string matching_rule;
    bool dn_attributes = false;
    /// and/or/not operands, in order.
    std::vector<filter> children;
};

/// Deepest nesting of and/or/not accepted.
inline constexpr std::size_t max_filter_depth = 64;

/// Parses RFC 4515 filter text. Accepted as OpenLDAP's libldap accepts it: whitespace before and after the
/// whole filter and between the operands of & and |. Rejected: a filter not in parentheses, empty & or |
/// lists (RFC 4526 absolute true/false), bad attribute descriptions, unescaped `(`, `)` or `\` in a value,
/// `\` not followed by two hex digits (the LDAPv2 `\*` form included), trailing text, nesting deeper than
/// max_filter_depth. The error's position is the byte offset of the problem.
boost::system::result<filter, syntax_error> parse_filter(std::string_view text);

}  // namespace dirsync::ldap
