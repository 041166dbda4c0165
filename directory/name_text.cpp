#include "directory/name_text.hpp"

#include <cstdio>
#include <string>

#include "common/utf8.hpp"

namespace dirsync::directory {

boost::system::result<void, error> check_name_text(std::string_view value, std::string_view attribute) {
    bool blank = true;
    std::size_t pos = 0;
    while (pos < value.size()) {
        const auto c = common::next_code_point(value, pos);
        if (!c) {
            blank = false;
            continue;
        }
        if (common::is_control(*c)) {
            char code[8];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*c));
            return error(
                error_code::invalid_value,
                std::string(attribute) + " must not contain control characters (found " + code + ")");
        }
        if (!common::is_unicode_space(*c)) blank = false;
    }
    if (blank)
        return error(error_code::invalid_value, std::string(attribute) + " must not be only white space");
    return {};
}

}  // namespace dirsync::directory
