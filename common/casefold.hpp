#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// The key under which text that a person would call the same compares equal (userName, e-mail, names):
/// Unicode NFKC_Casefold (libutf8proc), so NFC and NFD forms ("josé"), final and medial sigma, Ǆ and ǆ, and
/// fullwidth and ASCII letters fold alike; default-ignorable code points are dropped. Bytes that are not
/// valid UTF-8 are copied unchanged, the valid text around them folded. ASCII-only text is lower-cased
/// without leaving this function. Deterministic for a given Unicode version: the stored keys depend on it,
/// so changing the mapping needs the stored keys recomputed (directory::tenant_directory does at open).
std::string fold_case(std::string_view utf8);

/// Text in lower or upper case for display (the mapping language's `lower` and `upper`): each code point
/// mapped by itself (Unicode simple case mapping, libutf8proc), so the text keeps its length in code points
/// and its normalisation form ("ß" stays "ß"); invalid bytes are copied unchanged. Not a key: use fold_case.
std::string to_lower(std::string_view utf8);
std::string to_upper(std::string_view utf8);

/// fold_case(a) == fold_case(b), without allocating for the ASCII-only case.
bool equal_folded(std::string_view a, std::string_view b);

}  // namespace dirsync::common
