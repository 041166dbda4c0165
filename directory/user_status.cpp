#include "directory/user_status.hpp"

namespace dirsync::directory {

std::string_view to_string(user_status s) noexcept {
    switch (s) {
        case user_status::active:
            return "active";
        case user_status::disabled:
            return "disabled";
        case user_status::provisioned:
            return "provisioned";
        case user_status::pending_invite:
            return "pending_invite";
        case user_status::orphan:
            return "orphan";
        case user_status::requested:
            return "requested";
    }
    return "active";
}

std::optional<user_status> parse_user_status(std::string_view s) noexcept {
    for (auto st : {user_status::active, user_status::disabled, user_status::provisioned,
                    user_status::pending_invite, user_status::orphan, user_status::requested})
        if (to_string(st) == s) return st;
    return std::nullopt;
}

bool consumes_seat(user_status s) noexcept {
    return s == user_status::active || s == user_status::provisioned || s == user_status::pending_invite ||
           s == user_status::orphan;
}

}  // namespace dirsync::directory
