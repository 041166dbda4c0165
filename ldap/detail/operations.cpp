#include "ldap/detail/operations.hpp"

#include <algorithm>
#include <climits>

#include "ldap/detail/message.hpp"
#include "ldap/range.hpp"

namespace dirsync::ldap::detail {

namespace asio = boost::asio;
using boost::system::result;

namespace {

int scope_value(search_scope scope) {
    switch (scope) {
        case search_scope::base:
            return LDAP_SCOPE_BASE;
        case search_scope::one_level:
            return LDAP_SCOPE_ONELEVEL;
        case search_scope::subtree:
            return LDAP_SCOPE_SUBTREE;
    }
    return LDAP_SCOPE_SUBTREE;
}

/// The NULL-terminated `char*` array libldap takes, pointing into `attributes` (which must outlive it).
class attribute_list {
  public:
    explicit attribute_list(const std::vector<std::string>& attributes) {
        pointers_.reserve(attributes.size() + 1);
        for (const auto& a : attributes) pointers_.push_back(const_cast<char*>(a.c_str()));
        pointers_.push_back(nullptr);
    }
    /// nullptr for an empty list: all user attributes.
    char** get() noexcept { return pointers_.size() > 1 ? pointers_.data() : nullptr; }

  private:
    std::vector<char*> pointers_;
};

/// The search time limit sent to the server: the operation timeout in whole seconds, rounded up.
timeval server_time_limit(std::chrono::milliseconds timeout) {
    const auto seconds = std::max<long long>(1, (timeout.count() + 999) / 1000);
    return timeval{static_cast<time_t>(std::min<long long>(seconds, INT_MAX)), 0};
}

std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) {
    return std::chrono::steady_clock::now() + timeout;
}

/// The cookie of the paged-results response control in `controls`; empty when there is none (the last
/// page, or a server that ignored the control).
result<std::string, error> page_cookie(LDAP* ld, LDAPControl** controls, const std::string& what) {
    LDAPControl* control =
        controls ? ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nullptr) : nullptr;
    if (!control) return std::string();
    ber_int_t estimate = 0;
    berval cookie{0, nullptr};
    const int rc = ldap_parse_pageresponse_control(ld, control, &estimate, &cookie);
    ldap_string cookie_owner(cookie.bv_val);
    if (rc != LDAP_SUCCESS)
        return error(error_kind::protocol, rc,
                     what + ": cannot decode the paged results control: " + describe(rc, {}));
    return cookie.bv_val ? std::string(cookie.bv_val, cookie.bv_len) : std::string();
}

}  // namespace

asio::awaitable<result<search_page, error>> fetch_search_page(std::shared_ptr<connection> conn,
                                                              const search_request& request,
                                                              std::uint32_t page_size,
                                                              const std::string& cookie,
                                                              std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what =
        "search under '" + request.base + "' for '" + request.filter + "' on " + conn->url();

    control_ptr page_control;
    if (page_size > 0) {
        berval cookie_value{static_cast<ber_len_t>(cookie.size()), const_cast<char*>(cookie.data())};
        LDAPControl* raw = nullptr;
        // Critical: a server without paging must refuse (unavailableCriticalExtension) rather than answer
        // with a truncated result.
        const int rc = ldap_create_page_control(
            conn->native(), static_cast<ber_int_t>(std::min<std::uint32_t>(page_size, INT_MAX)),
            &cookie_value, 1, &raw);
        page_control.reset(raw);
        if (rc != LDAP_SUCCESS)
            co_return error(error_kind::protocol, rc,
                            what + ": cannot encode the paged results control: " + describe(rc, {}));
    }
    LDAPControl* server_controls[] = {page_control.get(), nullptr};
    attribute_list attributes(request.attributes);
    timeval time_limit = server_time_limit(timeout);
    int msgid = -1;
    const int rc = ldap_search_ext(conn->native(), request.base.c_str(), scope_value(request.scope),
                                   request.filter.empty() ? nullptr : request.filter.c_str(),
                                   attributes.get(), 0, page_control ? server_controls : nullptr, nullptr,
                                   &time_limit, LDAP_NO_LIMIT, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();

    pending_request pending(*conn, msgid);
    const auto deadline = deadline_after(timeout);
    search_page page;
    for (;;) {
        auto message = co_await pending.next(deadline, what, timeout);
        if (!message) co_return message.error();
        LDAPMessage* m = message->get();
        switch (ldap_msgtype(m)) {
            case LDAP_RES_SEARCH_ENTRY: {
                auto parsed = parse_entry(conn->native(), m);
                if (!parsed) co_return parsed.error();
                page.entries.push_back(std::move(*parsed));
                break;
            }
            case LDAP_RES_SEARCH_RESULT: {
                pending.finished();
                auto parsed = parse_result(conn->native(), m);
                if (!parsed) co_return parsed.error();
                if (parsed->code != LDAP_SUCCESS)
                    co_return error(error_kind::search, parsed->code,
                                    what + " failed: " + describe(parsed->code, parsed->diagnostic));
                if (page_control) {
                    auto next_cookie = page_cookie(conn->native(), parsed->controls.get(), what);
                    if (!next_cookie) co_return next_cookie.error();
                    page.cookie = std::move(*next_cookie);
                }
                co_return page;
            }
            default:
                break;  // search references (referrals are not chased), intermediate responses
        }
    }
}

asio::awaitable<result<std::optional<entry>, error>> read_entry(std::shared_ptr<connection> conn,
                                                                const std::string& dn,
                                                                const std::vector<std::string>& attributes,
                                                                std::chrono::milliseconds timeout) {
    search_request request;
    request.base = dn;
    request.scope = search_scope::base;
    request.filter = "(objectClass=*)";
    request.attributes = attributes;
    auto page = co_await fetch_search_page(std::move(conn), request, 0, {}, timeout);
    if (!page) {
        if (page.error().code == LDAP_NO_SUCH_OBJECT) co_return std::optional<entry>();
        co_return page.error();
    }
    if (page->entries.empty()) co_return std::optional<entry>();
    co_return std::optional<entry>(std::move(page->entries.front()));
}

asio::awaitable<result<entry, error>> resolve_ranges(std::shared_ptr<connection> conn, entry e,
                                                     std::chrono::milliseconds timeout) {
    auto retrieval = range_retrieval::start(std::move(e));
    if (!retrieval) co_return retrieval.error();
    while (!retrieval->complete()) {
        // A named vector: GCC 12 miscompiles a braced temporary inside a co_await expression.
        const std::vector<std::string> attributes{retrieval->next_request()};
        auto chunk = co_await read_entry(conn, retrieval->dn(), attributes, timeout);
        if (!chunk) co_return chunk.error();
        if (!*chunk)
            co_return error(error_kind::search, LDAP_NO_SUCH_OBJECT,
                            "range retrieval of '" + retrieval->dn() + "': the entry is gone");
        if (auto added = retrieval->add(**chunk); !added) co_return added.error();
    }
    co_return std::move(*retrieval).take();
}

asio::awaitable<result<std::string, error>> who_am_i(std::shared_ptr<connection> conn,
                                                     std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = "Who am I? on " + conn->url();
    int msgid = -1;
    const int rc = ldap_whoami(conn->native(), nullptr, nullptr, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();

    pending_request pending(*conn, msgid);
    const auto deadline = deadline_after(timeout);
    for (;;) {
        auto message = co_await pending.next(deadline, what, timeout);
        if (!message) co_return message.error();
        LDAPMessage* m = message->get();
        if (ldap_msgtype(m) != LDAP_RES_EXTENDED) continue;
        pending.finished();
        auto parsed = parse_result(conn->native(), m);
        if (!parsed) co_return parsed.error();
        if (parsed->code != LDAP_SUCCESS)
            co_return error(error_kind::search, parsed->code,
                            what + " failed: " + describe(parsed->code, parsed->diagnostic));
        berval* raw = nullptr;
        const int parse_rc = ldap_parse_extended_result(conn->native(), m, nullptr, &raw, 0);
        berval_ptr data(raw);
        if (parse_rc != LDAP_SUCCESS)
            co_return error(error_kind::protocol, parse_rc,
                            what + ": cannot decode the response: " + describe(parse_rc, {}));
        co_return data && data->bv_val ? std::string(data->bv_val, data->bv_len) : std::string();
    }
}

}  // namespace dirsync::ldap::detail
