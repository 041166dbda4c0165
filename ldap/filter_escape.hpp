#pragma once

#include <string>
#include <string_view>

namespace dirsync::ldap {

/// Escapes `value` for use as an assertion value in a search filter (RFC 4515 §3): `*`, `(`, `)`, `\` and
/// NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`, as the RFC requires; other control characters and every
/// byte that is not part of a well-formed UTF-8 sequence are escaped the same way (allowed, and safer in
/// logs). Everything else, well-formed UTF-8 included, passes unchanged. Put every value that did not come
/// from the configuration's own filter text through this ("(uid=" + escape_filter_value(uid) + ")").
std::string escape_filter_value(std::string_view value);

/// Escapes every byte as `\xx` (lowercase hex): for binary assertion values such as an objectGUID
/// ("(objectGUID=" + escape_filter_bytes(guid_bytes) + ")").
std::string escape_filter_bytes(std::string_view bytes);

}  // namespace dirsync::ldap
