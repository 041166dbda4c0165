#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// `text` as the contents of a JSON string literal (without the quotes): `"` and `\` escaped, control
/// characters as `\n`, `\t`, ... or `\u00XX`, invalid UTF-8 (overlong forms and surrogates included)
/// replaced by U+FFFD. For JSON written by hand where building an nlohmann::json is not worth it.
std::string json_escape(std::string_view text);

}  // namespace dirsync::common
