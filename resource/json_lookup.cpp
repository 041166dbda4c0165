#include "resource/json_lookup.hpp"

#include "common/ascii.hpp"

namespace dirsync::resource {

const nlohmann::json* json_member(const nlohmann::json& object, std::string_view key) noexcept {
    if (!object.is_object()) return nullptr;
    const auto& members = object.get_ref<const nlohmann::json::object_t&>();
    if (const auto it = members.find(key); it != members.end()) return &it->second;
    for (const auto& [name, value] : members)
        if (common::iequals_ascii(name, key)) return &value;
    return nullptr;
}

std::optional<bool> json_boolean(const nlohmann::json& value) noexcept {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (common::iequals_ascii(s, "true")) return true;
        if (common::iequals_ascii(s, "false")) return false;
    }
    return std::nullopt;
}

}  // namespace dirsync::resource
