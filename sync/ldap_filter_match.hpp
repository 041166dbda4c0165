#pragma once

#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/filter.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

namespace detail {
struct entry_filter_state;
}

/// An RFC 4515 filter compiled for evaluation against an entry in memory: what `when:` on map entries and
/// roles, and `disabled_when:`, are tested with, so that no extra search is needed per entry.
///
/// Matching, per attribute (names any case, options part of the name):
/// - equality, substrings, `~=`: case-insensitive (common::fold_case); DN-valued attributes (member,
///   uniqueMember, memberOf, manager, owner, seeAlso, secretary, distinguishedName, ...) compare as DNs
///   (normalize_dn); binary ones (objectGUID, objectSid, jpegPhoto, userCertificate, thumbnailPhoto and any
///   `;binary`) compare bytes exactly. `~=` is equality ignoring case and spaces.
/// - `>=`, `<=`: numerically when both sides are integers, otherwise by folded text (right for
///   GeneralizedTime values of the same form).
/// - presence: the attribute has a value; `(objectClass=*)` always matches (every entry has one, even when
///   it was not read).
/// - extensible: no rule or caseIgnoreMatch (2.5.13.2): equality; caseExactMatch (2.5.13.5): exact
///   equality; Active Directory's bit rules 1.2.840.113556.1.4.803 (all bits set, LDAP_MATCHING_RULE_BIT_AND)
///   and 1.2.840.113556.1.4.804 (any bit set, BIT_OR) over integer values.
/// An absent attribute makes an item false (and its negation true). Thread-safe: immutable once compiled.
class entry_filter {
  public:
    /// Parses `text` (ldap::parse_filter) and checks that it can be evaluated in memory: `:dn`
    /// extensible matches and other matching rules (such as 1.2.840.113556.1.4.1941,
    /// LDAP_MATCHING_RULE_IN_CHAIN, which only the server can answer) are refused with the position of their
    /// "(".
    static boost::system::result<entry_filter, ldap::syntax_error> compile(std::string_view text);

    /// Whether `e` matches.
    bool matches(const source_record& e) const;

    /// The attribute descriptions the filter reads (lowercase, sorted, unique; objectclass only when
    /// tested other than for presence): the reader must request them.
    const std::vector<std::string>& attributes() const noexcept;

    /// The text it was compiled from.
    const std::string& text() const noexcept;

  private:
    explicit entry_filter(std::shared_ptr<const detail::entry_filter_state> s) : state_(std::move(s)) {}
    std::shared_ptr<const detail::entry_filter_state> state_;
};

}  // namespace dirsync::sync
