// The /tenants/{id}/roles endpoints: a tenant's role catalogue.
#include <string>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json role_json(const directory::role_info& r) {
    return {{"name", r.name}, {"description", r.description}, {"builtin", r.builtin}, {"users", r.users}};
}

/// `description` of a role body: absent is empty; anything but a string is a 400.
std::variant<std::string, http::response> description_of(const json& body) {
    auto it = body.find("description");
    if (it == body.end()) return std::string();
    if (!it->is_string()) return error_response(400, "invalid_value", "description must be a string");
    return it->get<std::string>();
}

}  // namespace

void add_role_routes(http::router::mount& m, directory::tenant_directory& dir,
                     common::json_input_limits limits) {
    tenant_route(m, "GET", "/tenants/{id}/roles", dir, [&dir](const http::route_call&, const tenant_call& t) {
        const auto tenant = t.tenant;
        auto roles = dir.roles(tenant);
        if (!roles) return refusal_response(roles.error());
        json out = json::array();
        for (const auto& r : *roles) out.push_back(role_json(r));
        return json_response(200, {{"roles", std::move(out)}});
    });
    tenant_route(m, "POST", "/tenants/{id}/roles", dir,
                 [&dir, limits](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     auto body = object_body(call.req, limits);
                     if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
                     const auto& b = std::get<json>(body);
                     if (auto refused = unknown_member(b, {"name", "description"}))
                         return std::move(*refused);
                     auto name = b.find("name");
                     if (name == b.end() || !name->is_string())
                         return error_response(400, "invalid_value",
                                               "name is required: the role's name, like \"auditor\"");
                     auto description = description_of(b);
                     if (auto* refused = std::get_if<http::response>(&description))
                         return std::move(*refused);
                     auto role = dir.create_role(t.who, tenant, name->get<std::string>(),
                                                 std::get<std::string>(description));
                     if (!role) return refusal_response(role.error());
                     auto res = json_response(201, role_json(*role));
                     res.headers.push_back(
                         {"Location", "/admin/v1/tenants/" + std::string(tenant) + "/roles/" + role->name});
                     return res;
                 });
    tenant_route(m, "PATCH", "/tenants/{id}/roles/{role}", dir,
                 [&dir, limits](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     auto body = object_body(call.req, limits);
                     if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
                     const auto& b = std::get<json>(body);
                     if (auto refused = unknown_member(b, {"description"})) return std::move(*refused);
                     if (!b.contains("description"))
                         return error_response(400, "invalid_value",
                                               "description is required: the only thing to change");
                     auto description = description_of(b);
                     if (auto* refused = std::get_if<http::response>(&description))
                         return std::move(*refused);
                     auto role = dir.describe_role(t.who, tenant, call.params.get("role"),
                                                   std::get<std::string>(description));
                     if (!role) return refusal_response(role.error());
                     return json_response(200, role_json(*role));
                 });
    tenant_route(m, "DELETE", "/tenants/{id}/roles/{role}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     const auto force_param = t.query.get("force");
                     if (force_param && *force_param != "true" && *force_param != "false")
                         return error_response(400, "invalid_value", "force must be true or false");
                     const bool force = force_param && *force_param == "true";
                     const auto role = call.params.get("role");
                     auto removed = dir.delete_role(t.who, tenant, role, force);
                     if (!removed) return refusal_response(removed.error());
                     return json_response(
                         200, {{"deleted", role},
                               {"removedFrom",
                                {{"users", removed->users}, {"openInvitations", removed->invitations}}}});
                 });
}

}  // namespace dirsync::admin
