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
        case user_status::disconnected:
            return "disconnected";
    }
    return "active";
}

std::span<const user_status> all_user_statuses() noexcept {
    static constexpr user_status all[] = {
        user_status::active, user_status::disabled,  user_status::provisioned, user_status::pending_invite,
        user_status::orphan, user_status::requested, user_status::disconnected};
    return all;
}

std::optional<user_status> parse_user_status(std::string_view s) noexcept {
    for (auto st : all_user_statuses())
        if (to_string(st) == s) return st;
    return std::nullopt;
}

bool consumes_seat(user_status s) noexcept {
    return s == user_status::active || s == user_status::provisioned || s == user_status::orphan;
}

}  // namespace dirsync::directory
