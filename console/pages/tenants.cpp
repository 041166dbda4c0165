// The tenants overview (seats, users by status) and one tenant's front page.
#include "console/html.hpp"
#include "console/page.hpp"
#include "console/status.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

std::int64_t number(const json& v) { return v.is_number_integer() ? v.get<std::int64_t>() : 0; }

std::string seats_text(const json& seats, const char* member) {
    const auto it = seats.find(member);
    return it == seats.end() || it->is_null() ? std::string("-") : std::to_string(number(*it));
}

http::response overview(const page_call& c) {
    auto a = c.api.get("/tenants");
    if (!a.ok()) return failure_page(c, a);
    const auto& tenants = at(a.body, "tenants");
    std::string body = "<p>" + counted(static_cast<long long>(tenants.size()), "tenant") + "</p>";
    body +=
        "<table id=\"tenants\"><caption class=\"muted\">Seats and users by status</caption><thead><tr>"
        "<th scope=\"col\">Tenant</th><th scope=\"col\">Name</th><th scope=\"col\" class=\"num\">Seats</th>"
        "<th scope=\"col\" class=\"num\">Used</th><th scope=\"col\" class=\"num\">Free</th>";
    for (auto status : shown_statuses())
        body += "<th scope=\"col\" class=\"num\">" + escape(status_label(status)) + "</th>";
    body += "<th scope=\"col\" class=\"num\">All</th></tr></thead><tbody>";
    for (const auto& t : tenants) {
        const std::string id = t.value("id", "");
        const auto& users = at(t, "users");
        body += "<tr><th scope=\"row\">" + link(c.tenant_url(id), id) + "</th><td>" +
                escape(t.value("name", "")) + "</td><td class=\"num\">" +
                (at(at(t, "seats"), "limit").is_null() ? std::string("unlimited")
                                                       : seats_text(at(t, "seats"), "limit")) +
                "</td><td class=\"num\">" + seats_text(at(t, "seats"), "used") + "</td><td class=\"num\">" +
                seats_text(at(t, "seats"), "free") + "</td>";
        for (auto status : shown_statuses())
            body += "<td class=\"num\">" + std::to_string(number(users.value(std::string(status), json(0)))) +
                    "</td>";
        body += "<td class=\"num\">" + std::to_string(number(users.value("total", json(0)))) + "</td></tr>";
    }
    body += "</tbody></table>";
    return render(c, {"Tenants", std::move(body)});
}

http::response front(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    auto a = c.api.get("/tenants/" + encode(tenant));
    if (!a.ok()) return failure_page(c, a);
    const auto& t = a.body;
    const auto& seats = at(t, "seats");
    const auto& users = at(t, "users");
    std::string body = "<div class=\"cards\" id=\"seats\">";
    const auto card = [](std::string_view label, const std::string& figure, std::string_view id) {
        return "<div class=\"card\" id=\"" + std::string(id) + "\"><span class=\"figure\">" + escape(figure) +
               "</span><span class=\"label\">" + escape(label) + "</span></div>";
    };
    body +=
        card("seats", at(seats, "limit").is_null() ? "unlimited" : seats_text(seats, "limit"), "seats-total");
    body += card("seats used", seats_text(seats, "used"), "seats-used");
    body += card("seats free", at(seats, "free").is_null() ? "-" : seats_text(seats, "free"), "seats-free");
    body += "</div><h2>Users by status</h2>" + table_start("by-status", {{"Status"}, {"Users", true}});
    for (auto status : shown_statuses())
        body += "<tr><th scope=\"row\">" +
                link(c.tenant_url(tenant, "/users?status=" + std::string(status)), status_label(status)) +
                "</th><td class=\"num\">" +
                std::to_string(number(users.value(std::string(status), json(0)))) + "</td></tr>";
    body += "<tr><th scope=\"row\">" + link(c.tenant_url(tenant, "/users"), "All") +
            "</th><td class=\"num\">" + std::to_string(number(users.value("total", json(0)))) +
            "</td></tr></tbody></table>";
    return render(c, {t.value("name", tenant) + " (" + tenant + ")", std::move(body), 200, tenant});
}

}  // namespace

void add_tenant_pages(page_table& t) {
    t.get("/tenants", overview);
    t.get("/tenants/{tenant}", front);
}

}  // namespace dirsync::console
