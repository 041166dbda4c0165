#include "console/console.hpp"

#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "common/sha256.hpp"
#include "common/uuid.hpp"
#include "console/assets.hpp"
#include "console/html.hpp"
#include "console/page.hpp"
#include "console/session_store.hpp"

namespace dirsync::console {

namespace {

constexpr std::string_view session_cookie = "dirsyncd_console";
/// Set by the sign-in page and echoed by its form: a sign-in posted from another site carries neither.
constexpr std::string_view sign_in_cookie = "dirsyncd_console_signin";

/// The value of cookie `name` in the request's Cookie header(s); empty when absent.
std::string cookie_value(const http::request& req, std::string_view name) {
    for (const auto& h : req.headers) {
        if (!common::iequals_ascii(h.name, "Cookie")) continue;
        std::string_view rest = h.value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            auto part = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            const auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name)
                return std::string(part.substr(eq + 1));
        }
    }
    return {};
}

/// Whether two secrets are equal, in time independent of where they differ.
bool same_secret(std::string_view a, std::string_view b) {
    return !a.empty() && common::digest_equal(common::sha256(a), common::sha256(b));
}

/// The form fields of a POST (application/x-www-form-urlencoded), or nullopt when it is not such a form.
std::optional<http::query_params> form_of(const http::request& req) {
    const auto type = req.header("Content-Type");
    if (!type) return http::query_params::parse("");
    const auto media = type->substr(0, type->find(';'));
    if (!common::iequals_ascii(common::trim_ascii(media), "application/x-www-form-urlencoded"))
        return std::nullopt;
    return http::query_params::parse(req.body);
}

}  // namespace

class admin_console::impl {
  public:
    explicit impl(console_options options)
        : options_(std::move(options)),
          sessions_(options_.idle_timeout, options_.absolute_timeout, options_.max_sessions, options_.clock) {
    }

    void add_routes(http::router& r);
    std::size_t session_count() const { return sessions_.size(); }

  private:
    class table;

    std::string cookie(std::string_view name, std::string_view value, bool expire = false) const;
    http::response plain_page(unsigned status, std::string_view title, std::string_view body) const;
    http::response sign_in_form(unsigned status, std::string_view notice, std::string_view token_error,
                                std::string_view acting_error, std::string_view acting_value) const;
    http::response sign_in(const http::route_call& call);
    http::response sign_out(const http::route_call& call);
    http::response home(const http::route_call& call);
    http::response serve(const http::route_call& call, bool post, const page_handler& handler);
    /// The acting user's id and label for `acting` (a user id, userName or e-mail) in `tenant`, or the
    /// refusal to show beside the field.
    std::variant<std::pair<std::string, std::string>, std::string> resolve_acting_user(
        const api_client& api, std::string_view tenant, std::string_view acting) const;

    console_options options_;
    session_store sessions_;
    const http::router* api_ = nullptr;
};

class admin_console::impl::table final : public page_table {
  public:
    table(impl& owner, http::router::mount& m) : owner_(owner), m_(m) {}
    // The routes outlive the table: they hold the console, never the table.
    void get(std::string_view pattern, page_handler handler) override {
        m_.route("GET", pattern, [&owner = owner_, h = std::move(handler)](const http::route_call& call) {
            return owner.serve(call, false, h);
        });
    }
    void post(std::string_view pattern, page_handler handler) override {
        m_.route("POST", pattern, [&owner = owner_, h = std::move(handler)](const http::route_call& call) {
            return owner.serve(call, true, h);
        });
    }

  private:
    impl& owner_;
    http::router::mount& m_;
};

std::string admin_console::impl::cookie(std::string_view name, std::string_view value, bool expire) const {
    std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + options_.path +
                      "; HttpOnly; SameSite=Strict";
    if (options_.secure_cookies) out += "; Secure";
    if (expire) out += "; Max-Age=0";
    return out;
}

http::response admin_console::impl::plain_page(unsigned status, std::string_view title,
                                               std::string_view body) const {
    std::string html =
        "<main id=\"main\" class=\"narrow\"><h1>" + escape(title) + "</h1>" + std::string(body) + "</main>";
    return html_response(status, document(options_.path, title, html));
}

http::response admin_console::impl::sign_in_form(unsigned status, std::string_view notice,
                                                 std::string_view token_error, std::string_view acting_error,
                                                 std::string_view acting_value) const {
    const std::string nonce = common::random_hex(32);
    std::string body;
    if (!notice.empty())
        body += "<p class=\"notice\" role=\"status\" id=\"notice\">" + escape(notice) + "</p>";
    body += "<form method=\"post\" action=\"" + escape(options_.path) + "/sign-in\" class=\"stacked\">";
    body += "<input type=\"hidden\" name=\"csrf\" value=\"" + nonce + "\">";
    body += "<label for=\"token\">Admin token</label>";
    body += "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" required";
    if (!token_error.empty()) body += " aria-invalid=\"true\" aria-describedby=\"token-error\"";
    body += ">" + error_note("token-error", token_error);
    body +=
        "<label for=\"acting\">Acting as <span class=\"muted\">(optional: your user id, userName or e-mail "
        "in the tenant; recorded in the audit log beside the token)</span></label>";
    body += "<input type=\"text\" id=\"acting\" name=\"acting\" autocomplete=\"username\" value=\"" +
            escape(acting_value) + "\"";
    if (!acting_error.empty()) body += " aria-invalid=\"true\" aria-describedby=\"acting-error\"";
    body += ">" + error_note("acting-error", acting_error);
    body += "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>";
    auto res = plain_page(status, "Sign in to the dirsyncd console", body);
    res.headers.push_back({"Set-Cookie", cookie(sign_in_cookie, nonce)});
    return res;
}

std::variant<std::pair<std::string, std::string>, std::string> admin_console::impl::resolve_acting_user(
    const api_client& api, std::string_view tenant, std::string_view acting) const {
    const std::string users = "/tenants/" + encode(tenant) + "/users";
    std::vector<std::pair<std::string, std::string>> found;
    auto by_id = api.get(users + "?id=" + encode(acting));
    if (by_id.ok())
        for (const auto& u : by_id.body.value("users", nlohmann::json::array()))
            found.emplace_back(u.value("id", ""), u.value("userName", ""));
    if (found.empty()) {
        auto named = api.get(users + "?search=" + encode(acting) + "&limit=50");
        if (named.ok())
            for (const auto& u : named.body.value("users", nlohmann::json::array())) {
                bool exact = common::equal_folded(u.value("userName", ""), acting);
                for (const auto& e : u.value("emails", nlohmann::json::array()))
                    exact = exact || (e.is_string() && common::equal_folded(e.get<std::string>(), acting));
                if (exact) found.emplace_back(u.value("id", ""), u.value("userName", ""));
            }
    }
    if (found.empty()) return "no user '" + std::string(acting) + "' in tenant " + std::string(tenant);
    if (found.size() > 1)
        return "several users of " + std::string(tenant) + " match '" + std::string(acting) +
               "': give your user id";
    return found.front();
}

http::response admin_console::impl::sign_in(const http::route_call& call) {
    auto form = form_of(call.req);
    if (!form)
        return sign_in_form(400, "The sign-in form was not sent as a form; sign in again.", {}, {}, {});
    const auto field = [&](std::string_view name) {
        auto v = form->get(name);
        return v ? std::string(*v) : std::string();
    };
    const std::string acting = std::string(common::trim_ascii(field("acting")));
    if (!same_secret(field("csrf"), cookie_value(call.req, sign_in_cookie)))
        return sign_in_form(403, "The sign-in form had expired or came from another site; sign in again.", {},
                            {}, acting);
    const std::string token = std::string(common::trim_ascii(field("token")));
    if (token.empty()) return sign_in_form(400, {}, "Enter an admin token.", {}, acting);
    // The admin API decides whether the token is one: its refusal is the one shown.
    api_client probe(*api_, token, {}, call.req.id, call.req.stop);
    auto tenants = probe.get("/tenants");
    if (!tenants.ok())
        return sign_in_form(tenants.status == 401 ? 401 : 400, {}, tenants.detail(), {}, acting);
    session s;
    s.token = token;
    s.who = api_->authenticator().authenticate("Bearer " + token);
    if (!acting.empty()) {
        if (!s.who.is(http::principal::role::tenant_admin))
            return sign_in_form(
                400, {}, {},
                "An operator token acts for no user of a tenant: leave this empty, or sign in "
                "with the tenant's admin token.",
                acting);
        auto resolved = resolve_acting_user(probe, s.who.tenant, acting);
        if (auto* refused = std::get_if<std::string>(&resolved))
            return sign_in_form(400, {}, {}, *refused, acting);
        auto [id, label] = std::get<std::pair<std::string, std::string>>(resolved);
        // The API checks the acting user on every request; asking once here shows its refusal at sign-in.
        api_client as_user(*api_, token, id, call.req.id, call.req.stop);
        auto check = as_user.get("/tenants/" + encode(s.who.tenant));
        if (!check.ok()) return sign_in_form(check.status, {}, {}, check.detail(), acting);
        s.acting_user = std::move(id);
        s.acting_label = std::move(label);
    }
    const std::string id = sessions_.open(std::move(s));
    auto res = redirect(options_.path + "/");
    res.headers.push_back({"Set-Cookie", cookie(session_cookie, id)});
    res.headers.push_back({"Set-Cookie", cookie(sign_in_cookie, "", true)});
    return res;
}

http::response admin_console::impl::sign_out(const http::route_call& call) {
    const std::string id = cookie_value(call.req, session_cookie);
    auto s = sessions_.use(id);
    auto form = form_of(call.req);
    if (s && (!form || !same_secret(form->get("csrf").value_or(""), s->csrf)))
        return plain_page(403, "Refused",
                          error_note("failure",
                                     "The form was refused: its CSRF token is missing or wrong. Go "
                                     "back, reload the page and try again."));
    sessions_.close(id);
    auto res = sign_in_form(200, "You are signed out.", {}, {}, {});
    res.headers.push_back({"Set-Cookie", cookie(session_cookie, "", true)});
    return res;
}

http::response admin_console::impl::home(const http::route_call& call) {
    auto s = sessions_.use(cookie_value(call.req, session_cookie));
    if (!s) return redirect(options_.path + "/sign-in");
    if (s->who.is(http::principal::role::tenant_admin))
        return redirect(options_.path + "/tenants/" + encode(s->who.tenant));
    return redirect(options_.path + "/tenants");
}

http::response admin_console::impl::serve(const http::route_call& call, bool post,
                                          const page_handler& handler) {
    const std::string id = cookie_value(call.req, session_cookie);
    auto s = sessions_.use(id);
    if (!s) {
        auto res = sign_in_form(
            401, id.empty() ? "Sign in to continue." : "Your session has ended; sign in again.", {}, {}, {});
        if (!id.empty()) res.headers.push_back({"Set-Cookie", cookie(session_cookie, "", true)});
        return res;
    }
    auto query = http::query_params::parse(call.query);
    if (!query)
        return plain_page(400, "Bad request", error_note("failure", "The address has a malformed %-escape."));
    http::query_params form;
    if (post) {
        auto parsed = form_of(call.req);
        if (!parsed)
            return plain_page(
                400, "Bad request",
                error_note("failure", "The console takes forms (application/x-www-form-urlencoded)."));
        form = std::move(*parsed);
        if (!same_secret(form.get("csrf").value_or(""), s->csrf))
            return plain_page(403, "Refused",
                              error_note("failure",
                                         "The form was refused: its CSRF token is missing or wrong. Go "
                                         "back, reload the page and try again."));
    }
    api_client api(*api_, s->token, s->acting_user, call.req.id, call.req.stop);
    const page_call c{call, *s, id, sessions_, api, *query, form, options_.path};
    auto res = handler(c);
    if (api.refused_token()) {
        // The token was removed by a reload: the session can do nothing more.
        sessions_.close(id);
        auto out = sign_in_form(401, "Your admin token is no longer accepted; sign in again.", {}, {}, {});
        out.headers.push_back({"Set-Cookie", cookie(session_cookie, "", true)});
        return out;
    }
    return res;
}

void admin_console::impl::add_routes(http::router& r) {
    api_ = &r;
    http::mount_point point;
    point.prefix = options_.path;
    // A signed-in request counts as its token's: it waits in its tenant's lane (or the operators'), not
    // in front of everyone, and the access log names the tenant.
    point.identify = [this](const http::request& req) {
        return sessions_.peek(cookie_value(req, session_cookie)).value_or(http::principal{});
    };
    auto& m = r.add_mount(std::move(point));
    m.route("GET", "/", [this](const http::route_call& call) { return home(call); });
    m.route("GET", "/sign-in", [this](const http::route_call& call) {
        if (sessions_.use(cookie_value(call.req, session_cookie))) return home(call);
        return sign_in_form(200, {}, {}, {}, {});
    });
    m.route("POST", "/sign-in", [this](const http::route_call& call) { return sign_in(call); });
    m.route("POST", "/sign-out", [this](const http::route_call& call) { return sign_out(call); });
    m.route(
        "GET", "/static/{name}",
        [](const http::route_call& call) {
            const auto* a = find_asset(call.params.get("name"));
            if (!a) return html_response(404, "not found\n");
            auto res = html_response(200, std::string(a->body));
            res.content_type = std::string(a->content_type);
            for (auto& h : res.headers)
                if (h.name == "Cache-Control") h.value = "public, max-age=300";
            return res;
        },
        http::route_options{.on_io_thread = true});
    table pages(*this, m);
    add_tenant_pages(pages);
    add_user_pages(pages);
    add_invitation_pages(pages);
    add_role_pages(pages);
    add_sync_pages(pages);
    add_notification_pages(pages);
    add_audit_pages(pages);
}

admin_console::admin_console(console_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
admin_console::~admin_console() = default;
void admin_console::add_routes(http::router& r) { impl_->add_routes(r); }
std::size_t admin_console::session_count() const { return impl_->session_count(); }

}  // namespace dirsync::console
