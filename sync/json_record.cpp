#include "sync/json_record.hpp"

#include "common/ascii.hpp"
#include "resource/json_lookup.hpp"
#include "resource/schema.hpp"
#include "scim/filter.hpp"
#include "scim/patch_path.hpp"

namespace dirsync::sync {

namespace {

using json = nlohmann::json;

bool is_core_urn(std::string_view urn) {
    return common::iequals_ascii(urn, resource::core_user_urn) ||
           common::iequals_ascii(urn, resource::core_group_urn);
}

void append_scalar(const json& v, std::vector<std::string>& out) {
    if (v.is_string()) {
        out.push_back(v.get<std::string>());
    } else if (v.is_boolean()) {
        out.emplace_back(v.get<bool>() ? "true" : "false");
    } else if (v.is_number()) {
        out.push_back(v.dump());
    } else if (v.is_array()) {
        for (const auto& item : v)
            if (!item.is_array() && !item.is_object()) append_scalar(item, out);
    }
}

/// The attribute named by `path` (before any value filter or sub-attribute), or nullptr.
const json* attribute_of(const json& resource, const scim::attribute_path& path) {
    if (!path.schema_urn.empty()) {
        if (is_core_urn(path.schema_urn)) return resource::json_member(resource, path.attribute);
        const json* extension = resource::json_member(resource, path.schema_urn);
        return extension != nullptr && extension->is_object()
                   ? resource::json_member(*extension, path.attribute)
                   : nullptr;
    }
    if (const json* v = resource::json_member(resource, path.attribute)) return v;
    for (const auto& [key, value] : resource.items()) {
        if (!value.is_object() || key.size() < 4 ||
            !common::iequals_ascii(std::string_view(key).substr(0, 4), "urn:"))
            continue;
        if (const json* v = resource::json_member(value, path.attribute)) return v;
    }
    return nullptr;
}

void append_item(const json& item, const scim::patch_path& p, std::vector<std::string>& out) {
    if (p.value_filter && !scim::matches_value(*p.value_filter, item, nullptr)) return;
    const std::string& sub = p.attribute.sub_attribute;
    if (!sub.empty()) {
        if (!item.is_object()) return;
        if (const json* v = resource::json_member(item, sub)) append_scalar(*v, out);
        return;
    }
    if (item.is_object()) {
        if (const json* v = resource::json_member(item, "value")) append_scalar(*v, out);
        return;
    }
    append_scalar(item, out);
}

/// The values at `path` in `resource`, by json_record's rules (appended to `out`).
void values_at(const json& resource, std::string_view path, std::vector<std::string>& out) {
    if (!resource.is_object()) return;
    auto parsed = scim::parse_path_syntax(path);
    if (!parsed) return;
    const json* attribute = attribute_of(resource, parsed->attribute);
    if (attribute == nullptr) return;
    if (attribute->is_array()) {
        for (const auto& item : *attribute) append_item(item, *parsed, out);
    } else {
        append_item(*attribute, *parsed, out);
    }
}

}  // namespace

json_record::json_record(json resource) : resource_(std::move(resource)) {
    if (const json* id = resource::json_member(resource_, "id"); id != nullptr && id->is_string())
        name_ = id->get<std::string>();
}

const std::vector<std::string>* json_record::find(std::string_view path) const {
    auto it = found_.find(path);
    if (it == found_.end()) {
        std::vector<std::string> values;
        values_at(resource_, path, values);
        it = found_.emplace(std::string(path), std::move(values)).first;
    }
    return it->second.empty() ? nullptr : &it->second;
}

}  // namespace dirsync::sync
