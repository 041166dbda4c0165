// Invitations: invite several addresses at once with roles (each address's outcome shown), the pending and
// expired invitations with their expiry (expired ones marked), resend, and revoke (confirmed).
#include <algorithm>
#include <utility>
#include <vector>

#include "console/html.hpp"
#include "console/page.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

/// What a post leaves on the page: the outcome of each invited address, refusals beside their form.
struct result {
    unsigned status = 200;
    json outcomes = nullptr;   ///< the API's `results` of an invite
    std::string invite_error;  ///< beside the addresses
    std::string list_error;    ///< beside the lists (resend, revoke)
    std::string emails;        ///< what was typed, kept when refused
    std::vector<std::string> roles{};
};

std::string invitations_path(std::string_view tenant) {
    return "/tenants/" + encode(tenant) + "/invitations";
}

/// The addresses in `text`, separated by white space, commas or semicolons.
std::vector<std::string> addresses_in(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (char ch : text) {
        if (ch == ',' || ch == ';' || ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
            if (!current.empty()) out.push_back(std::exchange(current, {}));
        } else {
            current.push_back(ch);
        }
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

std::string invitation_rows(const page_call& c, std::string_view tenant, const json& list, bool expired) {
    std::string out;
    for (const auto& i : list) {
        const std::string id = i.value("id", "");
        const std::string email = i.value("email", "");
        const std::string base = c.tenant_url(tenant, "/invitations/" + encode(id));
        std::string roles;
        for (const auto& r : i.value("roles", json::array()))
            if (r.is_string()) roles += (roles.empty() ? "" : ", ") + r.get<std::string>();
        out += "<tr" + std::string(expired ? " class=\"expired\"" : "") + "><th scope=\"row\">" +
               escape(email) + "</th><td>" + escape(roles) + "</td><td>" + escape(when(at(i, "sent"))) +
               "</td><td>" + escape(when(at(i, "expires"))) + (expired ? " <strong>(expired)</strong>" : "") +
               "</td><td class=\"num\">" + std::to_string(i.value("sends", 0)) + "</td><td>" +
               escape(i.value("invitedBy", "")) + "</td><td>";
        out += form_start(c, base + "/resend", {}, "inline") +
               "<button type=\"submit\" aria-label=\"Resend to " + escape(email) +
               "\">Resend</button></form> ";
        out += form_start(c, base + "/revoke", "Revoke the invitation to " + email + "?", "inline") +
               "<button type=\"submit\" class=\"danger\" aria-label=\"Revoke the invitation to " +
               escape(email) + "\">Revoke</button></form>";
        out += "</td></tr>";
    }
    return out;
}

constexpr std::size_t list_size = 50;
constexpr const char* listed_states[] = {"pending", "expired"};

/// The invitations of `state`, a page of them from the cursor the page's URL carries for it
/// (`<state>_after`).
api_answer invitation_list(const page_call& c, std::string_view tenant, std::string_view state) {
    std::string target =
        invitations_path(tenant) + "?state=" + std::string(state) + "&limit=" + std::to_string(list_size);
    if (const auto after = c.arg(std::string(state) + "_after"); !after.empty())
        target += "&after=" + encode(after);
    return c.api.get(target);
}

/// The invitations page with `state`'s list at `cursor` (empty: its first page), the other list kept where it
/// is.
std::string list_url(const page_call& c, std::string_view tenant, std::string_view state,
                     std::string_view cursor) {
    std::string query;
    for (const char* s : listed_states) {
        const std::string value = s == state ? std::string(cursor) : c.arg(std::string(s) + "_after");
        if (!value.empty()) query += (query.empty() ? "?" : "&") + std::string(s) + "_after=" + encode(value);
    }
    return c.tenant_url(tenant, "/invitations" + query);
}

/// One state's list with its pager; `id` is the state.
std::string invitation_table(const page_call& c, std::string_view tenant, const api_answer& a, bool expired,
                             std::string_view id) {
    if (!a.ok()) return error_note(std::string(id) + "-error", a.detail());
    const auto& list = at(a.body, "invitations");
    if (list.empty()) return "<p class=\"muted\" id=\"" + escape(id) + "-none\">None.</p>";
    std::string out =
        table_start(
            id,
            {{"E-mail"}, {"Roles"}, {"Sent"}, {"Expires"}, {"Sends", true}, {"Invited by"}, {"Actions"}}) +
        invitation_rows(c, tenant, list, expired) + "</tbody></table>";
    const bool paged = !c.arg(std::string(id) + "_after").empty();
    const auto& next = at(a.body, "next");
    if (paged || next.is_string()) {
        out += "<nav class=\"pager\" aria-label=\"Pages of " + escape(id) + " invitations\">";
        if (paged) out += link(list_url(c, tenant, id, {}), "First page");
        if (next.is_string())
            out += "<a id=\"" + escape(id) + "-next\" href=\"" +
                   escape(list_url(c, tenant, id, next.get<std::string>())) + "\">Next page</a>";
        out += "</nav>";
    }
    return out;
}

http::response show(const page_call& c, const result& r) {
    const std::string tenant(c.param("tenant"));
    auto pending = invitation_list(c, tenant, "pending");
    if (!pending.ok() && pending.status == 404) return failure_page(c, pending, tenant);
    auto expired = invitation_list(c, tenant, "expired");
    auto catalogue = c.api.get("/tenants/" + encode(tenant) + "/roles");

    std::string body;
    if (r.outcomes.is_array()) {
        body += "<h2>Outcome</h2><ul class=\"outcomes\" id=\"outcomes\">";
        for (const auto& o : r.outcomes) {
            const bool invited = o.value("outcome", "") == "invited";
            body +=
                "<li class=\"" + std::string(invited ? "invited" : "refused") + "\"><strong>" +
                escape(o.value("address", "")) + "</strong>: " +
                (invited ? std::string("invited") : escape(o.value("detail", o.value("code", "refused")))) +
                "</li>";
        }
        body += "</ul>";
    }
    body += "<h2>Invite people</h2>" + form_start(c, c.tenant_url(tenant, "/invitations"), {}, "stacked");
    body +=
        "<label for=\"emails\">E-mail addresses <span class=\"muted\">(one per line, or separated by commas)"
        "</span></label><textarea id=\"emails\" name=\"emails\" required" +
        std::string(r.invite_error.empty() ? ""
                                           : " aria-invalid=\"true\" aria-describedby=\"invite-error\"") +
        ">" + escape(r.emails) + "</textarea>" + error_note("invite-error", r.invite_error);
    body += "<fieldset><legend>Roles</legend>";
    if (catalogue.ok())
        for (const auto& role : catalogue.body.value("roles", json::array())) {
            const std::string name = role.value("name", "");
            const bool checked = std::find(r.roles.begin(), r.roles.end(), name) != r.roles.end();
            body += "<div class=\"check\"><input type=\"checkbox\" name=\"roles\" id=\"role-" + escape(name) +
                    "\" value=\"" + escape(name) + "\"" + (checked ? " checked" : "") +
                    "> <label for=\"role-" + escape(name) + "\">" + escape(name) + "</label></div>";
        }
    body += "</fieldset><button type=\"submit\" class=\"primary\" id=\"invite\">Invite</button></form>";
    body += error_note("list-error", r.list_error);
    body += "<h2>Pending</h2>" + invitation_table(c, tenant, pending, false, "pending");
    body += "<h2>Expired</h2>" + invitation_table(c, tenant, expired, true, "expired");
    return render(c, {"Invitations of " + tenant, std::move(body), r.status, tenant});
}

http::response show_page(const page_call& c) { return show(c, {}); }

/// The page again with the API's refusal of a resend or revoke beside the lists.
http::response refused_in_list(const page_call& c, const api_answer& a) {
    result r;
    r.status = a.status;
    r.list_error = a.detail();
    return show(c, r);
}

http::response invite(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    result r;
    r.emails = c.field("emails");
    for (auto role : c.form.all("roles")) r.roles.emplace_back(role);
    const auto addresses = addresses_in(r.emails);
    if (addresses.empty()) {
        r.status = 400;
        r.invite_error = "Enter at least one e-mail address.";
        return show(c, r);
    }
    auto a = c.api.send("POST", invitations_path(tenant), {{"emails", addresses}, {"roles", r.roles}});
    if (a.status == 404 && a.code() == "unknown_tenant") return failure_page(c, a, tenant);
    r.status = a.status;
    if (a.body.is_object() && a.body.contains("results")) {
        r.outcomes = at(a.body, "results");
        // Keep only the refused addresses in the box, to mend and send again.
        std::string refused;
        for (const auto& o : r.outcomes)
            if (o.value("outcome", "") != "invited") refused += o.value("address", "") + "\n";
        r.emails = refused;
        if (a.status == 429) r.invite_error = a.detail();
        if (a.ok()) r.status = 200;
    } else {
        r.invite_error = a.detail();
    }
    return show(c, r);
}

http::response resend(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    auto a = c.api.send("POST", invitations_path(tenant) + "/" + encode(c.param("invitation")) + "/resend");
    if (a.ok()) {
        const auto& i = a.body.value("invitation", json::object());
        return redirect_with_notice(c, c.tenant_url(tenant, "/invitations"),
                                    "Invitation to " + i.value("email", a.body.value("address", "")) +
                                        " sent again; it expires " + when(i.value("expires", json())) + ".");
    }
    return refused_in_list(c, a);
}

http::response revoke(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    if (!confirmed(c))
        return confirmation(c, "Revoke this invitation? Its code stops working.", "Revoke",
                            c.tenant_url(tenant, "/invitations"), tenant);
    auto a = c.api.send("DELETE", invitations_path(tenant) + "/" + encode(c.param("invitation")));
    if (a.ok())
        return redirect_with_notice(c, c.tenant_url(tenant, "/invitations"),
                                    "Invitation to " + a.body.value("email", "") + " revoked.");
    return refused_in_list(c, a);
}

}  // namespace

void add_invitation_pages(page_table& t) {
    t.get("/tenants/{tenant}/invitations", show_page);
    t.post("/tenants/{tenant}/invitations", invite);
    t.post("/tenants/{tenant}/invitations/{invitation}/resend", resend);
    t.post("/tenants/{tenant}/invitations/{invitation}/revoke", revoke);
}

}  // namespace dirsync::console
