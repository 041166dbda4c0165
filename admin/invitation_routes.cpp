// The invitation endpoints: /tenants/{id}/invitations (invite, list, show, resend, revoke) and
// /invitations/accept (the product's registration page).
#include <string>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"
#include "admin/user_view.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json invitation_json(const directory::invitation& i) {
    json out{{"id", i.id},
             {"userId", i.id},
             {"email", i.email},
             {"roles", i.roles},
             {"invitedBy", i.invited_by},
             {"state", directory::to_string(i.state)},
             {"created", common::format_rfc3339(i.created)},
             {"sent", common::format_rfc3339(i.sent)},
             {"expires", common::format_rfc3339(i.expires)},
             {"sends", i.sends}};
    if (i.ended) out["ended"] = common::format_rfc3339(*i.ended);
    return out;
}

json outcome_json(const directory::invite_outcome& o) {
    json out{{"address", o.address}, {"outcome", o.refused.empty() ? "invited" : "refused"}};
    if (!o.refused.empty()) {
        out["code"] = o.refused;
        out["detail"] = o.message;
    }
    if (o.invited) out["invitation"] = invitation_json(*o.invited);
    // The code is shown once, here and in the invitation message; only its hash is kept.
    if (!o.code.empty()) out["inviteCode"] = o.code;
    return out;
}

/// Strings from a member that is a string or a list of strings; a 400 naming `name` otherwise.
std::variant<std::vector<std::string>, http::response> strings_of(const json& body, const char* name) {
    std::vector<std::string> out;
    auto it = body.find(name);
    if (it == body.end()) return out;
    if (it->is_string()) {
        out.push_back(it->get<std::string>());
        return out;
    }
    if (it->is_array()) {
        for (const auto& v : *it) {
            if (!v.is_string()) break;
            out.push_back(v.get<std::string>());
        }
        if (out.size() == it->size()) return out;
    }
    return error_response(400, "invalid_value", std::string(name) + " must be a string or a list of strings");
}

std::optional<directory::invitation_filter> filter_of(std::string_view state) {
    using f = directory::invitation_filter;
    if (state == "open") return f::open;
    if (state == "pending") return f::pending;
    if (state == "expired") return f::expired;
    if (state == "accepted") return f::accepted;
    if (state == "revoked") return f::revoked;
    if (state == "all") return f::all;
    return std::nullopt;
}

/// The HTTP status of an invite answer: 200 when someone was invited; otherwise that of the first refusal
/// (429 for the rate limit, 409 for someone already in, 400 for a bad address or role).
unsigned status_of(const std::vector<directory::invite_outcome>& outcomes) {
    for (const auto& o : outcomes)
        if (o.refused.empty()) return 200;
    for (const auto& o : outcomes)
        if (o.refused == "rate_limited") return 429;
    for (const auto& o : outcomes)
        if (o.refused == "registered_user" || o.refused == "already_invited" || o.refused == "duplicate")
            return 409;
    return 400;
}

std::optional<std::string> text_member(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

}  // namespace

void add_invitation_routes(http::router::mount& m, directory::tenant_directory& dir,
                           common::json_input_limits limits) {
    tenant_route(
        m, "POST", "/tenants/{id}/invitations", dir,
        [&dir, limits](const http::route_call& call, const tenant_call& t) {
            auto body = object_body(call.req, limits);
            if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
            const auto& b = std::get<json>(body);
            if (auto refused = unknown_member(b, {"emails", "roles"})) return std::move(*refused);
            auto emails = strings_of(b, "emails");
            if (auto* refused = std::get_if<http::response>(&emails)) return std::move(*refused);
            auto roles = strings_of(b, "roles");
            if (auto* refused = std::get_if<http::response>(&roles)) return std::move(*refused);
            directory::invite_request request{std::move(std::get<0>(emails)), std::move(std::get<0>(roles))};
            auto outcomes = dir.invite(t.who, t.tenant, request);
            if (!outcomes) return refusal_response(outcomes.error());
            json results = json::array();
            std::size_t invited = 0;
            std::optional<std::chrono::seconds> retry_after;
            for (const auto& o : *outcomes) {
                invited += o.refused.empty();
                if (o.retry_after && (!retry_after || *o.retry_after < *retry_after))
                    retry_after = o.retry_after;
                results.push_back(outcome_json(o));
            }
            const auto status = status_of(*outcomes);
            json answer{{"invited", invited},
                        {"refused", outcomes->size() - invited},
                        {"results", std::move(results)}};
            if (status != 200) {
                answer["schemas"] = {"urn:ietf:params:scim:api:messages:2.0:Error"};
                answer["status"] = std::to_string(status);
                answer["code"] = outcomes->front().refused;
                answer["detail"] = outcomes->front().message;
            }
            auto res = json_response(status, answer);
            if (retry_after) res.headers.push_back({"Retry-After", std::to_string(retry_after->count())});
            return res;
        });
    tenant_route(
        m, "GET", "/tenants/{id}/invitations", dir, [&dir](const http::route_call&, const tenant_call& t) {
            auto limit = limit_of(t.query, default_page_size, max_page_size);
            if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
            const auto state = t.query.get("state");
            const auto filter = filter_of(state ? *state : "open");
            if (!filter)
                return error_response(400, "invalid_value",
                                      "state must be open, pending, expired, accepted, revoked or all");
            std::optional<std::string> after;
            if (auto a = t.query.get("after")) after = std::string(*a);
            auto page = dir.invitations(t.tenant, *filter, after,
                                        static_cast<std::int64_t>(std::get<std::size_t>(limit)));
            if (!page) return refusal_response(page.error());
            json items = json::array();
            for (const auto& i : page->invitations) items.push_back(invitation_json(i));
            json out{{"invitations", std::move(items)}};
            if (page->next) out["next"] = *page->next;
            return json_response(200, out);
        });
    tenant_route(m, "GET", "/tenants/{id}/invitations/{invitation}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     auto i = dir.get_invitation(t.tenant, call.params.get("invitation"));
                     if (!i) return refusal_response(i.error());
                     return json_response(200, invitation_json(*i));
                 });
    tenant_route(m, "POST", "/tenants/{id}/invitations/{invitation}/resend", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     auto o = dir.resend_invitation(t.who, t.tenant, call.params.get("invitation"));
                     if (!o) return refusal_response(o.error());
                     return json_response(200, outcome_json(*o));
                 });
    tenant_route(m, "DELETE", "/tenants/{id}/invitations/{invitation}", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     auto i = dir.revoke_invitation(t.who, t.tenant, call.params.get("invitation"));
                     if (!i) return refusal_response(i.error());
                     return json_response(200, invitation_json(*i));
                 });
    // The product's registration page: the code says which tenant; a tenant admin token accepts codes of
    // its own tenant only (any other is unknown).
    m.route("POST", "/invitations/accept", [&dir, limits](const http::route_call& call) {
        auto body = object_body(call.req, limits);
        if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
        const auto& b = std::get<json>(body);
        if (auto refused = unknown_member(b, {"code", "givenName", "familyName", "accountName"}))
            return std::move(*refused);
        directory::acceptance a;
        auto code = text_member(b, "code");
        if (!code || code->empty())
            return error_response(400, "invalid_value", "code is required: the invite code from the message");
        a.code = std::move(*code);
        a.given_name = text_member(b, "givenName").value_or("");
        a.family_name = text_member(b, "familyName").value_or("");
        a.account_name = text_member(b, "accountName");
        std::optional<std::string_view> scope;
        if (call.who.is(http::principal::role::tenant_admin)) scope = call.who.tenant;
        auto u = dir.accept_invitation(a, scope);
        if (!u) return refusal_response(u.error());
        auto res = json_response(200, user_json(*u));
        res.tenant = u->tenant_id;
        return res;
    });
}

}  // namespace dirsync::admin
