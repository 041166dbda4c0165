// The /tenants/{id}/notifications endpoints: the outbox of a tenant (pending, delivered and failed notices)
// and retrying a failed one.
#include <string>
#include <variant>

#include "admin/access.hpp"
#include "admin/params.hpp"
#include "admin/response.hpp"
#include "admin/tenant_routes.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json message_json(const directory::outbox_message& m) {
    json out{{"id", m.id},       {"event", m.event},       {"channel", m.channel},
             {"state", m.state}, {"attempts", m.attempts}, {"created", common::format_rfc3339(m.created)}};
    if (m.recipient) out["recipient"] = *m.recipient;
    if (m.subject) out["subject"] = *m.subject;
    if (m.next_attempt) out["nextAttempt"] = common::format_rfc3339(*m.next_attempt);
    if (m.last_error) out["lastError"] = *m.last_error;
    if (m.done) out["done"] = common::format_rfc3339(*m.done);
    return out;
}

}  // namespace

void add_notification_routes(http::router::mount& m, directory::tenant_directory& dir) {
    tenant_route(m, "GET", "/tenants/{id}/notifications", dir,
                 [&dir](const http::route_call&, const tenant_call& t) {
                     auto limit = limit_of(t.query, default_page_size, max_page_size);
                     if (auto* refused = std::get_if<http::response>(&limit)) return std::move(*refused);
                     std::optional<std::int64_t> before;
                     if (auto b = t.query.get("before")) {
                         before = positive_id(*b);
                         if (!before)
                             return error_response(400, "invalid_value",
                                                   "before must be a message id (a positive integer)");
                     }
                     const auto state = t.query.get("state");
                     auto messages = dir.outbox(t.tenant, state ? *state : std::string_view(), before,
                                                static_cast<std::int64_t>(std::get<std::size_t>(limit)));
                     if (!messages) return refusal_response(messages.error());
                     json items = json::array();
                     for (const auto& msg : *messages) items.push_back(message_json(msg));
                     json out{{"notifications", items}};
                     if (messages->size() == std::get<std::size_t>(limit) && !messages->empty())
                         out["next"] = std::to_string(messages->back().id);
                     return json_response(200, out);
                 });
    tenant_route(m, "POST", "/tenants/{id}/notifications/{message}/retry", dir,
                 [&dir](const http::route_call& call, const tenant_call& t) {
                     const auto raw = call.params.get("message");
                     const auto id = positive_id(raw);
                     if (!id)
                         return error_response(404, "not_found", "no message '" + std::string(raw) + "'");
                     auto msg = dir.retry_message(t.who, t.tenant, *id);
                     if (!msg) return refusal_response(msg.error());
                     return json_response(200, message_json(*msg));
                 });
}

}  // namespace dirsync::admin
