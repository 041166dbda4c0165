// The role catalogue: built-in and custom roles with how many users hold each, create, and delete with the
// impact shown before it is confirmed.
#include "console/html.hpp"
#include "console/page.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

struct result {
    unsigned status = 200;
    std::string create_error;  ///< beside the name
    std::string list_error;    ///< beside the catalogue (a delete refused)
    std::string name{};
    std::string description{};
};

std::string roles_path(std::string_view tenant) { return "/tenants/" + encode(tenant) + "/roles"; }

/// The question a role's deletion asks, with its impact: how many users hold it.
std::string deletion_question(std::string_view role, long long holders) {
    return "Delete role " + std::string(role) + "? " +
           (holders > 0 ? counted(holders, "user") + " hold it and will lose it."
                        : std::string("No user holds it."));
}

http::response show(const page_call& c, const result& r) {
    const std::string tenant(c.param("tenant"));
    auto a = c.api.get(roles_path(tenant));
    if (!a.ok()) return failure_page(c, a, tenant);
    std::string body = error_note("list-error", r.list_error);
    body += table_start("roles", {{"Role"}, {"Description"}, {"Kind"}, {"Users", true}, {"Actions"}});
    for (const auto& role : a.body.value("roles", json::array())) {
        const std::string name = role.value("name", "");
        const bool builtin = role.value("builtin", false);
        const auto users = role.value("users", 0);
        body +=
            "<tr><th scope=\"row\">" + escape(name) + "</th><td>" + escape(role.value("description", "")) +
            "</td><td>" + (builtin ? "built-in" : "custom") + "</td><td class=\"num\">" +
            link(c.tenant_url(tenant, "/users?role=" + encode(name)), std::to_string(users)) + "</td><td>";
        if (!builtin) {
            body += form_start(c, c.tenant_url(tenant, "/roles/" + encode(name) + "/delete"),
                               deletion_question(name, users), "inline") +
                    "<button type=\"submit\" class=\"danger\" aria-label=\"Delete role " + escape(name) +
                    "\">Delete</button></form>";
        }
        body += "</td></tr>";
    }
    body += "</tbody></table>";
    body += "<h2>Create a role</h2>" + form_start(c, c.tenant_url(tenant, "/roles"), {}, "stacked");
    body +=
        "<label for=\"name\">Name <span class=\"muted\">(lower case, like auditor)</span></label><input "
        "type=\"text\" id=\"name\" name=\"name\" required value=\"" +
        escape(r.name) + "\"" +
        (r.create_error.empty() ? "" : " aria-invalid=\"true\" aria-describedby=\"create-error\"") + ">" +
        error_note("create-error", r.create_error);
    body +=
        "<label for=\"description\">Description</label><input type=\"text\" id=\"description\" "
        "name=\"description\" value=\"" +
        escape(r.description) + "\">";
    body += "<button type=\"submit\" class=\"primary\" id=\"create-role\">Create</button></form>";
    return render(c, {"Roles of " + tenant, std::move(body), r.status, tenant});
}

http::response show_page(const page_call& c) { return show(c, {}); }

http::response create(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    result r;
    r.name = c.field("name");
    r.description = c.field("description");
    auto a = c.api.send("POST", roles_path(tenant), {{"name", r.name}, {"description", r.description}});
    if (a.ok())
        return redirect_with_notice(c, c.tenant_url(tenant, "/roles"), "Role " + r.name + " created.");
    if (a.code() == "unknown_tenant") return failure_page(c, a, tenant);
    r.status = a.status;
    r.create_error = a.detail();
    return show(c, r);
}

http::response remove(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    const std::string role(c.param("role"));
    if (!confirmed(c)) {
        // Without the script: the impact as the catalogue counts it now.
        std::string question = "Delete role " + role + "? Whoever holds it loses it.";
        auto catalogue = c.api.get(roles_path(tenant));
        if (catalogue.ok())
            for (const auto& r : catalogue.body.value("roles", json::array()))
                if (r.value("name", "") == role) question = deletion_question(role, r.value("users", 0));
        return confirmation(c, question, "Delete", c.tenant_url(tenant, "/roles"), tenant);
    }
    // Confirmed with the impact in view: the holders lose it (force), as the question said.
    auto a = c.api.send("DELETE", roles_path(tenant) + "/" + encode(role) + "?force=true");
    if (a.ok()) {
        const auto& from = a.body.value("removedFrom", json::object());
        return redirect_with_notice(c, c.tenant_url(tenant, "/roles"),
                                    "Role " + role + " deleted; removed from " +
                                        counted(from.value("users", 0), "user") + " and " +
                                        counted(from.value("openInvitations", 0), "open invitation") + ".");
    }
    if (a.code() == "unknown_tenant") return failure_page(c, a, tenant);
    result r;
    r.status = a.status;
    r.list_error = a.detail();
    return show(c, r);
}

}  // namespace

void add_role_pages(page_table& t) {
    t.get("/tenants/{tenant}/roles", show_page);
    t.post("/tenants/{tenant}/roles", create);
    t.post("/tenants/{tenant}/roles/{role}/delete", remove);
}

}  // namespace dirsync::console
