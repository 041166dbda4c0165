#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dirsync::common {

/// Whether base64 text ends in '=' padding to a multiple of 4 characters (RFC 4648 section 3.2).
enum class base64_padding {
    required,  ///< "YQ==": LDIF, stored cookies, the mapping language's `base64`
    none,      ///< "YQ": the PHC string format of password hashes
};

/// `bytes` in base64 with the RFC 4648 section 4 alphabet ('+' and '/').
std::string encode_base64(std::string_view bytes, base64_padding padding = base64_padding::required);

/// The bytes `text` encodes, or nullopt when it is not canonical base64 of the given padding: a character
/// outside the alphabet, '=' other than as the final padding (or at all with `none`), a length that no
/// encoding has, or non-zero bits left over in the last character. No whitespace is skipped.
std::optional<std::string> decode_base64(std::string_view text,
                                         base64_padding padding = base64_padding::required);

}  // namespace dirsync::common
