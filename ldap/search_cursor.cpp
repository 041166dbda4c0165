#include "ldap/search_cursor.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ldap/detail/operations.hpp"
#include "ldap/detail/session.hpp"
#include "ldap/range.hpp"

namespace dirsync::ldap {

namespace asio = boost::asio;
using boost::system::result;

namespace detail {

/// A cursor's state; touched on the session's strand only, but for `more`, which the owner reads.
struct cursor_state {
    ~cursor_state();

    std::shared_ptr<session> owner;
    search_request request;
    std::shared_ptr<connection> conn;  ///< the connection the search runs on, from the first page
    std::string cookie;
    /// A batched search whose request is still open between batches.
    std::unique_ptr<pending_request> open;
    std::atomic<bool> more{true};
    bool busy = false;
    std::size_t entries = 0;
    std::size_t pages = 0;
};

cursor_state::~cursor_state() {
    if (!open) return;
    // The open request belongs to the connection's strand: it is abandoned there.
    struct closer {
        std::shared_ptr<connection> conn;
        std::unique_ptr<pending_request> request;  // destroyed first
    };
    if (conn->strand().running_in_this_thread()) {
        open.reset();
        return;
    }
    asio::post(conn->strand(),
               [c = std::make_shared<closer>(closer{conn, std::move(open)})] { c->request.reset(); });
}

namespace {

asio::awaitable<result<search_results, error>> next_results_on_strand(std::shared_ptr<cursor_state> st) {
    if (st->busy)
        co_return error(error_kind::settings, LDAP_OTHER,
                        "next_page() is already in progress for this cursor");
    if (!st->more) co_return search_results();
    st->busy = true;
    struct not_busy {
        cursor_state& s;
        ~not_busy() { s.busy = false; }
    } guard{*st};
    const auto fail = [&](error e) {
        st->more = false;
        st->open.reset();
        return e;
    };

    const auto& settings = st->owner->settings();
    auto current = st->owner->current();
    if (!st->conn) {
        if (!current) co_return fail(current.error());
        st->conn = *current;
    } else if (!current || *current != st->conn) {
        co_return fail(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                             "the connection to " + settings.url +
                                 " was lost or replaced during the paged search under '" + st->request.base +
                                 "'; the search must start again"));
    }

    const auto timeout = settings.operation_timeout;
    const std::uint32_t page_size = st->request.page_size.value_or(settings.page_size);
    search_page page;
    if (page_size == 0 && st->request.batch_size > 0) {
        const std::string what = describe_search(*st->conn, st->request);
        if (!st->open) {
            auto msgid = send_search(*st->conn, st->request, 0, {}, timeout, what);
            if (!msgid) co_return fail(msgid.error());
            st->open = std::make_unique<pending_request>(*st->conn, *msgid);
            st->open->set_queue_limit(st->request.batch_size);
        }
        const bool persistent = st->request.persistent;
        auto collected = co_await collect_search(*st->conn, *st->open, page, false,
                                                 persistent ? 1 : st->request.batch_size,
                                                 persistent ? std::chrono::steady_clock::time_point::max()
                                                            : std::chrono::steady_clock::now() + timeout,
                                                 timeout, what);
        if (!collected) co_return fail(collected.error());
        if (page.finished) {
            st->open.reset();
            st->more = false;
        }
        if (st->request.resolve_ranges) {
            for (const auto& e : page.entries)
                if (needs_range_retrieval(e))
                    co_return fail(
                        error(error_kind::protocol, LDAP_NOT_SUPPORTED,
                              what + ": entry '" + e.dn +
                                  "' has ranged attributes, which a batched search cannot complete; "
                                  "use a paged search"));
        }
    } else {
        auto fetched = co_await fetch_search_page(st->conn, st->request, page_size, st->cookie, timeout);
        if (!fetched) co_return fail(fetched.error());
        page = std::move(*fetched);
        if (page_size == 0 || page.cookie.empty()) st->more = false;
        st->cookie = std::move(page.cookie);
        if (st->request.resolve_ranges) {
            for (auto& e : page.entries) {
                if (!needs_range_retrieval(e)) continue;
                auto controls = std::move(e.controls);
                auto complete = co_await resolve_ranges(st->conn, std::move(e), timeout);
                if (!complete) co_return fail(complete.error());
                e = std::move(*complete);
                e.controls = std::move(controls);
            }
        }
    }
    ++st->pages;
    st->entries += page.entries.size();
    search_results out;
    out.entries = std::move(page.entries);
    out.intermediates = std::move(page.intermediates);
    out.result_controls = std::move(page.result_controls);
    co_return out;
}

asio::awaitable<result<std::vector<entry>, error>> next_page_on_strand(std::shared_ptr<cursor_state> st) {
    auto results = co_await next_results_on_strand(std::move(st));
    if (!results) co_return results.error();
    co_return std::move(results->entries);
}

}  // namespace
}  // namespace detail

namespace {

asio::awaitable<result<std::vector<entry>, error>> empty_page() { co_return std::vector<entry>(); }

asio::awaitable<result<search_results, error>> empty_results() { co_return search_results(); }

}  // namespace

search_cursor::search_cursor() = default;
search_cursor::~search_cursor() = default;
search_cursor::search_cursor(search_cursor&&) noexcept = default;
search_cursor& search_cursor::operator=(search_cursor&&) noexcept = default;

search_cursor::search_cursor(std::shared_ptr<detail::session> session, search_request request)
    : state_(std::make_shared<detail::cursor_state>()) {
    state_->owner = std::move(session);
    state_->request = std::move(request);
}

bool search_cursor::has_more() const noexcept { return state_ && state_->more; }

std::size_t search_cursor::entries_returned() const noexcept { return state_ ? state_->entries : 0; }

std::size_t search_cursor::pages_returned() const noexcept { return state_ ? state_->pages : 0; }

asio::awaitable<result<std::vector<entry>, error>> search_cursor::next_page() {
    if (!state_) return empty_page();
    return asio::co_spawn(state_->owner->strand(), detail::next_page_on_strand(state_), asio::use_awaitable);
}

asio::awaitable<result<search_results, error>> search_cursor::next_results() {
    if (!state_) return empty_results();
    return asio::co_spawn(state_->owner->strand(), detail::next_results_on_strand(state_),
                          asio::use_awaitable);
}

}  // namespace dirsync::ldap
