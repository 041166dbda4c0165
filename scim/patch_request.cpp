#include "scim/patch_request.hpp"

#include <optional>
#include <string>

#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

bool lists_patch_op(const json& schemas) {
    const auto is_patch_op = [](const json& s) {
        return s.is_string() && common::equal_folded(s.get_ref<const std::string&>(), patch_op_urn);
    };
    if (schemas.is_string()) return is_patch_op(schemas);
    if (!schemas.is_array()) return false;
    for (const auto& s : schemas)
        if (is_patch_op(s)) return true;
    return false;
}

std::optional<patch_op> op_from(std::string_view s) {
    if (common::equal_folded(s, "add")) return patch_op::add;
    if (common::equal_folded(s, "replace")) return patch_op::replace;
    if (common::equal_folded(s, "remove")) return patch_op::remove;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(patch_op op) noexcept {
    switch (op) {
        case patch_op::add:
            return "add";
        case patch_op::replace:
            return "replace";
        case patch_op::remove:
            return "remove";
    }
    return "add";
}

boost::system::result<const json*, error> read_patch_operations(const json& patch_request,
                                                                const patch_limits& limits) {
    if (!patch_request.is_object()) return invalid_syntax("the PATCH body must be a JSON object");
    const json* schemas = resource::json_member(patch_request, "schemas");
    if (schemas == nullptr || !lists_patch_op(*schemas))
        return invalid_syntax("'schemas' must list \"" + std::string(patch_op_urn) + "\"");
    const json* ops = resource::json_member(patch_request, "Operations");
    if (ops == nullptr || !ops->is_array())
        return invalid_syntax("'Operations' must be an array of operations");
    if (ops->empty()) return invalid_syntax("'Operations' is empty");
    if (ops->size() > limits.max_operations)
        return invalid_value("too many operations: " + std::to_string(ops->size()) + ", at most " +
                             std::to_string(limits.max_operations) + " per request");
    return ops;
}

boost::system::result<patch_operation, error> read_patch_operation(const json& op) {
    if (!op.is_object())
        return invalid_syntax("an operation must be an object with 'op', 'path' and 'value'");
    const json* op_name = resource::json_member(op, "op");
    if (op_name == nullptr || !op_name->is_string()) return invalid_syntax("'op' must be a string");
    const auto kind = op_from(op_name->get_ref<const std::string&>());
    if (!kind)
        return invalid_syntax("unsupported op '" + op_name->get<std::string>() +
                              "': expected 'add', 'replace' or 'remove'");
    patch_operation out;
    out.op = *kind;
    out.path = resource::json_member(op, "path");
    if (out.path != nullptr && out.path->is_null()) out.path = nullptr;
    if (out.path != nullptr && !out.path->is_string()) return invalid_syntax("'path' must be a string");
    out.value = resource::json_member(op, "value");
    if (out.op != patch_op::remove && out.value == nullptr)
        return invalid_value("'" + std::string(to_string(out.op)) + "' needs a 'value'");
    return out;
}

error in_operation(std::size_t index, error e) {
    e.detail = "Operations[" + std::to_string(index) + "]: " + e.detail;
    return e;
}

}  // namespace dirsync::scim
