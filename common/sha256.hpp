#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirsync::common {

/// A SHA-256 digest. Secrets (bearer tokens) are only ever kept in this form.
using sha256_digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `data`.
sha256_digest sha256(std::string_view data);

/// Lower-case hex of a digest (64 characters).
std::string to_hex(const sha256_digest& digest);

/// Parses exactly 64 hex digits (either case); nullopt otherwise.
std::optional<sha256_digest> digest_from_hex(std::string_view hex);

/// Compares two digests in time independent of where they differ.
bool digest_equal(const sha256_digest& a, const sha256_digest& b) noexcept;

}  // namespace dirsync::common
