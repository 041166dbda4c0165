#include "scim/bulk_request.hpp"

#include <map>

#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"
#include "scim/patch_request.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

bool lists_bulk_request(const json& schemas) {
    const auto is_bulk = [](const json& s) {
        return s.is_string() && common::equal_folded(s.get_ref<const std::string&>(), bulk_request_urn);
    };
    if (schemas.is_string()) return is_bulk(schemas);
    if (!schemas.is_array()) return false;
    for (const auto& s : schemas)
        if (is_bulk(s)) return true;
    return false;
}

std::optional<bulk_method> method_from(std::string_view s) {
    if (common::equal_folded(s, "POST")) return bulk_method::post;
    if (common::equal_folded(s, "PUT")) return bulk_method::put;
    if (common::equal_folded(s, "PATCH")) return bulk_method::patch;
    if (common::equal_folded(s, "DELETE")) return bulk_method::remove;
    return std::nullopt;
}

/// Splits `path` into the resource type and the id; checks that a POST names a collection and the other
/// methods a resource.
boost::system::result<void, error> read_path(std::string_view path, bulk_operation& op) {
    const std::string expected =
        op.verb == bulk_method::post ? "\"/Users\" or \"/Groups\"" : "\"/Users/{id}\" or \"/Groups/{id}\"";
    auto bad = [&](std::string why) {
        return invalid_value("'path' " + why + ": " + op.method + " takes " + expected);
    };
    if (path.find_first_of("?#") != std::string_view::npos) return bad("has a query or fragment");
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    auto slash = path.find('/');
    auto collection = path.substr(0, slash);
    std::string_view id = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (common::equal_folded(collection, "Users"))
        op.resource = bulk_resource::users;
    else if (common::equal_folded(collection, "Groups"))
        op.resource = bulk_resource::groups;
    else
        return bad("names no resource type Bulk can change");
    if (op.verb == bulk_method::post) {
        if (!id.empty()) return bad("names a resource");
        return {};
    }
    if (id.empty()) return bad("names no resource");
    if (id.find('/') != std::string_view::npos || id == ".search") return bad("is not a resource");
    op.id = std::string(id);
    return {};
}

/// Reads one operation's shape into `op`; `op.method` and `op.bulk_id` are filled in as far as they can be,
/// even when an error is returned, so the response can name the operation.
boost::system::result<void, error> read_operation(const json& item, bulk_operation& op) {
    if (!item.is_object())
        return invalid_syntax(
            "an operation must be an object with 'method', 'path' and, but for DELETE, 'data'");
    const json* method = resource::json_member(item, "method");
    if (method != nullptr && method->is_string()) op.method = method->get<std::string>();
    const json* bulk_id = resource::json_member(item, "bulkId");
    if (bulk_id != nullptr && bulk_id->is_string()) op.bulk_id = bulk_id->get<std::string>();

    if (method == nullptr || !method->is_string()) return invalid_syntax("'method' must be a string");
    auto verb = method_from(op.method);
    if (!verb)
        return invalid_value("unsupported method '" + op.method + "': expected POST, PUT, PATCH or DELETE");
    op.verb = *verb;
    op.method = std::string(to_string(*verb));

    if (bulk_id != nullptr && !bulk_id->is_null() && !bulk_id->is_string())
        return invalid_syntax("'bulkId' must be a string");
    if (op.bulk_id && op.bulk_id->empty()) return invalid_value("'bulkId' is empty");
    if (op.verb == bulk_method::post && !op.bulk_id)
        return invalid_value("a POST operation needs a 'bulkId'");

    const json* path = resource::json_member(item, "path");
    if (path == nullptr || !path->is_string()) return invalid_syntax("'path' must be a string");
    if (auto r = read_path(path->get_ref<const std::string&>(), op); !r) return r.error();

    if (const json* version = resource::json_member(item, "version");
        version != nullptr && !version->is_null()) {
        if (!version->is_string()) return invalid_syntax("'version' must be a string (an entity tag)");
        if (op.verb != bulk_method::post) op.version = version->get<std::string>();
    }

    if (op.verb != bulk_method::remove) {
        const json* data = resource::json_member(item, "data");
        if (data == nullptr || !data->is_object())
            return invalid_syntax("'data' must be an object: the body of the " + op.method);
        op.data = *data;
    }
    return {};
}

}  // namespace

std::string_view to_string(bulk_method m) noexcept {
    switch (m) {
        case bulk_method::post:
            return "POST";
        case bulk_method::put:
            return "PUT";
        case bulk_method::patch:
            return "PATCH";
        case bulk_method::remove:
            return "DELETE";
    }
    return "POST";
}

boost::system::result<bulk_request, error> read_bulk_request(const json& body, std::size_t max_operations) {
    if (!body.is_object()) return invalid_syntax("the Bulk body must be a JSON object");
    const json* schemas = resource::json_member(body, "schemas");
    if (schemas == nullptr || !lists_bulk_request(*schemas))
        return invalid_syntax("'schemas' must list \"" + std::string(bulk_request_urn) + "\"");
    const json* ops = resource::json_member(body, "Operations");
    if (ops == nullptr || !ops->is_array())
        return invalid_syntax("'Operations' must be an array of operations");
    if (ops->empty()) return invalid_syntax("'Operations' is empty");
    if (ops->size() > max_operations)
        return error(413, "",
                     "the request has " + std::to_string(ops->size()) +
                         " operations, more than maxOperations (" + std::to_string(max_operations) + ")");

    bulk_request out;
    if (const json* fail = resource::json_member(body, "failOnErrors"); fail != nullptr && !fail->is_null()) {
        if (!fail->is_number_integer() ||
            (fail->is_number_unsigned() ? fail->get<std::uint64_t>() < 1 : fail->get<std::int64_t>() < 1))
            return invalid_value("'failOnErrors' must be an integer of at least 1");
        out.fail_on_errors = fail->is_number_unsigned()
                                 ? fail->get<std::uint64_t>()
                                 : static_cast<std::uint64_t>(fail->get<std::int64_t>());
    }

    std::map<std::string, std::size_t, std::less<>> first_use;
    out.operations.resize(ops->size());
    for (std::size_t i = 0; i < ops->size(); ++i) {
        auto& op = out.operations[i];
        auto read = read_operation((*ops)[i], op);
        if (read && op.bulk_id) {
            auto [it, inserted] = first_use.try_emplace(*op.bulk_id, i);
            if (!inserted)
                read = invalid_value("'bulkId' \"" + *op.bulk_id + "\" is already used by Operations[" +
                                     std::to_string(it->second) + "]");
        }
        if (!read) {
            op.failure = in_operation(i, read.error());
            op.data = nullptr;
        }
    }
    return out;
}

}  // namespace dirsync::scim
