#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dirsync::common {

/// The code point that starts at `pos` in `text`, and advances `pos` past it. Strict RFC 3629 decoding:
/// overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF, stray continuation bytes and
/// truncated sequences are invalid; then nullopt is returned and `pos` advances by one byte.
/// Precondition: pos < text.size().
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos) noexcept;

/// The length in bytes (1..4) of the well-formed sequence that starts at `pos` in `text` (as next_code_point
/// decodes it), or 0 when it is invalid or `pos` is at or past the end.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept;

/// Appends the UTF-8 encoding of `c` to `out`. Precondition: `c` is at most U+10FFFF (a surrogate is encoded
/// as its three bytes, which next_code_point refuses).
void append_utf8(char32_t c, std::string& out);

/// True when all of `text` is well-formed UTF-8 (as next_code_point decodes it).
bool is_valid_utf8(std::string_view text) noexcept;

/// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a multi-byte sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

/// True for the C0 controls, DEL and the C1 controls (U+0000..U+001F, U+007F..U+009F).
constexpr bool is_control(char32_t c) noexcept { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

/// True for the Unicode White_Space characters (tab, line breaks, space, NBSP, the U+2000 spaces, ...).
bool is_unicode_space(char32_t c) noexcept;

}  // namespace dirsync::common
