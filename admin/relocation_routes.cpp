// The /relocations endpoints: an operator asks to move a person's record between tenants, an active admin of
// the destination authorises or refuses it.
#include <string>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json relocation_json(const directory::relocation& r) {
    json out{{"id", r.id},
             {"userId", r.user_id},
             {"from", r.from_tenant},
             {"to", r.to_tenant},
             {"reason", r.reason},
             {"roles", r.roles},
             {"requestedBy", r.requested_by},
             {"state", r.state},
             {"attempts", r.attempts},
             {"created", common::format_rfc3339(r.created)},
             {"asked", common::format_rfc3339(r.asked)},
             {"expires", common::format_rfc3339(r.expires)}};
    if (r.requester_user) out["requesterUser"] = *r.requester_user;
    if (r.cancel_reason) out["cancelReason"] = *r.cancel_reason;
    if (r.ended) out["ended"] = common::format_rfc3339(*r.ended);
    if (r.decided_by) out["decidedBy"] = *r.decided_by;
    return out;
}

http::response operator_only() {
    return error_response(403, "operator_only",
                          "only an operator token asks for, reminds or withdraws relocations");
}

bool involves(const directory::relocation& r, const http::principal& who) {
    return may_access(who, r.from_tenant) || may_access(who, r.to_tenant);
}

/// The relocation named by the path's {id} as the caller may see it, or the 404.
std::variant<directory::relocation, http::response> visible(const http::route_call& call,
                                                            const directory::tenant_directory& dir) {
    const auto raw = call.params.get("id");
    const auto id = positive_id(raw);
    auto r = id ? dir.get_relocation(*id) : directory::result<directory::relocation>(directory::error());
    if (!id || !r || !involves(*r, call.who))
        return error_response(404, "not_found", "no relocation '" + std::string(raw) + "'");
    return std::move(*r);
}

}  // namespace

void add_relocation_routes(http::router::mount& m, directory::tenant_directory& dir,
                           common::json_input_limits limits) {
    m.route("POST", "/relocations", [&dir, limits](const http::route_call& call) {
        if (!call.who.is(http::principal::role::operator_admin)) return operator_only();
        auto body = object_body(call.req, limits);
        if (auto* refused = std::get_if<http::response>(&body)) return std::move(*refused);
        const auto& b = std::get<json>(body);
        if (auto refused = unknown_member(b, {"tenant", "userId", "to", "reason", "roles", "expiresInDays"}))
            return std::move(*refused);
        directory::relocation_request request;
        for (auto [name, field] :
             {std::pair{"tenant", &request.from_tenant}, std::pair{"userId", &request.user_id},
              std::pair{"to", &request.to_tenant}, std::pair{"reason", &request.reason}}) {
            auto it = b.find(name);
            if (it == b.end() || !it->is_string())
                return error_response(
                    400, "invalid_value",
                    std::string(name) + " is required: tenant, userId, to and reason, as strings");
            *field = it->get<std::string>();
        }
        if (auto it = b.find("roles"); it != b.end()) {
            if (!it->is_array())
                return error_response(400, "invalid_value", "roles must be a list of role names");
            for (const auto& r : *it) {
                if (!r.is_string())
                    return error_response(400, "invalid_value", "roles must be a list of role names");
                request.roles.push_back(r.get<std::string>());
            }
        }
        if (auto it = b.find("expiresInDays"); it != b.end()) {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 90)
                return error_response(400, "invalid_value",
                                      "expiresInDays must be a whole number from 1 to 90");
            request.expire_after = std::chrono::hours(24 * it->get<std::int64_t>());
        }
        auto who = admin_actor(call.who);
        if (auto acting = call.req.header(acting_user_header)) who.acting_user = std::string(*acting);
        auto r = dir.request_relocation(who, request);
        if (!r) return refusal_response(r.error());
        auto res = json_response(201, relocation_json(*r));
        res.headers.push_back({"Location", "/admin/v1/relocations/" + std::to_string(r->id)});
        return res;
    });
    m.route("GET", "/relocations", [&dir](const http::route_call& call) {
        auto q = query_of(call);
        if (auto* refused = std::get_if<http::response>(&q)) return std::move(*refused);
        const auto& query = std::get<http::query_params>(q);
        auto limit = limit_of(query, default_page_size, max_page_size);
        if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
        std::string tenant;
        if (auto t = query.get("tenant")) tenant = std::string(*t);
        if (call.who.is(http::principal::role::tenant_admin)) {
            if (!tenant.empty() && tenant != call.who.tenant)
                return error_response(404, "unknown_tenant", "no tenant '" + tenant + "'");
            tenant = call.who.tenant;
        }
        std::optional<std::int64_t> before;
        if (auto b = query.get("before")) {
            before = positive_id(*b);
            if (!before) return error_response(400, "invalid_value", "before must be a relocation id");
        }
        const auto state = query.get("state");
        auto found = dir.relocations(tenant, state ? *state : std::string_view(), before,
                                     static_cast<std::int64_t>(std::get<std::size_t>(limit)));
        if (!found) return refusal_response(found.error());
        json items = json::array();
        for (const auto& r : *found) items.push_back(relocation_json(r));
        return json_response(200, {{"relocations", items}});
    });
    m.route("GET", "/relocations/{id}", [&dir](const http::route_call& call) {
        auto r = visible(call, dir);
        if (auto* refused = std::get_if<http::response>(&r)) return std::move(*refused);
        return json_response(200, relocation_json(std::get<directory::relocation>(r)));
    });
    for (const char* verb : {"remind", "withdraw"}) {
        const bool remind = std::string_view(verb) == "remind";
        m.route("POST", std::string("/relocations/{id}/") + verb,
                [&dir, remind](const http::route_call& call) {
                    auto r = visible(call, dir);
                    if (auto* refused = std::get_if<http::response>(&r)) return std::move(*refused);
                    if (!call.who.is(http::principal::role::operator_admin)) return operator_only();
                    const auto id = std::get<directory::relocation>(r).id;
                    auto done = remind ? dir.remind_relocation(admin_actor(call.who), id)
                                       : dir.withdraw_relocation(admin_actor(call.who), id);
                    if (!done) return refusal_response(done.error());
                    return json_response(200, relocation_json(*done));
                });
    }
    // The destination decides: its tenant admin token or an operator, for a named active admin of it.
    for (const char* verb : {"authorise", "refuse"}) {
        const bool authorise = std::string_view(verb) == "authorise";
        m.route("POST", std::string("/relocations/{id}/") + verb,
                [&dir, authorise](const http::route_call& call) {
                    auto r = visible(call, dir);
                    if (auto* refused = std::get_if<http::response>(&r)) return std::move(*refused);
                    const auto& rel = std::get<directory::relocation>(r);
                    auto who = tenant_actor(call, rel.to_tenant, dir);
                    if (auto* refused = std::get_if<http::response>(&who)) return std::move(*refused);
                    auto done = dir.decide_relocation(std::get<directory::actor>(who), rel.id, authorise);
                    if (!done) return refusal_response(done.error());
                    return json_response(200, relocation_json(*done));
                });
    }
}

}  // namespace dirsync::admin
