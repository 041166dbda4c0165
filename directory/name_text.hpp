#pragma once

#include <boost/system/result.hpp>
#include <string_view>

#include "directory/error.hpp"

namespace dirsync::directory {

/// Checks the text of a name that people read and match on (a user's userName and displayName, a group's
/// displayName): invalid_value when it holds a control character (U+0000..U+001F, U+007F..U+009F; a NUL
/// included) or nothing but white space. `attribute` names it in the message.
boost::system::result<void, error> check_name_text(std::string_view value, std::string_view attribute);

}  // namespace dirsync::directory
