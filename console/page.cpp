#include "console/page.hpp"

#include <utility>

#include "console/html.hpp"

namespace dirsync::console {

std::string page_call::field(std::string_view name) const {
    auto v = form.get(name);
    return v ? std::string(*v) : std::string();
}

std::string page_call::arg(std::string_view name) const {
    auto v = query.get(name);
    return v ? std::string(*v) : std::string();
}

std::string page_call::url(std::string_view rest) const { return std::string(base) + std::string(rest); }

std::string page_call::tenant_url(std::string_view tenant, std::string_view rest) const {
    return std::string(base) + "/tenants/" + encode(tenant) + std::string(rest);
}

http::response html_response(unsigned status, std::string html) {
    http::response res;
    res.status = status;
    res.content_type = "text/html; charset=utf-8";
    res.body = std::move(html);
    res.headers.push_back(
        {"Content-Security-Policy",
         "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"});
    res.headers.push_back({"X-Frame-Options", "DENY"});
    res.headers.push_back({"X-Content-Type-Options", "nosniff"});
    res.headers.push_back({"Referrer-Policy", "no-referrer"});
    res.headers.push_back({"Cache-Control", "no-store"});
    return res;
}

std::string document(std::string_view base, std::string_view title, std::string_view body) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    out += "<title>" + escape(title) + " - dirsyncd</title>";
    out += "<link rel=\"stylesheet\" href=\"" + escape(base) + "/static/console.css\">";
    out += "<script src=\"" + escape(base) + "/static/console.js\" defer></script>";
    out += "</head><body>";
    out += body;
    out += "</body></html>\n";
    return out;
}

namespace {

std::string who_is_signed_in(const session& s) {
    std::string out;
    if (s.who.is(http::principal::role::operator_admin))
        out = "Operator";
    else
        out = "Administrator of " + escape(s.who.tenant);
    if (!s.acting_label.empty()) out += " &middot; acting as " + escape(s.acting_label);
    out += " <span class=\"muted\">(token " + escape(s.who.token_id) + ")</span>";
    return out;
}

std::string tenant_nav(const page_call& c, std::string_view tenant) {
    static constexpr std::pair<const char*, const char*> items[] = {
        {"", "Overview"},       {"/users", "Users"}, {"/invitations", "Invitations"},
        {"/roles", "Roles"},    {"/sync", "Sync"},   {"/notifications", "Notifications"},
        {"/audit", "Audit log"}};
    std::string out = "<nav class=\"tenant\" aria-label=\"Tenant\"><ul>";
    const auto here = c.call.path;
    for (const auto& [rest, label] : items) {
        const std::string href = c.tenant_url(tenant, rest);
        const bool current = here == href || (*rest && here.starts_with(href + "/"));
        out += "<li><a href=\"" + escape(href) + "\"" + (current ? " aria-current=\"page\"" : "") + ">" +
               label + "</a></li>";
    }
    return out + "</ul></nav>";
}

}  // namespace

http::response render(const page_call& c, page p) {
    std::string body = "<a class=\"skip\" href=\"#main\">Skip to content</a>";
    body += "<header><a class=\"brand\" href=\"" + escape(c.url("/tenants")) + "\">dirsyncd console</a>";
    body += "<nav aria-label=\"Console\"><ul><li>" + link(c.url("/tenants"), "Tenants") + "</li><li>" +
            link(c.url("/sync"), "Sync sources") + "</li></ul></nav>";
    body += "<div class=\"who\">" + who_is_signed_in(c.s) + " ";
    body += form_start(c, c.url("/sign-out"), {}, "inline") +
            "<button type=\"submit\" id=\"sign-out\">Sign out</button></form></div></header>";
    if (!p.tenant.empty()) body += tenant_nav(c, p.tenant);
    body += "<main id=\"main\">";
    const std::string notice = c.sessions.take_flash(c.session_id);
    if (!notice.empty())
        body += "<p class=\"notice\" role=\"status\" id=\"notice\">" + escape(notice) + "</p>";
    body += "<h1>" + escape(p.title) + "</h1>" + p.body + "</main>";
    return html_response(p.status, document(c.base, p.title, body));
}

http::response redirect(std::string_view location) {
    auto res = html_response(303, {});
    res.content_type.clear();
    res.headers.push_back({"Location", std::string(location)});
    return res;
}

http::response redirect_with_notice(const page_call& c, std::string_view location, std::string notice) {
    c.sessions.set_flash(c.session_id, std::move(notice));
    return redirect(location);
}

std::string form_start(const page_call& c, std::string_view action, std::string_view confirm,
                       std::string_view css_class) {
    std::string out = "<form method=\"post\" action=\"" + escape(action) + "\"";
    if (!confirm.empty()) out += " data-confirm=\"" + escape(confirm) + "\"";
    if (!css_class.empty()) out += " class=\"" + escape(css_class) + "\"";
    out += "><input type=\"hidden\" name=\"csrf\" value=\"" + escape(c.s.csrf) + "\">";
    return out;
}

bool confirmed(const page_call& c) { return c.field("confirm") == "yes"; }

http::response confirmation(const page_call& c, std::string_view question, std::string_view button,
                            std::string_view back, std::string_view tenant) {
    std::string body = "<p class=\"question\">" + escape(question) + "</p>";
    body += form_start(c, c.call.path);
    for (const auto& [name, value] : c.form.items())
        if (name != "csrf" && name != "confirm")
            body += "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
    body += "<input type=\"hidden\" name=\"confirm\" value=\"yes\">";
    body += "<button type=\"submit\" class=\"danger\" id=\"confirm\">" + escape(button) + "</button> ";
    body += link(back, "Cancel") + "</form>";
    return render(c, {"Please confirm", std::move(body), 200, std::string(tenant)});
}

std::string error_note(std::string_view id, std::string_view message) {
    if (message.empty()) return {};
    return "<p class=\"error\" id=\"" + escape(id) + "\" role=\"alert\">" + escape(message) + "</p>";
}

http::response failure_page(const page_call& c, const api_answer& a, std::string_view tenant) {
    std::string body = error_note("failure", a.detail());
    if (!a.code().empty()) body += "<p class=\"muted\">Code: <code>" + escape(a.code()) + "</code></p>";
    body += "<p>" + link(c.url("/tenants"), "Back to the tenants") + "</p>";
    const unsigned status = a.status >= 400 && a.status < 600 ? a.status : 502;
    return render(c,
                  {a.status == 404 ? "Not found" : "Refused", std::move(body), status, std::string(tenant)});
}

const nlohmann::json& at(const nlohmann::json& object, const char* key) {
    static const nlohmann::json null;
    if (!object.is_object()) return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

std::string when(const nlohmann::json& v) {
    if (!v.is_string()) return "-";
    std::string s = v.get<std::string>();
    // 2026-12-05T10:50:57.123Z -> 2026-12-05 10:50 UTC
    if (s.size() >= 16 && s[10] == 'T') return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
    return s;
}

std::string text_of(const nlohmann::json& v) {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dirsync::console
