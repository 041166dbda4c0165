#pragma once

#include <string_view>

namespace dirsync::common {

/// Whether `s` is an e-mail address as people type them into an admin screen (addr-spec of RFC 5322 without
/// quoted local parts, comments or address literals): a local part of 1 to 64 characters (letters, digits,
/// and !#$%&'*+/=?^_`{|}~.- with no leading, trailing or doubled dot), '@', and a domain of at least two
/// dot-separated labels (letters, digits, '-' not at either end, 1 to 63 each; bytes of 0x80 and above are
/// taken as letters of an internationalised name), at most 254 characters in all.
bool is_email_address(std::string_view s) noexcept;

}  // namespace dirsync::common
