#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

namespace dirsync::resource {

/// The member `key` of a JSON object: the exact key if present, else the first key equal ignoring ASCII case
/// (clients send "UserName"). nullptr when `object` is not an object or has no such member.
const nlohmann::json* json_member(const nlohmann::json& object, std::string_view key) noexcept;
/// As above, for a member the caller may change or move from.
inline nlohmann::json* json_member(nlohmann::json& object, std::string_view key) noexcept {
    return const_cast<nlohmann::json*>(json_member(std::as_const(object), key));
}

/// A SCIM boolean read leniently: JSON true/false, or the strings "true"/"false" in any case (Entra sends
/// "True"/"False"). nullopt for anything else.
std::optional<bool> json_boolean(const nlohmann::json& value) noexcept;

}  // namespace dirsync::resource
