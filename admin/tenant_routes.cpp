#include "admin/tenant_routes.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/user_view.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

/// A tenant as the admin API shows it. Seats without a limit have no `limit` and no `free` (null).
json tenant_json(const directory::tenant_usage& u) {
    json seats = {{"limit", nullptr}, {"used", u.seats_used}, {"free", nullptr}};
    if (u.settings.seats) {
        const std::int64_t limit = *u.settings.seats;
        seats["limit"] = limit;
        seats["free"] = limit > u.seats_used ? limit - u.seats_used : 0;
    }
    json users = json::object();
    std::int64_t total = 0;
    for (const auto& [status, n] : u.by_status) {
        users[std::string(directory::to_string(status))] = n;
        total += n;
    }
    users["total"] = total;
    return {{"id", u.settings.id}, {"name", u.settings.name}, {"seats", seats}, {"users", users}};
}

std::optional<directory::status_request> request_named(std::string_view action) {
    if (action == "enable") return directory::status_request::enable;
    if (action == "disable") return directory::status_request::disable;
    if (action == "disconnect") return directory::status_request::disconnect;
    if (action == "reconnect") return directory::status_request::reconnect;
    if (action == "register") return directory::status_request::register_person;
    return std::nullopt;
}

/// The user query of a list request's parameters, or a 400 naming the bad one.
std::variant<directory::user_query, http::response> user_query_of(const http::query_params& q) {
    directory::user_query out;
    if (auto v = q.get("status")) {
        auto s = directory::parse_user_status(*v);
        if (!s) {
            std::string known;
            for (auto each : directory::all_user_statuses())
                known += (known.empty() ? "" : ", ") + std::string(directory::to_string(each));
            return error_response(400, "invalid_status",
                                  "unknown status '" + std::string(*v) + "' (known: " + known + ")");
        }
        out.status = *s;
    }
    if (auto v = q.get("role")) out.role = std::string(*v);
    if (auto v = q.get("search")) out.search = std::string(*v);
    if (auto v = q.get("match")) {
        if (*v != "prefix" && *v != "substring")
            return error_response(400, "invalid_match", "match must be prefix or substring");
        out.substring = *v == "substring";
    }
    if (auto v = q.get("id")) out.id = std::string(*v);
    if (auto v = q.get("subject")) out.subject = std::string(*v);
    if (auto v = q.get("cursor")) out.after = std::string(*v);
    return out;
}

/// An admin-created user from `{"userName", "displayName", "givenName", "familyName", "emails" | "email",
/// "externalId", "roles"}`: userName required, the rest optional; e-mails as a list of addresses (the first
/// primary) or one address. Unknown members are refused by name.
std::variant<directory::user_write, http::response> user_write_of(const json& body) {
    directory::user_write w;
    w.source = "admin";
    json resource = json::object();
    json name = json::object();
    const auto text = [](const json& value) -> std::optional<std::string> {
        if (value.is_string() && !value.get_ref<const std::string&>().empty())
            return value.get<std::string>();
        return std::nullopt;
    };
    for (const auto& [key, value] : body.items()) {
        const auto bad = [&](const std::string& what) {
            return error_response(400, "invalid_value", key + " must be " + what);
        };
        if (key == "userName" || key == "displayName" || key == "externalId") {
            auto v = text(value);
            if (!v) return bad("a non-empty string");
            resource[key] = *v;
        } else if (key == "givenName" || key == "familyName") {
            auto v = text(value);
            if (!v) return bad("a non-empty string");
            name[key] = *v;
        } else if (key == "email" || key == "emails") {
            json list = value.is_array() ? value : json::array({value});
            json emails = json::array();
            for (const auto& e : list) {
                auto v = text(e);
                if (!v) return bad("an e-mail address or a list of them");
                emails.push_back({{"value", *v}, {"type", "work"}, {"primary", emails.empty()}});
            }
            if (!emails.empty()) resource["emails"] = std::move(emails);
        } else if (key == "roles") {
            if (!value.is_array()) return bad("a list of role names");
            std::vector<std::string> roles;
            for (const auto& r : value) {
                if (!r.is_string()) return bad("a list of role names");
                roles.push_back(r.get<std::string>());
            }
            w.roles = std::move(roles);
        } else {
            return error_response(
                400, "unknown_member",
                "unknown member \"" + key +
                    "\" (known: userName, displayName, givenName, familyName, email, emails, "
                    "externalId, roles)");
        }
    }
    if (!resource.contains("userName")) return error_response(400, "invalid_value", "userName is required");
    if (!name.empty()) resource["name"] = std::move(name);
    w.resource = std::move(resource);
    return w;
}

/// The id of the one user a registration body names: {"userId": ...}, {"email": ...} (any case) or
/// {"subject": ...} (the IdP subject, exact), exactly one of them. 400 for another body, 404 when nobody
/// matches, 409 (code "ambiguous") when several users do.
std::variant<std::string, http::response> person_of(const json& body, const directory::tenant_directory& dir,
                                                    std::string_view tenant) {
    if (body.size() != 1 || !body.begin().value().is_string())
        return error_response(400, "invalid_value",
                              "name the person by exactly one of userId, email or subject, as a string");
    const std::string key = body.begin().key();
    const std::string text = body.begin().value().get<std::string>();
    std::vector<std::string> ids;
    if (key == "userId") {
        ids.push_back(text);
    } else if (key == "email") {
        for (const auto& u : dir.find_users(tenant, directory::user_index::email, text)) ids.push_back(u.id);
    } else if (key == "subject") {
        auto page = dir.query_users(tenant, directory::user_query{.subject = text}, 2);
        if (page)
            for (const auto& u : page->users) ids.push_back(u.id);
    } else {
        return error_response(400, "unknown_member",
                              "unknown member \"" + key + "\" (known: userId, email, subject)");
    }
    if (ids.empty()) return error_response(404, "not_found", "no user with " + key + " '" + text + "'");
    if (ids.size() > 1)
        return error_response(409, "ambiguous",
                              "several users have " + key + " '" + text + "': register one by its userId");
    return ids.front();
}

json memberships_json(const std::vector<directory::membership>& found) {
    json out = json::array();
    for (const auto& m : found)
        out.push_back({{"tenant", m.tenant_id},
                       {"tenantName", m.tenant_name},
                       {"userId", m.record.id},
                       {"userName", m.record.user_name},
                       {"status", directory::to_string(m.record.status)},
                       {"roles", m.record.roles}});
    return out;
}

}  // namespace

void add_tenant_routes(http::router::mount& m, directory::tenant_directory& dir,
                       common::json_input_limits json_limits) {
    m.route("GET", "/tenants", [&dir](const http::route_call& call) {
        json tenants = json::array();
        for (const auto& u : dir.usages())
            if (may_access(call.who, u.settings.id)) tenants.push_back(tenant_json(u));
        return json_response(200, {{"tenants", std::move(tenants)}});
    });
    tenant_route(m, "GET", "/tenants/{id}", dir, [&dir](const http::route_call&, const tenant_call& t) {
        const auto id = t.tenant;
        auto usage = dir.usage(id);
        if (!usage) return error_response(404, "unknown_tenant", "no tenant '" + std::string(id) + "'");
        return json_response(200, tenant_json(*usage));
    });

    tenant_route(m, "GET", "/tenants/{id}/users", dir, [&dir](const http::route_call&, const tenant_call& t) {
        const auto tenant = t.tenant;
        const auto& q = t.query;
        auto limit = limit_of(q, default_page_size, max_page_size);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        auto query = user_query_of(q);
        if (auto* refused = std::get_if<http::response>(&query)) return std::move(*refused);
        auto page = dir.query_users(tenant, std::get<directory::user_query>(query),
                                    static_cast<std::int64_t>(std::get<std::size_t>(limit)));
        if (!page) return refusal_response(page.error());
        json users = json::array();
        for (const auto& u : page->users) users.push_back(user_json(u));
        return json_response(
            200, {{"users", std::move(users)}, {"next", page->next ? json(*page->next) : json(nullptr)}});
    });
    tenant_route(m, "POST", "/tenants/{id}/users", dir,
                 [&dir, json_limits](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     auto body = object_body(call.req, json_limits);
                     if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
                     auto w = user_write_of(std::get<json>(body));
                     if (auto* refused = std::get_if<http::response>(&w)) return std::move(*refused);
                     auto u = dir.create_user(t.who, tenant, std::move(std::get<directory::user_write>(w)));
                     if (!u) return refusal_response(u.error());
                     auto res = json_response(201, user_json(*u));
                     res.headers.push_back(
                         {"Location", "/admin/v1/tenants/" + std::string(tenant) + "/users/" + u->id});
                     return res;
                 });
    tenant_route(m, "GET", "/tenants/{id}/users/{user}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     auto u = dir.get_user(tenant, call.params.get("user"));
                     if (!u) return refusal_response(u.error());
                     return json_response(200, user_json(*u));
                 });
    tenant_route(m, "DELETE", "/tenants/{id}/users/{user}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     auto done = dir.delete_user(t.who, tenant, call.params.get("user"));
                     if (!done) return refusal_response(done.error());
                     http::response res;
                     res.status = 204;
                     return res;
                 });
    tenant_route(m, "POST", "/tenants/{id}/users/{user}/{action}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     const auto tenant = t.tenant;
                     const auto action = call.params.get("action");
                     auto request = request_named(action);
                     if (!request)
                         return error_response(
                             404, "unknown_action",
                             "no user action '" + std::string(action) +
                                 "' (known: enable, disable, disconnect, reconnect, register)");
                     auto u = dir.change_status(t.who, tenant, call.params.get("user"), *request);
                     if (!u) return refusal_response(u.error());
                     return json_response(200, user_json(*u));
                 });
    // The product reports a first sign-in by whatever it knows the person by: user id, e-mail or IdP subject.
    tenant_route(m, "POST", "/tenants/{id}/registrations", dir,
                 [&dir, json_limits](const http::route_call& call, const tenant_call& t) {
                     auto body = object_body(call.req, json_limits);
                     if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
                     auto who = person_of(std::get<json>(body), dir, t.tenant);
                     if (auto* refused = std::get_if<http::response>(&who)) return std::move(*refused);
                     auto u = dir.change_status(t.who, t.tenant, std::get<std::string>(who),
                                                directory::status_request::register_person);
                     if (!u) return refusal_response(u.error());
                     return json_response(200, user_json(*u));
                 });
    // The product ends a person's membership on their behalf, naming them as for a registration.
    tenant_route(m, "POST", "/tenants/{id}/departures", dir,
                 [&dir, json_limits](const http::route_call& call, const tenant_call& t) {
                     auto body = object_body(call.req, json_limits);
                     if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
                     auto who = person_of(std::get<json>(body), dir, t.tenant);
                     if (auto* refused = std::get_if<http::response>(&who)) return std::move(*refused);
                     auto left = dir.leave_tenant(t.who, t.tenant, std::get<std::string>(who));
                     if (!left) return refusal_response(left.error());
                     return json_response(200, {{"user", user_json(left->record)},
                                                {"otherTenants", memberships_json(left->elsewhere)},
                                                {"withoutTenant", left->elsewhere.empty()}});
                 });
    // A person's memberships across tenants: operators only (a tenant admin sees one tenant).
    m.route("GET", "/people", [&dir](const http::route_call& call) {
        if (!call.who.is(http::principal::role::operator_admin))
            return error_response(403, "operator_only", "only an operator token sees people across tenants");
        auto q = query_of(call);
        if (auto* refused = std::get_if<http::response>(&q)) return std::move(*refused);
        const auto email = std::get<http::query_params>(q).get("email");
        if (!email || email->empty())
            return error_response(400, "invalid_value", "email is required: /people?email=ann@example.com");
        const auto found = dir.memberships_of(*email);
        return json_response(200,
                             {{"email", *email},
                              {"memberships", memberships_json(found)},
                              {"withoutTenant", std::none_of(found.begin(), found.end(), [](const auto& m) {
                                   return m.record.status != directory::user_status::disconnected;
                               })}});
    });
    // Role assignments: PUT gives the user the role, DELETE takes it away; both answer the user.
    for (const char* method : {"PUT", "DELETE"}) {
        const bool assign = std::string_view(method) == "PUT";
        tenant_route(m, method, "/tenants/{id}/users/{user}/roles/{role}", dir,
                     [&dir, assign](const http::route_call& call, const tenant_call& t) {
                         const auto user = call.params.get("user");
                         const auto role = call.params.get("role");
                         auto u = assign ? dir.assign_role(t.who, t.tenant, user, role)
                                         : dir.remove_role(t.who, t.tenant, user, role);
                         if (!u) return refusal_response(u.error());
                         return json_response(200, user_json(*u));
                     });
    }
}

}  // namespace dirsync::admin
