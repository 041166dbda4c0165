#include "ldap/detail/operations.hpp"

#include <algorithm>
#include <climits>
#include <deque>

#include "ldap/detail/message.hpp"
#include "ldap/range.hpp"

namespace dirsync::ldap::detail {

namespace asio = boost::asio;
using boost::system::result;

namespace {

/// At most this many entries of a page are reserved up front (a server may answer with fewer than asked).
constexpr std::uint32_t max_reserved_entries = 5000;

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

/// The NULL-terminated `LDAPControl*` array libldap takes: `controls` (which must outlive it), then `extra`
/// when not null.
class control_list {
  public:
    control_list(const std::vector<control>& controls, LDAPControl* extra) {
        structs_.reserve(controls.size());
        for (const auto& c : controls) {
            LDAPControl l{};
            l.ldctl_oid = const_cast<char*>(c.oid.c_str());
            // A value that is present but empty still needs a non-null bv_val: libldap omits the value
            // when bv_val is null.
            if (c.value)
                l.ldctl_value =
                    berval{static_cast<ber_len_t>(c.value->size()), const_cast<char*>(c.value->data())};
            l.ldctl_iscritical = c.critical ? 1 : 0;
            structs_.push_back(l);
        }
        for (auto& l : structs_) pointers_.push_back(&l);
        if (extra) pointers_.push_back(extra);
        pointers_.push_back(nullptr);
    }
    /// nullptr for no controls.
    LDAPControl** get() noexcept { return pointers_.size() > 1 ? pointers_.data() : nullptr; }

  private:
    std::vector<LDAPControl> structs_;
    std::vector<LDAPControl*> pointers_;
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

std::string describe_search(const connection& conn, const search_request& request) {
    return "search under '" + request.base + "' for '" + request.filter + "' on " + conn.url();
}

result<int, error> send_search(connection& conn, const search_request& request, std::uint32_t page_size,
                               const std::string& cookie, std::chrono::milliseconds timeout,
                               const std::string& what) {
    if (!conn.is_open()) return conn.failure();
    control_ptr page_control;
    if (page_size > 0) {
        berval cookie_value{static_cast<ber_len_t>(cookie.size()), const_cast<char*>(cookie.data())};
        LDAPControl* raw = nullptr;
        // Critical: a server without paging must refuse (unavailableCriticalExtension) rather than answer
        // with a truncated result.
        const int rc = ldap_create_page_control(
            conn.native(), static_cast<ber_int_t>(std::min<std::uint32_t>(page_size, INT_MAX)), &cookie_value,
            1, &raw);
        page_control.reset(raw);
        if (rc != LDAP_SUCCESS)
            return error(error_kind::protocol, rc,
                         what + ": cannot encode the paged results control: " + describe(rc, {}));
    }
    control_list server_controls(request.controls, page_control.get());
    attribute_list attributes(request.attributes);
    timeval time_limit = server_time_limit(timeout);
    int msgid = -1;
    const int rc =
        ldap_search_ext(conn.native(), request.base.c_str(), scope_value(request.scope),
                        request.filter.empty() ? nullptr : request.filter.c_str(), attributes.get(), 0,
                        server_controls.get(), nullptr, &time_limit, LDAP_NO_LIMIT, &msgid);
    if (auto sent = conn.check_sent(rc, what); !sent) return sent.error();
    return msgid;
}

asio::awaitable<result<void, error>> collect_search(connection& conn, pending_request& pending,
                                                    search_page& page, bool paged, std::size_t max_entries,
                                                    std::chrono::steady_clock::time_point deadline,
                                                    std::chrono::milliseconds timeout,
                                                    const std::string& what) {
    while (max_entries == 0 || page.entries.size() < max_entries) {
        auto message = co_await pending.next(deadline, what, timeout);
        if (!message) co_return message.error();
        LDAPMessage* m = message->get();
        switch (ldap_msgtype(m)) {
            case LDAP_RES_SEARCH_ENTRY: {
                auto parsed = parse_entry(conn.native(), m);
                if (!parsed) co_return parsed.error();
                page.entries.push_back(std::move(*parsed));
                break;
            }
            case LDAP_RES_INTERMEDIATE: {
                auto parsed = parse_intermediate(conn.native(), m);
                if (!parsed) co_return parsed.error();
                parsed->entries_before = page.entries.size();
                page.intermediates.push_back(std::move(*parsed));
                break;
            }
            case LDAP_RES_SEARCH_RESULT: {
                pending.finished();
                page.finished = true;
                auto parsed = parse_result(conn.native(), m);
                if (!parsed) co_return parsed.error();
                if (parsed->code != LDAP_SUCCESS)
                    co_return error(error_kind::search, parsed->code,
                                    what + " failed: " + describe(parsed->code, parsed->diagnostic));
                if (paged) {
                    auto next_cookie = page_cookie(conn.native(), parsed->controls.get(), what);
                    if (!next_cookie) co_return next_cookie.error();
                    page.cookie = std::move(*next_cookie);
                }
                page.result_controls = to_controls(parsed->controls.get(), LDAP_CONTROL_PAGEDRESULTS);
                co_return result<void, error>();
            }
            default:
                break;  // search references: referrals are not chased
        }
    }
    co_return result<void, error>();
}

asio::awaitable<result<search_page, error>> fetch_search_page(std::shared_ptr<connection> conn,
                                                              const search_request& request,
                                                              std::uint32_t page_size,
                                                              const std::string& cookie,
                                                              std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = describe_search(*conn, request);
    auto msgid = send_search(*conn, request, page_size, cookie, timeout, what);
    if (!msgid) co_return msgid.error();
    pending_request pending(*conn, *msgid);
    search_page page;
    // A page's entries grown by doubling cost a dozen large allocations each, and every large allocation
    // makes malloc consolidate the free lists the entries of the last page left.
    page.entries.reserve(std::min<std::uint32_t>(page_size, max_reserved_entries));
    auto collected = co_await collect_search(*conn, pending, page, page_size > 0, 0, deadline_after(timeout),
                                             timeout, what);
    if (!collected) co_return collected.error();
    co_return page;
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

namespace {

/// Waits for the final response of the update `msgid` (sent by `what`) and checks its result code.
asio::awaitable<result<void, error>> await_update(std::shared_ptr<connection> conn, int msgid,
                                                  int expected_type, std::string what,
                                                  std::chrono::milliseconds timeout) {
    pending_request pending(*conn, msgid);
    const auto deadline = deadline_after(timeout);
    for (;;) {
        auto message = co_await pending.next(deadline, what, timeout);
        if (!message) co_return message.error();
        LDAPMessage* m = message->get();
        if (ldap_msgtype(m) != expected_type) continue;
        pending.finished();
        auto parsed = parse_result(conn->native(), m);
        if (!parsed) co_return parsed.error();
        if (parsed->code != LDAP_SUCCESS)
            co_return error(error_kind::update, parsed->code,
                            what + " failed: " + describe(parsed->code, parsed->diagnostic));
        co_return result<void, error>();
    }
}

/// The LDAPMod array of an add or modify: `LDAPMod*`s pointing into owned structures, which point into the
/// caller's strings (which must outlive it).
class mod_list {
  public:
    void add(int op, const std::string& attribute, const std::vector<std::string>& values) {
        auto& v = values_.emplace_back();
        v.reserve(values.size());
        for (const auto& value : values)
            v.push_back(berval{static_cast<ber_len_t>(value.size()), const_cast<char*>(value.data())});
        auto& pointers = value_pointers_.emplace_back();
        for (auto& b : v) pointers.push_back(&b);
        pointers.push_back(nullptr);
        LDAPMod mod{};
        mod.mod_op = op | LDAP_MOD_BVALUES;
        mod.mod_type = const_cast<char*>(attribute.c_str());
        mod.mod_bvalues = values.empty() ? nullptr : pointers.data();
        mods_.push_back(mod);
    }
    LDAPMod** get() {
        pointers_.clear();
        for (auto& m : mods_) pointers_.push_back(&m);
        pointers_.push_back(nullptr);
        return pointers_.data();
    }

  private:
    std::deque<std::vector<berval>> values_;  // deques: elements never move once added
    std::deque<std::vector<berval*>> value_pointers_;
    std::deque<LDAPMod> mods_;
    std::vector<LDAPMod*> pointers_;
};

int mod_operation(modification::operation op) {
    switch (op) {
        case modification::operation::add:
            return LDAP_MOD_ADD;
        case modification::operation::remove:
            return LDAP_MOD_DELETE;
        case modification::operation::replace:
            return LDAP_MOD_REPLACE;
    }
    return LDAP_MOD_REPLACE;
}

}  // namespace

asio::awaitable<result<void, error>> add_entry(std::shared_ptr<connection> conn, const entry& e,
                                               std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = "add of '" + e.dn + "' on " + conn->url();
    mod_list mods;
    for (const auto& [attribute, values] : e.attributes) mods.add(LDAP_MOD_ADD, attribute, values);
    int msgid = -1;
    const int rc = ldap_add_ext(conn->native(), e.dn.c_str(), mods.get(), nullptr, nullptr, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();
    co_return co_await await_update(std::move(conn), msgid, LDAP_RES_ADD, what, timeout);
}

asio::awaitable<result<void, error>> modify_entry(std::shared_ptr<connection> conn, const std::string& dn,
                                                  const std::vector<modification>& changes,
                                                  std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = "modify of '" + dn + "' on " + conn->url();
    mod_list mods;
    for (const auto& c : changes) mods.add(mod_operation(c.op), c.attribute, c.values);
    int msgid = -1;
    const int rc = ldap_modify_ext(conn->native(), dn.c_str(), mods.get(), nullptr, nullptr, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();
    co_return co_await await_update(std::move(conn), msgid, LDAP_RES_MODIFY, what, timeout);
}

asio::awaitable<result<void, error>> delete_entry(std::shared_ptr<connection> conn, const std::string& dn,
                                                  std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = "delete of '" + dn + "' on " + conn->url();
    int msgid = -1;
    const int rc = ldap_delete_ext(conn->native(), dn.c_str(), nullptr, nullptr, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();
    co_return co_await await_update(std::move(conn), msgid, LDAP_RES_DELETE, what, timeout);
}

asio::awaitable<result<void, error>> rename_entry(std::shared_ptr<connection> conn, const std::string& dn,
                                                  const std::string& new_rdn, const std::string& new_superior,
                                                  bool delete_old_rdn, std::chrono::milliseconds timeout) {
    if (!conn->is_open()) co_return conn->failure();
    const std::string what = "rename of '" + dn + "' to '" + new_rdn + "'" +
                             (new_superior.empty() ? std::string() : " under '" + new_superior + "'") +
                             " on " + conn->url();
    int msgid = -1;
    const int rc = ldap_rename(conn->native(), dn.c_str(), new_rdn.c_str(),
                               new_superior.empty() ? nullptr : new_superior.c_str(), delete_old_rdn ? 1 : 0,
                               nullptr, nullptr, &msgid);
    if (auto sent = conn->check_sent(rc, what); !sent) co_return sent.error();
    co_return co_await await_update(std::move(conn), msgid, LDAP_RES_MODDN, what, timeout);
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
