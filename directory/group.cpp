#include "directory/group.hpp"

#include "common/casefold.hpp"

namespace dirsync::directory {

std::string_view to_string(member_type t) noexcept { return t == member_type::group ? "Group" : "User"; }

std::optional<member_type> parse_member_type(std::string_view s) noexcept {
    if (common::equal_folded(s, "User")) return member_type::user;
    if (common::equal_folded(s, "Group")) return member_type::group;
    return std::nullopt;
}

}  // namespace dirsync::directory
