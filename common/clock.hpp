#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirsync::common {

using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// Wall-clock now, truncated to milliseconds (the precision we store and return).
timestamp now();

/// RFC 3339 / xsd:dateTime in UTC with milliseconds: 2026-11-22T18:45:00.123Z.
std::string format_rfc3339(timestamp t);

/// Parses an RFC 3339 date-time (offsets honoured, fraction optional); nullopt when malformed.
std::optional<timestamp> parse_rfc3339(std::string_view s);

/// Milliseconds since the epoch, for storage.
std::int64_t to_epoch_ms(timestamp t) noexcept;
timestamp from_epoch_ms(std::int64_t ms) noexcept;

}  // namespace dirsync::common
