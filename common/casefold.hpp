#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// Simple case folding of UTF-8 text for case-insensitive keys (userName, e-mail): ASCII, Latin-1,
/// Latin Extended-A, Greek and Cyrillic capitals map to their lower-case letters; everything else, including
/// invalid UTF-8 bytes, is copied unchanged. Deterministic: the stored keys depend on it, so changing the
/// mapping needs a migration that recomputes them.
std::string fold_case(std::string_view utf8);

/// fold_case(a) == fold_case(b), without allocating for the ASCII-only case.
bool equal_folded(std::string_view a, std::string_view b);

}  // namespace dirsync::common
