#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "ldap/syntax_error.hpp"

namespace dirsync::ldap {

/// Scans the attribute description (RFC 4512 §2.5: `descr / numericoid`, then `*(";" option)` when
/// `with_options`) at the start of `text` and returns its length: 0 when `text` does not start with a letter
/// or digit, so the caller can say what it expected. A numericoid is `number 1*("." number)` with no leading
/// zeros; `what` names the thing in messages ("attribute description", "matching rule").
boost::system::result<std::size_t, syntax_error> scan_attribute_description(std::string_view text,
                                                                            bool with_options,
                                                                            std::string_view what);

/// Whether all of `text` is an attribute description, options included ("mail", "member;range=0-10" is not:
/// '=' is no option character, "userCertificate;binary", "2.5.4.3").
bool is_attribute_description(std::string_view text);

/// Whether all of `text` is an attribute type, a description without options (what a DN's AVA names).
bool is_attribute_type(std::string_view text);

/// `name` in ASCII lowercase: how attribute descriptions are keyed (ldap::entry, mapping references).
std::string lowercase_attribute(std::string_view name);

}  // namespace dirsync::ldap
