// The tenant's notifications (the outbox): failed messages first with Retry, then the others, no bodies.
#include "console/html.hpp"
#include "console/page.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

std::string notifications_path(std::string_view tenant) {
    return "/tenants/" + encode(tenant) + "/notifications";
}

http::response show(const page_call& c, unsigned status = 200, std::string error = {}) {
    const std::string tenant(c.param("tenant"));
    std::string state = c.arg("state");
    if (state.empty()) state = "failed";
    std::string target = notifications_path(tenant) + "?limit=50";
    if (state != "all") target += "&state=" + encode(state);
    if (!c.arg("before").empty()) target += "&before=" + encode(c.arg("before"));
    auto a = c.api.get(target);
    if (!a.ok() && a.status != 400) return failure_page(c, a, tenant);
    std::string body =
        "<form method=\"get\" class=\"bar\" action=\"" + escape(c.tenant_url(tenant, "/notifications")) +
        "\"><div><label for=\"state\">State</label><select id=\"state\" name=\"state\" data-autosubmit>";
    for (const char* s : {"failed", "pending", "delivered", "all"})
        body += "<option value=\"" + std::string(s) + "\"" + (state == s ? " selected" : "") + ">" + s +
                "</option>";
    body += "</select></div><button type=\"submit\">Show</button></form>";
    body += error_note("list-error", a.ok() ? error : a.detail());
    const json& list = a.ok() ? at(a.body, "notifications") : json::array();
    if (list.empty()) {
        body += "<p id=\"no-notifications\">No " + (state == "all" ? std::string() : state + " ") +
                "message.</p>";
    } else {
        body += table_start("notifications", {{"Created"},
                                              {"Event"},
                                              {"Channel"},
                                              {"Recipient"},
                                              {"State"},
                                              {"Attempts", true},
                                              {"Last error"},
                                              {"Actions"}});
        for (const auto& m : list) {
            const std::string st = m.value("state", "");
            const auto id = std::to_string(m.value("id", 0));
            body += "<tr><td>" + escape(when(at(m, "created"))) + "</td><td>" + escape(m.value("event", "")) +
                    "</td><td>" + escape(m.value("channel", "")) + "</td><td>" +
                    escape(m.value("recipient", "-")) + "</td><td class=\"state-" + escape(st) + "\">" +
                    escape(st) + "</td><td class=\"num\">" + std::to_string(m.value("attempts", 0)) +
                    "</td><td>" + escape(m.value("lastError", "")) + "</td><td>";
            if (st == "failed")
                body += form_start(c, c.tenant_url(tenant, "/notifications/" + id + "/retry"), {}, "inline") +
                        "<button type=\"submit\" id=\"retry-" + id + "\">Retry</button></form>";
            body += "</td></tr>";
        }
        body += "</tbody></table>";
        if (a.body.contains("next"))
            body += "<nav class=\"pager\" aria-label=\"Pages\"><a id=\"next-page\" href=\"" +
                    escape(c.tenant_url(tenant, "/notifications?state=" + encode(state) +
                                                    "&before=" + encode(text_of(at(a.body, "next"))))) +
                    "\">Older messages</a></nav>";
    }
    return render(c, {"Notifications of " + tenant, std::move(body), a.ok() ? status : a.status, tenant});
}

http::response show_page(const page_call& c) { return show(c); }

http::response retry(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    auto a = c.api.send("POST", notifications_path(tenant) + "/" + encode(c.param("message")) + "/retry");
    if (a.ok())
        return redirect_with_notice(c, c.tenant_url(tenant, "/notifications"),
                                    "Message #" + std::string(c.param("message")) + " queued again.");
    if (a.code() == "unknown_tenant") return failure_page(c, a, tenant);
    return show(c, a.status, a.detail());
}

}  // namespace

void add_notification_pages(page_table& t) {
    t.get("/tenants/{tenant}/notifications", show_page);
    t.post("/tenants/{tenant}/notifications/{message}/retry", retry);
}

}  // namespace dirsync::console
