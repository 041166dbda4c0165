// The audit log with filters (user, actor, action, time range) and pages, newest first.
#include "console/html.hpp"
#include "console/page.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

constexpr const char* filters[][2] = {{"user", "User or resource id"},
                                      {"actor", "Actor"},
                                      {"action", "Action (user.update, or user.)"},
                                      {"since", "Since (RFC 3339)"},
                                      {"until", "Until (RFC 3339)"}};

http::response show(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    std::string query, target = "/tenants/" + encode(tenant) + "/audit?limit=50";
    for (const auto& f : filters) {
        const std::string v = c.arg(f[0]);
        if (v.empty()) continue;
        query += "&" + std::string(f[0]) + "=" + encode(v);
        target += "&" + std::string(f[0]) + "=" + encode(v);
    }
    if (!c.arg("cursor").empty()) target += "&cursor=" + encode(c.arg("cursor"));
    auto a = c.api.get(target);
    if (!a.ok() && a.status != 400) return failure_page(c, a, tenant);
    std::string body =
        "<form method=\"get\" class=\"bar\" role=\"search\" aria-label=\"Filter the audit log\" "
        "action=\"" +
        escape(c.tenant_url(tenant, "/audit")) + "\">";
    for (const auto& f : filters)
        body += "<div><label for=\"" + std::string(f[0]) + "\">" + f[1] +
                "</label><input type=\"text\" id=\"" + f[0] + "\" name=\"" + f[0] + "\" value=\"" +
                escape(c.arg(f[0])) + "\"" + (a.ok() ? "" : " aria-describedby=\"filter-error\"") + "></div>";
    body += "<button type=\"submit\" id=\"filter\">Filter</button></form>";
    body += error_note("filter-error", a.ok() ? std::string() : a.detail());
    if (a.ok()) {
        body += audit_table(at(a.body, "events"), "audit");
        body += "<nav class=\"pager\" aria-label=\"Pages\">";
        if (!c.arg("cursor").empty())
            body += link(c.tenant_url(tenant, "/audit?" + query.substr(query.empty() ? 0 : 1)), "Newest");
        if (at(a.body, "next").is_string())
            body += "<a id=\"next-page\" href=\"" +
                    escape(c.tenant_url(
                        tenant, "/audit?cursor=" + encode(at(a.body, "next").get<std::string>()) + query)) +
                    "\">Older events</a>";
        body += "</nav>";
    }
    return render(c, {"Audit log of " + tenant, std::move(body), a.ok() ? 200u : a.status, tenant});
}

std::string summary_text(const json& summary) {
    if (summary.is_null() || (summary.is_object() && summary.empty())) return {};
    std::string out;
    if (summary.is_object()) {
        for (const auto& [k, v] : summary.items()) out += (out.empty() ? "" : "; ") + k + ": " + text_of(v);
        return out;
    }
    return text_of(summary);
}

}  // namespace

std::string audit_table(const json& events, std::string_view id) {
    if (!events.is_array() || events.empty())
        return "<p class=\"muted\" id=\"" + escape(id) + "-none\">No event.</p>";
    std::string out =
        table_start(id, {{"Time"}, {"Action"}, {"Actor"}, {"Acting user"}, {"Resource"}, {"Details"}});
    for (const auto& e : events)
        out += "<tr><td>" + escape(when(at(e, "time"))) + "</td><td>" + escape(e.value("action", "")) +
               "</td><td>" + escape(e.value("actor", "")) + "</td><td>" +
               escape(text_of(at(e, "actingUser"))) + "</td><td>" + escape(e.value("resourceType", "")) +
               " <code>" + escape(e.value("resourceId", "")) + "</code></td><td>" +
               escape(summary_text(at(e, "summary"))) + "</td></tr>";
    return out + "</tbody></table>";
}

void add_audit_pages(page_table& t) { t.get("/tenants/{tenant}/audit", show); }

}  // namespace dirsync::console
