#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dirsync::ldap {

/// Whole seconds in UTC: LDAP timestamps compare at that precision here.
using directory_time = std::chrono::sys_seconds;

/// A GeneralizedTime to the millisecond, in UTC (what a SCIM dateTime holds).
using precise_directory_time = std::chrono::sys_time<std::chrono::milliseconds>;

/// Parses an LDAP GeneralizedTime (RFC 4517 §3.3.13): year, month, day and hour, then optional minutes and
/// seconds, an optional fraction ("." or ",") of the last unit given ("2024013112.5Z" is 12:30), and "Z" or a
/// differential "+hh" / "+hhmm" / "-hh" / "-hhmm". Covers what directories write: "20240131235959Z"
/// (OpenLDAP, 389-DS), "20240131235959.0Z" (Active Directory), "202401312359Z". The fraction is kept to the
/// millisecond (truncated); a leap second counts as the last second of its minute. nullopt when malformed,
/// out of range (month 13, second 61, hour 24) or without a zone (local time is ambiguous).
std::optional<precise_directory_time> parse_generalized_time_ms(std::string_view text);

/// parse_generalized_time_ms truncated to the second, for comparing modifyTimestamp values.
std::optional<directory_time> parse_generalized_time(std::string_view text);

/// "YYYYMMDDHHMMSSZ" in UTC: the form filters compare against ("(modifyTimestamp>=20240131235959Z)").
std::string format_generalized_time(directory_time t);

}  // namespace dirsync::ldap
