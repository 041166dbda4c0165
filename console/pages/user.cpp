// One user: status, roles with assign and remove, source and subject, groups, the status actions and delete
// (confirmed), and the user's audit trail.
#include <algorithm>

#include "console/html.hpp"
#include "console/page.hpp"
#include "console/status.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

/// Refusals to show on the page, beside what they concern.
struct refusals {
    unsigned status = 200;
    std::string action;  ///< a status action or delete
    std::string role;    ///< assigning or removing a role
};

struct user_action {
    const char* name;     ///< the API's action
    const char* label;    ///< the button
    const char* confirm;  ///< the question, for the ones that take access away; null otherwise
};

constexpr user_action actions[] = {
    {"enable", "Enable", nullptr},
    {"disable", "Disable", "Disable this user? They lose access until enabled again."},
    {"disconnect", "Disconnect", "Disconnect this user from the tenant? The record and its history stay."},
    {"reconnect", "Reconnect", nullptr},
    {"register", "Mark registered", nullptr},
};

/// The actions an administrator may take from `status` (docs/user-statuses.md); the API decides, these are
/// the ones worth a button.
bool offered(std::string_view action, std::string_view status) {
    if (action == "enable") return status == "disabled";
    if (action == "disable")
        return status == "active" || status == "provisioned" || status == "orphan" || status == "requested";
    if (action == "disconnect") return status != "disconnected";
    if (action == "reconnect") return status == "disconnected";
    if (action == "register") return status == "provisioned";
    return false;
}

std::string user_path(std::string_view tenant, std::string_view user) {
    return "/tenants/" + encode(tenant) + "/users/" + encode(user);
}

std::string fact(std::string_view label, const std::string& html) {
    return "<dt>" + escape(label) + "</dt><dd>" + html + "</dd>";
}

http::response show(const page_call& c, const refusals& refused) {
    const std::string tenant(c.param("tenant"));
    const std::string user_id(c.param("user"));
    auto a = c.api.get(user_path(tenant, user_id));
    if (!a.ok()) return failure_page(c, a, tenant);
    const json& u = a.body;
    const std::string status = u.value("status", "");
    const std::string here = c.tenant_url(tenant, "/users/" + encode(user_id));

    std::string emails;
    for (const auto& e : u.value("emails", json::array()))
        if (e.is_string()) emails += (emails.empty() ? "" : "<br>") + escape(e.get<std::string>());
    std::string body = "<dl class=\"facts\" id=\"user\">";
    body += fact("User name", escape(u.value("userName", "")));
    body += fact("Display name", escape(text_of(at(u, "displayName"))));
    std::string name;
    for (const char* part : {"givenName", "familyName"})
        if (at(u, part).is_string()) name += (name.empty() ? "" : " ") + at(u, part).get<std::string>();
    body += fact("Name", name.empty() ? "-" : escape(name));
    body += fact("E-mail", emails.empty() ? "-" : emails);
    body += fact("Status", status_badge(status) + " <span class=\"muted\">since " +
                               escape(when(at(u, "statusSince"))) + "</span>");
    body += fact("Holds a seat", u.value("seat", false) ? "yes" : "no");
    body += fact("Source", escape(u.value("source", "")));
    body += fact("IdP subject", "<code>" + escape(text_of(at(u, "subject"))) + "</code>");
    body += fact("User id", "<code>" + escape(u.value("id", "")) + "</code>");
    body += fact("Registered", escape(when(at(u, "registered"))));
    body += fact("Created", escape(when(at(u, "created"))));
    body += fact("Last modified", escape(when(at(u, "lastModified"))));
    body += "</dl>";

    body +=
        "<h2 id=\"actions-heading\">Actions</h2><div class=\"actions\" aria-labelledby=\"actions-heading\">";
    for (const auto& act : actions) {
        if (!offered(act.name, status)) continue;
        body += form_start(c, here + "/status", act.confirm ? act.confirm : "", "inline");
        body += "<input type=\"hidden\" name=\"action\" value=\"" + std::string(act.name) + "\">";
        body += "<button type=\"submit\" id=\"action-" + std::string(act.name) + "\"" +
                (act.confirm ? " class=\"danger\"" : "") + ">" + act.label + "</button></form>";
    }
    body +=
        form_start(c, here + "/delete",
                   "Delete " + u.value("userName", user_id) + "? The record is removed for good.", "inline");
    body += "<button type=\"submit\" class=\"danger\" id=\"action-delete\">Delete</button></form></div>";
    body += error_note("action-error", refused.action);

    body += "<h2>Roles</h2><ul id=\"roles\">";
    std::vector<std::string> held;
    for (const auto& r : u.value("roles", json::array())) {
        if (!r.is_string()) continue;
        const std::string role = r.get<std::string>();
        held.push_back(role);
        body += "<li>" + escape(role) + " " + form_start(c, here + "/roles", {}, "inline") +
                "<input type=\"hidden\" name=\"op\" value=\"remove\"><input type=\"hidden\" name=\"role\" "
                "value=\"" +
                escape(role) + "\"><button type=\"submit\" aria-label=\"Remove role " + escape(role) +
                "\">Remove</button></form></li>";
    }
    if (held.empty()) body += "<li class=\"muted\">No role.</li>";
    body += "</ul>";
    auto catalogue = c.api.get("/tenants/" + encode(tenant) + "/roles");
    body +=
        form_start(c, here + "/roles", {}, "bar") + "<input type=\"hidden\" name=\"op\" value=\"assign\">";
    body +=
        "<div><label for=\"role\">Assign a role</label><select id=\"role\" name=\"role\"" +
        std::string(refused.role.empty() ? "" : " aria-invalid=\"true\" aria-describedby=\"role-error\"") +
        ">";
    if (catalogue.ok())
        for (const auto& r : catalogue.body.value("roles", json::array())) {
            const std::string name = r.value("name", "");
            if (std::find(held.begin(), held.end(), name) == held.end())
                body += "<option value=\"" + escape(name) + "\">" + escape(name) + "</option>";
        }
    body += "</select></div><button type=\"submit\" id=\"assign-role\">Assign</button></form>";
    body += error_note("role-error", refused.role);

    body += "<h2>Groups</h2><ul id=\"groups\">";
    const auto& groups = u.value("groups", json::array());
    for (const auto& g : groups)
        body += "<li>" + escape(g.value("displayName", g.value("id", ""))) +
                (g.value("direct", true) ? "" : " <span class=\"muted\">(through a nested group)</span>") +
                "</li>";
    if (groups.empty()) body += "<li class=\"muted\">In no group.</li>";
    body += "</ul>";

    body += "<h2>Audit trail</h2>";
    auto events = c.api.get("/tenants/" + encode(tenant) + "/audit?limit=20&user=" + encode(user_id));
    if (events.ok()) {
        body += audit_table(at(events.body, "events"), "user-audit");
        body +=
            "<p>" + link(c.tenant_url(tenant, "/audit?user=" + encode(user_id)), "The whole trail") + "</p>";
    } else {
        body += error_note("audit-error", events.detail());
    }
    return render(c, {u.value("userName", user_id), std::move(body), refused.status, tenant});
}

http::response show_page(const page_call& c) { return show(c, {}); }

/// After a form: back to the user with `notice`, or the page again with the API's refusal beside `what`.
http::response after(const page_call& c, const api_answer& a, std::string notice,
                     std::string refusals::*what) {
    const std::string tenant(c.param("tenant"));
    if (a.ok())
        return redirect_with_notice(c, c.tenant_url(tenant, "/users/" + encode(c.param("user"))),
                                    std::move(notice));
    if (a.status == 404 && a.code() != "unknown_role") return failure_page(c, a, tenant);
    refusals r;
    r.status = a.status;
    r.*what = a.detail();
    return show(c, r);
}

http::response change_status(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    const std::string action = c.field("action");
    const user_action* act = nullptr;
    for (const auto& each : actions)
        if (action == each.name) act = &each;
    if (!act) {
        refusals r{400, "Choose one of the actions shown.", {}};
        return show(c, r);
    }
    if (act->confirm && !confirmed(c))
        return confirmation(c, act->confirm, act->label,
                            c.tenant_url(tenant, "/users/" + encode(c.param("user"))), tenant);
    auto a = c.api.send("POST", user_path(tenant, c.param("user")) + "/" + action);
    std::string name = a.ok() ? a.body.value("userName", "") : std::string();
    return after(c, a,
                 "User " + name + ": " + act->label + " done; status is now " +
                     (a.ok() ? status_label(a.body.value("status", "")) : std::string()) + ".",
                 &refusals::action);
}

http::response remove(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    const std::string back = c.tenant_url(tenant, "/users/" + encode(c.param("user")));
    if (!confirmed(c))
        return confirmation(c, "Delete this user? The record is removed for good.", "Delete", back, tenant);
    auto a = c.api.send("DELETE", user_path(tenant, c.param("user")));
    if (a.ok()) return redirect_with_notice(c, c.tenant_url(tenant, "/users"), "The user was deleted.");
    return after(c, a, {}, &refusals::action);
}

http::response change_role(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    const std::string role = c.field("role");
    const std::string op = c.field("op");
    if (role.empty() || (op != "assign" && op != "remove")) {
        refusals r{400, {}, "Choose a role to assign."};
        return show(c, r);
    }
    auto a = c.api.send(op == "assign" ? "PUT" : "DELETE",
                        user_path(tenant, c.param("user")) + "/roles/" + encode(role));
    return after(c, a, (op == "assign" ? "Role " + role + " assigned." : "Role " + role + " removed."),
                 &refusals::role);
}

}  // namespace

void add_user_detail_pages(page_table& t) {
    t.get("/tenants/{tenant}/users/{user}", show_page);
    t.post("/tenants/{tenant}/users/{user}/status", change_status);
    t.post("/tenants/{tenant}/users/{user}/delete", remove);
    t.post("/tenants/{tenant}/users/{user}/roles", change_role);
}

}  // namespace dirsync::console
