// The users table: a status filter like Qlik's dropdown, search by name, e-mail, user id or IdP subject, and
// pages of 50 in list order for tenants of any size.
#include "console/html.hpp"
#include "console/page.hpp"
#include "console/status.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

constexpr int page_size = 50;

/// What the filter form asked for, as the URL carries it.
struct filter {
    std::string status;
    std::string q;
    std::string by;  ///< name (default), id, subject
    bool anywhere = false;
    std::string cursor;

    explicit filter(const page_call& c)
        : status(c.arg("status")),
          q(c.arg("q")),
          by(c.arg("by")),
          anywhere(c.arg("match") == "substring"),
          cursor(c.arg("cursor")) {
        if (by != "id" && by != "subject") by = "name";
    }

    /// The console URL's query for these filters (without the cursor), starting with '?'.
    std::string query() const {
        std::string out = "?status=" + encode(status) + "&q=" + encode(q) + "&by=" + by;
        if (anywhere) out += "&match=substring";
        return out;
    }

    /// The admin API's query for this page.
    std::string api_query() const {
        std::string out = "?limit=" + std::to_string(page_size);
        if (!status.empty()) out += "&status=" + encode(status);
        if (!q.empty()) {
            if (by == "id")
                out += "&id=" + encode(q);
            else if (by == "subject")
                out += "&subject=" + encode(q);
            else
                out += "&search=" + encode(q) + (anywhere ? "&match=substring" : "");
        }
        if (!cursor.empty()) out += "&cursor=" + encode(cursor);
        return out;
    }
};

std::string option(std::string_view value, std::string_view label, std::string_view selected) {
    return "<option value=\"" + escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
           escape(label) + "</option>";
}

std::string filter_form(const page_call& c, std::string_view tenant, const filter& f,
                        std::string_view error) {
    std::string out = "<form method=\"get\" action=\"" + escape(c.tenant_url(tenant, "/users")) +
                      "\" class=\"bar\" role=\"search\" aria-label=\"Filter users\">";
    out += "<div><label for=\"status\">Status</label><select id=\"status\" name=\"status\" data-autosubmit>";
    out += option("", "Any status", f.status);
    for (auto s : shown_statuses()) out += option(s, status_label(s), f.status);
    out += "</select></div>";
    out += "<div><label for=\"q\">Search</label><input type=\"search\" id=\"q\" name=\"q\" value=\"" +
           escape(f.q) + "\"" +
           (error.empty() ? "" : " aria-invalid=\"true\" aria-describedby=\"filter-error\"") + "></div>";
    out += "<div><label for=\"by\">By</label><select id=\"by\" name=\"by\">" +
           option("name", "Name or e-mail", f.by) + option("id", "User id", f.by) +
           option("subject", "IdP subject", f.by) + "</select></div>";
    out += "<div class=\"check\"><input type=\"checkbox\" id=\"match\" name=\"match\" value=\"substring\"" +
           std::string(f.anywhere ? " checked" : "") +
           "> <label for=\"match\">anywhere in the name (slower)</label></div>";
    out += "<button type=\"submit\" id=\"filter\">Filter</button></form>";
    return out + error_note("filter-error", error);
}

/// The first of the user's addresses: the API lists them in order, the primary first.
std::string primary_email(const json& u) {
    for (const auto& e : u.value("emails", json::array()))
        if (e.is_string()) return e.get<std::string>();
    return {};
}

std::string joined(const json& list) {
    std::string out;
    for (const auto& v : list)
        if (v.is_string()) out += (out.empty() ? "" : ", ") + v.get<std::string>();
    return out;
}

http::response users(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    const filter f(c);
    auto a = c.api.get("/tenants/" + encode(tenant) + "/users" + f.api_query());
    if (!a.ok() && a.status != 400) return failure_page(c, a, tenant);
    std::string body = filter_form(c, tenant, f, a.ok() ? std::string() : a.detail());
    const json& users = a.ok() ? at(a.body, "users") : json::array();
    if (a.ok() && users.empty())
        body += "<p id=\"no-users\">No user matches.</p>";
    else if (a.ok()) {
        body += table_start("users",
                            {{"User name"}, {"Display name"}, {"E-mail"}, {"Status"}, {"Roles"}, {"Source"}});
        for (const auto& u : users) {
            const std::string id = u.value("id", "");
            body += "<tr><th scope=\"row\">" +
                    link(c.tenant_url(tenant, "/users/" + encode(id)), u.value("userName", id)) +
                    "</th><td>" + escape(text_of(at(u, "displayName"))) + "</td><td>" +
                    escape(primary_email(u)) + "</td><td>" + status_badge(u.value("status", "")) +
                    "</td><td>" + escape(joined(at(u, "roles"))) + "</td><td>" +
                    escape(u.value("source", "")) + "</td></tr>";
        }
        body += "</tbody></table>";
    }
    body += "<nav class=\"pager\" aria-label=\"Pages\">";
    if (!f.cursor.empty()) body += link(c.tenant_url(tenant, "/users" + f.query()), "First page");
    if (a.ok() && at(a.body, "next").is_string())
        body += "<a id=\"next-page\" rel=\"next\" href=\"" +
                escape(c.tenant_url(tenant, "/users" + f.query() +
                                                "&cursor=" + encode(at(a.body, "next").get<std::string>()))) +
                "\">Next page</a>";
    body += "</nav>";
    return render(c, {"Users of " + tenant, std::move(body), a.ok() ? 200u : a.status, tenant});
}

}  // namespace

void add_user_pages(page_table& t) {
    t.get("/tenants/{tenant}/users", users);
    add_user_detail_pages(t);
}

}  // namespace dirsync::console
