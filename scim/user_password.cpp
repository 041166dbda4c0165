#include "scim/user_password.hpp"

#include <limits>
#include <string_view>
#include <vector>

#include "common/casefold.hpp"
#include "scim/patch_path.hpp"
#include "scim/patch_request.hpp"
#include "scim/patch_target.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;
using found = boost::system::result<std::optional<password_write>, error>;

bool is_core_urn(std::string_view key) { return common::equal_folded(key, resource::core_user_urn); }

/// "password" or "urn:ietf:params:scim:schemas:core:2.0:User:password", any case.
bool is_password_key(std::string_view key) {
    if (common::equal_folded(key, "password")) return true;
    return key.size() == resource::core_user_urn.size() + 9 &&
           is_core_urn(key.substr(0, resource::core_user_urn.size())) &&
           common::equal_folded(key.substr(resource::core_user_urn.size()), ":password");
}

found read_value(const json& v) {
    if (v.is_null()) return std::optional<password_write>(password_write{});
    if (!v.is_string())
        return invalid_value("password must be a string (it is stored only as a salted hash)");
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) return std::optional<password_write>(password_write{});
    if (s.size() > max_password_bytes)
        return invalid_value("password is longer than " + std::to_string(max_password_bytes) + " bytes");
    return std::optional<password_write>(password_write{s});
}

/// Takes every password member out of `object` (see take_password); the last one wins.
found take_from_object(json& object) {
    std::optional<password_write> out;
    if (!object.is_object()) return out;
    auto& members = object.get_ref<json::object_t&>();
    for (auto it = members.begin(); it != members.end();) {
        if (is_core_urn(it->first) && it->second.is_object()) {
            auto inner = take_from_object(it->second);
            if (!inner) return inner.error();
            if (*inner) out = std::move(*inner);
            ++it;
        } else if (is_password_key(it->first)) {
            auto v = read_value(it->second);
            if (!v) return v.error();
            out = std::move(*v);
            it = members.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

/// Takes the password out of a path-less value (an object, or an array of objects). `emptied` is true when
/// a password was taken and nothing else is left of the value.
found take_from_value(json& value, bool& emptied) {
    std::optional<password_write> out;
    std::vector<json*> objects;
    if (value.is_array()) {
        for (auto& v : value) objects.push_back(&v);
    } else {
        objects.push_back(&value);
    }
    bool all_empty = !objects.empty();
    for (json* o : objects) {
        auto r = take_from_object(*o);
        if (!r) return r.error();
        if (*r) out = std::move(*r);
        all_empty = all_empty && o->is_object() && o->empty();
    }
    emptied = out.has_value() && all_empty;
    return out;
}

}  // namespace

boost::system::result<std::optional<password_write>, error> take_password(json& body) {
    return take_from_object(body);
}

boost::system::result<patch_password, error> take_password_operations(
    json& patch_request, const resource::resource_schema& schemas) {
    patch_password out;
    auto operations =
        read_patch_operations(patch_request, patch_limits{std::numeric_limits<std::size_t>::max()});
    if (!operations) return out;
    // read_patch_operations points into `patch_request`, which is ours to change.
    json& ops = const_cast<json&>(**operations);
    json kept = json::array();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        json& op = ops[i];
        auto shape = read_patch_operation(op);
        if (!shape) {
            kept.push_back(std::move(op));
            continue;
        }
        bool schema_value = shape->path == nullptr;
        if (shape->path != nullptr) {
            auto path = parse_patch_path(shape->path->get_ref<const std::string&>());
            auto target = path ? resolve_patch_path(std::move(*path), schemas)
                               : boost::system::result<patch_target, error>(path.error());
            if (target && target->owner != nullptr && schemas.is_core(target->owner)) {
                if (target->names_schema()) {
                    schema_value = true;
                } else if (target->definition != nullptr && is_password_key(target->attribute) &&
                           !target->value_filter && target->sub_attribute.empty()) {
                    if (shape->op == patch_op::remove) {
                        out.password = password_write{};
                    } else {
                        auto v = read_value(*shape->value);
                        if (!v) return in_operation(i, v.error());
                        out.password = std::move(*v);
                    }
                    continue;  // the operation is done
                }
            }
        }
        if (schema_value && shape->op != patch_op::remove && shape->value != nullptr) {
            bool emptied = false;
            auto taken = take_from_value(const_cast<json&>(*shape->value), emptied);
            if (!taken) return in_operation(i, taken.error());
            if (*taken) out.password = std::move(*taken);
            if (emptied) continue;
        }
        kept.push_back(std::move(op));
    }
    out.operations_left = !kept.empty();
    ops = std::move(kept);
    return out;
}

}  // namespace dirsync::scim
