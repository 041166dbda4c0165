#pragma once

// Internal to dirsync_console: what a page handler is given, and the helpers every page builds its answer
// with (the layout, forms with their CSRF token and confirmation, refusals shown where they belong).

#include <functional>
#include <string>
#include <string_view>

#include "console/api_client.hpp"
#include "console/session_store.hpp"
#include "http/message.hpp"
#include "http/query_string.hpp"
#include "http/router.hpp"

namespace dirsync::console {

/// One request to a page of a signed-in session.
struct page_call {
    const http::route_call& call;
    const session& s;
    std::string_view session_id;
    session_store& sessions;
    const api_client& api;
    const http::query_params& query;  ///< the URL's parameters
    const http::query_params& form;   ///< a POST's form fields; empty for a GET
    std::string_view base;            ///< where the console is mounted, e.g. "/console"

    /// A `{name}` the route's pattern captured.
    std::string_view param(std::string_view name) const { return call.params.get(name); }
    /// A form field's value; empty when absent.
    std::string field(std::string_view name) const;
    /// A URL parameter's value; empty when absent.
    std::string arg(std::string_view name) const;
    /// `rest` below the console: url("/tenants") is "/console/tenants".
    std::string url(std::string_view rest) const;
    /// A page of `tenant`: tenant_url("acme", "/users") is "/console/tenants/acme/users" (encoded).
    std::string tenant_url(std::string_view tenant, std::string_view rest = {}) const;
};

/// A page's own content, before the layout wraps it.
struct page {
    std::string title;
    std::string body;  ///< HTML
    unsigned status = 200;
    std::string tenant{};  ///< the tenant the page is about, for the tenant navigation; empty: none
};

/// `html` (a whole document) as text/html with the console's security headers: a Content-Security-Policy
/// of 'self' only (no inline script or style, no framing, forms post to the console only), no caching,
/// no referrer.
http::response html_response(unsigned status, std::string html);

/// A whole document around `body`: head (title, the console's style sheet and script), then `body`.
std::string document(std::string_view base, std::string_view title, std::string_view body);

/// The whole HTML document: header (who is signed in, sign-out), navigation, the session's one-time
/// notice, then `p`, with the console's security headers.
http::response render(const page_call& c, page p);

/// 303 See Other to `location`, after a form did its work (so reloading the page does not post again).
http::response redirect(std::string_view location);

/// The same, leaving `notice` for the page it leads to.
http::response redirect_with_notice(const page_call& c, std::string_view location, std::string notice);

/// Opens a POST form to `action` carrying the session's CSRF token. With `confirm`, the console's script
/// asks that question before it is sent (and the server asks it on a page of its own without the script,
/// see confirmed()). Close it with "</form>".
std::string form_start(const page_call& c, std::string_view action, std::string_view confirm = {},
                       std::string_view css_class = {});

/// Whether a destructive form's post was confirmed (its `confirm` field is "yes").
bool confirmed(const page_call& c);

/// The confirmation page of an unconfirmed destructive post: `question`, and a button labelled `button`
/// that posts the same fields again to the same place, confirmed; a Cancel link to `back`.
http::response confirmation(const page_call& c, std::string_view question, std::string_view button,
                            std::string_view back, std::string_view tenant = {});

/// A refusal shown beside the control it concerns: <p class="error" id="ID" role="alert">message</p>.
/// Empty when `message` is.
std::string error_note(std::string_view id, std::string_view message);

/// The page for an answer that leaves nothing to show (a 404 from a URL edited to another tenant, a 400):
/// the API's status and its words.
http::response failure_page(const page_call& c, const api_answer& a, std::string_view tenant = {});

/// Member `key` of `object`; null when `object` is not an object or lacks it (never the undefined behaviour
/// of nlohmann's const operator[] on a missing key).
const nlohmann::json& at(const nlohmann::json& object, const char* key);

/// A time as the API gives it (RFC 3339), shown shorter: "2026-12-05 10:50 UTC"; "-" for null.
std::string when(const nlohmann::json& rfc3339);

/// A JSON value as plain text: strings as they are, null as "-", others dumped.
std::string text_of(const nlohmann::json& v);

/// Audit events (the API's `events`) as a table, newest first; id names the table.
std::string audit_table(const nlohmann::json& events, std::string_view id);

/// A handler of a page.
using page_handler = std::function<http::response(const page_call&)>;

/// Where pages register: GET and POST handlers by pattern below the console's mount.
class page_table {
  public:
    virtual ~page_table() = default;
    virtual void get(std::string_view pattern, page_handler handler) = 0;
    virtual void post(std::string_view pattern, page_handler handler) = 0;
};

void add_tenant_pages(page_table& t);
void add_user_pages(page_table& t);
void add_user_detail_pages(page_table& t);
void add_invitation_pages(page_table& t);
void add_role_pages(page_table& t);
void add_sync_pages(page_table& t);
void add_notification_pages(page_table& t);
void add_audit_pages(page_table& t);

}  // namespace dirsync::console
