#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dirsync::ldap {

/// Whole seconds in UTC: LDAP timestamps compare at that precision here.
using directory_time = std::chrono::sys_seconds;

/// Parses an LDAP GeneralizedTime (RFC 4517 §3.3.13) as directories write modifyTimestamp: "20240131235959Z"
/// (OpenLDAP, 389-DS), "20240131235959.0Z" (Active Directory), minutes-only "202401312359Z", and
/// differentials "20240131235959+0100". A fraction is dropped (the time is truncated to the second).
/// nullopt when malformed or out of range (month 13, second 61, hour 24).
std::optional<directory_time> parse_generalized_time(std::string_view text);

/// "YYYYMMDDHHMMSSZ" in UTC: the form filters compare against ("(modifyTimestamp>=20240131235959Z)").
std::string format_generalized_time(directory_time t);

}  // namespace dirsync::ldap
