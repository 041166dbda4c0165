#include "scim/sort_spec.hpp"

#include <algorithm>
#include <numeric>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// The attribute whose values are compared: the leaf of the path, or "value" of a multi-valued complex
/// attribute named without a sub-attribute. nullptr when there is none.
const resource::attribute* compared_attribute(const resource::attribute_lookup& found) {
    if (!found) return nullptr;
    if (found.leaf->type != resource::attribute_type::complex) return found.leaf;
    if (found.leaf == found.top && found.top->multi_valued) return found.top->find_sub_attribute("value");
    return nullptr;
}

sort_key to_key(const json& v, const resource::attribute& a) {
    switch (a.type) {
        case resource::attribute_type::string:
        case resource::attribute_type::reference:
        case resource::attribute_type::binary:
            if (!v.is_string()) return {};
            return a.case_exact ? v.get<std::string>() : common::fold_case(v.get_ref<const std::string&>());
        case resource::attribute_type::boolean:
            if (auto b = resource::json_boolean(v)) return *b;
            return {};
        case resource::attribute_type::integer:
        case resource::attribute_type::decimal:
            if (!v.is_number()) return {};
            return v.get<double>();
        case resource::attribute_type::date_time:
            if (!v.is_string()) return {};
            if (auto t = common::parse_rfc3339(v.get_ref<const std::string&>())) return *t;
            return {};
        case resource::attribute_type::complex:
            return {};
    }
    return {};
}

}  // namespace

boost::system::result<sort_spec, error> parse_sort_spec(std::string_view sort_by,
                                                        std::optional<std::string_view> sort_order) {
    sort_spec out;
    auto path = parse_attribute_path(sort_by);
    if (!path)
        return invalid_value("sortBy '" + std::string(sort_by) +
                             "' is not an attribute path: " + path.error().message);
    out.path = std::move(*path);
    if (sort_order) {
        if (common::iequals_ascii(*sort_order, "ascending"))
            out.direction = sort_direction::ascending;
        else if (common::iequals_ascii(*sort_order, "descending"))
            out.direction = sort_direction::descending;
        else
            return invalid_value("sortOrder must be \"ascending\" or \"descending\"");
    }
    return out;
}

boost::system::result<void, error> validate_sort_spec(const sort_spec& spec,
                                                      const resource::resource_schema& schema) {
    const std::string text = spec.path.to_string();
    const resource::attribute_lookup found =
        schema.find(spec.path.schema_urn, spec.path.attribute, spec.path.sub_attribute);
    if (found.top == nullptr)
        return invalid_value("sortBy '" + text + "' is not an attribute of the " + schema.core().name +
                             " resource");
    if (found.leaf == nullptr)
        return invalid_value("sortBy '" + text + "': " + found.top->name + " has no such sub-attribute");
    if (found.top->returned == resource::returned::never || found.leaf->returned == resource::returned::never)
        return invalid_value("sortBy '" + text + "' names an attribute that is never returned");
    if (compared_attribute(found) == nullptr)
        return invalid_value(
            "sortBy '" + text + "' is a complex attribute: name one of its sub-attributes, e.g. '" + text +
            "." + (found.leaf->sub_attributes.empty() ? "value" : found.leaf->sub_attributes.front().name) +
            "'");
    return {};
}

sort_key make_sort_key(const sort_spec& spec, const json& resource, const resource::resource_schema& schema) {
    const resource::attribute_lookup found =
        schema.find(spec.path.schema_urn, spec.path.attribute, spec.path.sub_attribute);
    const resource::attribute* compared = compared_attribute(found);
    if (compared == nullptr) return {};
    const json* container =
        schema.is_core(found.owner) ? &resource : resource::json_member(resource, found.owner->id);
    if (container == nullptr) return {};
    const json* top = resource::json_member(*container, found.top->name);
    if (top == nullptr || top->is_null()) return {};

    const bool in_values = compared != found.top;  // the key is a sub-attribute of each value
    const auto part = [&](const json& v) -> const json* {
        if (!in_values) return &v;
        if (v.is_object()) return resource::json_member(v, compared->name);
        // a bare value answers to "value"
        return common::iequals_ascii(compared->name, "value") ? &v : nullptr;
    };
    const json* chosen = nullptr;
    if (top->is_array()) {
        for (const auto& item : *top) {
            const json* primary = item.is_object() ? resource::json_member(item, "primary") : nullptr;
            if (primary == nullptr || resource::json_boolean(*primary) != true) continue;
            if (const json* p = part(item); p != nullptr && !p->is_null()) chosen = p;
            break;
        }
        if (chosen == nullptr)
            for (const auto& item : *top)
                if (const json* p = part(item); p != nullptr && !p->is_null()) {
                    chosen = p;
                    break;
                }
    } else {
        chosen = part(*top);
    }
    if (chosen == nullptr || chosen->is_null()) return {};
    return to_key(*chosen, *compared);
}

bool sorts_before(const sort_key& a, const sort_key& b, sort_direction direction) noexcept {
    const bool a_missing = std::holds_alternative<std::monostate>(a);
    const bool b_missing = std::holds_alternative<std::monostate>(b);
    if (a_missing || b_missing) {
        if (a_missing == b_missing) return false;
        return direction == sort_direction::ascending ? b_missing : a_missing;
    }
    return direction == sort_direction::ascending ? a < b : b < a;
}

void sort_resources(std::vector<json>& resources, const sort_spec& spec,
                    const resource::resource_schema& schema) {
    std::vector<sort_key> keys;
    keys.reserve(resources.size());
    for (const auto& r : resources) keys.push_back(make_sort_key(spec, r, schema));
    std::vector<std::size_t> order(resources.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return sorts_before(keys[x], keys[y], spec.direction);
    });
    std::vector<json> sorted;
    sorted.reserve(resources.size());
    for (std::size_t i : order) sorted.push_back(std::move(resources[i]));
    resources = std::move(sorted);
}

}  // namespace dirsync::scim
