#include "scim/bulk_endpoint.hpp"

#include <optional>
#include <vector>

#include "common/casefold.hpp"
#include "common/log.hpp"
#include "common/unavailable.hpp"
#include "scim/bulk_plan.hpp"
#include "scim/bulk_request.hpp"
#include "scim/groups_endpoint.hpp"
#include "scim/json_body.hpp"
#include "scim/users_endpoint.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

std::optional<std::string_view> header_of(const http::response& res, std::string_view name) {
    for (const auto& h : res.headers)
        if (common::equal_folded(h.name, name)) return h.value;
    return std::nullopt;
}

std::string_view collection_of(bulk_resource r) { return r == bulk_resource::users ? "Users" : "Groups"; }

}  // namespace

http::response bulk_endpoint::handle(const bulk_request_context& ctx) const {
    const auto& limits = settings_.bulk;
    if (limits.max_operations == 0)
        return to_response(error(501, "", "Bulk operations are not supported by this service provider"));
    if (ctx.req.body.size() > limits.max_payload_bytes)
        return to_response(error(413, "",
                                 "the size of the Bulk request (" + std::to_string(ctx.req.body.size()) +
                                     " bytes) exceeds maxPayloadSize (" +
                                     std::to_string(limits.max_payload_bytes) + ")"));
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    auto request = read_bulk_request(*body, limits.max_operations);
    if (!request) return to_response(request.error());
    auto& operations = request->operations;

    users_endpoint users(dir_, settings_);
    groups_endpoint groups(dir_, settings_);
    const std::string users_url = ctx.base_url + "/Users";
    const std::string groups_url = ctx.base_url + "/Groups";

    // Runs one well-formed operation, its references resolved, as the equivalent single request.
    auto run = [&](const bulk_operation& op) -> http::response {
        http::request sub;
        sub.method = op.method;
        sub.target = settings_.base_path + "/" + std::string(collection_of(op.resource));
        if (!op.id.empty()) sub.target += "/" + op.id;
        if (op.version) sub.headers.push_back({"If-Match", *op.version});
        sub.remote = ctx.req.remote;
        sub.stop = ctx.req.stop;
        if (op.resource == bulk_resource::users) {
            user_request_context uc{sub, ctx.tenant, ctx.who, users_url, {}};
            switch (op.verb) {
                case bulk_method::post:
                    return users.create(uc, op.data);
                case bulk_method::put:
                    return users.replace(uc, op.id, op.data);
                case bulk_method::patch:
                    return users.patch(uc, op.id, op.data);
                case bulk_method::remove:
                    return users.remove(uc, op.id);
            }
        }
        group_request_context gc{sub, ctx.tenant, ctx.who, groups_url, {}};
        switch (op.verb) {
            case bulk_method::post:
                return groups.create(gc, op.data);
            case bulk_method::put:
                return groups.replace(gc, op.id, op.data);
            case bulk_method::patch:
                return groups.patch(gc, op.id, op.data);
            case bulk_method::remove:
                return groups.remove(gc, op.id);
        }
        return to_response(invalid_value("unsupported operation"));  // unreachable: every verb is handled
    };

    // Storage that fails for a while (a full disk) fails the operation, not the whole Bulk: the operations
    // before it are committed and must be reported.
    auto run_unless_unavailable = [&](const bulk_operation& op) -> http::response {
        try {
            return run(op);
        } catch (const common::temporarily_unavailable& e) {
            common::log_warning(std::string("scim: a Bulk operation was not applied: ") + e.what());
            return to_response(error(503, "", e.public_message()));
        }
    };

    bulk_id_table ids(operations);
    std::vector<std::optional<json>> results(operations.size());
    std::size_t failures = 0;
    for (const auto& step : plan_bulk(operations)) {
        if (request->fail_on_errors && failures >= *request->fail_on_errors) break;
        auto& op = operations[step.operation];
        http::response res;
        if (op.failure)
            res = to_response(*op.failure);
        else if (ctx.req.stop.stop_requested())  // the server stopped waiting: apply nothing more
            res = to_response(
                error(503, "", "the server is shutting down; this operation was not applied: send it again"));
        else if (step.circular)
            res = to_response(
                error(409, "invalidValue",
                      "the POST with bulkId \"" + op.bulk_id.value_or("") +
                          "\" is part of a cycle of bulkId references, which cannot be resolved"));
        else if (auto resolved = ids.resolve_references(op); !resolved)
            res = to_response(resolved.error());
        else
            res = run_unless_unavailable(op);

        const bool ok = res.status >= 200 && res.status < 300;
        json result = {{"method", op.method}};
        if (op.bulk_id) result["bulkId"] = *op.bulk_id;
        const std::string& collection_url = op.resource == bulk_resource::users ? users_url : groups_url;
        if (op.verb == bulk_method::post && !op.failure) {
            auto location = header_of(res, "Location");
            if (ok && location) {
                result["location"] = *location;
                const std::string prefix = collection_url + "/";
                if (op.bulk_id && location->size() > prefix.size() && location->starts_with(prefix))
                    ids.created(*op.bulk_id, std::string(location->substr(prefix.size())));
            }
        } else if (!op.failure && !op.id.empty() && !bulk_id_reference(op.id)) {
            result["location"] = collection_url + "/" + op.id;
        }
        if (auto etag = header_of(res, "ETag"); ok && etag) result["version"] = *etag;
        result["status"] = std::to_string(res.status);
        if (!ok) {
            ++failures;
            auto response = json::parse(res.body, nullptr, false);
            if (response.is_discarded())  // every failure above is a SCIM Error; this is only a safety net
                response = {{"schemas", json::array({"urn:ietf:params:scim:api:messages:2.0:Error"})},
                            {"status", std::to_string(res.status)}};
            result["response"] = std::move(response);
        }
        results[step.operation] = std::move(result);
    }

    json out = {{"schemas", json::array({std::string(bulk_response_urn)})}, {"Operations", json::array()}};
    for (auto& r : results)
        if (r) out["Operations"].push_back(std::move(*r));
    return json_response(200, out);
}

}  // namespace dirsync::scim
