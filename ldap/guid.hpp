#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dirsync::ldap {

/// Active Directory's objectGUID (16 raw bytes, the first three fields little-endian as in a Windows GUID)
/// in its canonical text form, lowercase 8-4-4-4-12: the bytes 33 22 11 00 55 44 77 66 88 99 aa bb cc dd
/// ee ff become "00112233-4455-6677-8899-aabbccddeeff". nullopt unless `bytes` is exactly 16 bytes long.
std::optional<std::string> format_guid(std::string_view bytes);

/// The inverse of format_guid: the 16 objectGUID bytes of "00112233-4455-6677-8899-aabbccddeeff" (any case,
/// optionally in braces), e.g. for "(objectGUID=" + escape_filter_bytes(*parse_guid(text)) + ")".
/// nullopt when `text` is not a GUID.
std::optional<std::string> parse_guid(std::string_view text);

/// A textual UUID attribute (OpenLDAP entryUUID, RFC 4530; 389-DS/FreeIPA ipaUniqueID) checked and
/// lowercased to 8-4-4-4-12. nullopt when `text` is not in that form.
std::optional<std::string> format_uuid(std::string_view text);

}  // namespace dirsync::ldap
