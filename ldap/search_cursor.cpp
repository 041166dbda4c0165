#include "ldap/search_cursor.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
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
    std::shared_ptr<session> owner;
    search_request request;
    std::shared_ptr<connection> conn;  ///< the connection the paged search runs on, from the first page
    std::string cookie;
    std::atomic<bool> more{true};
    bool busy = false;
    std::size_t entries = 0;
    std::size_t pages = 0;
};

namespace {

asio::awaitable<result<std::vector<entry>, error>> next_page_on_strand(std::shared_ptr<cursor_state> st) {
    if (st->busy)
        co_return error(error_kind::settings, LDAP_OTHER,
                        "next_page() is already in progress for this cursor");
    if (!st->more) co_return std::vector<entry>();
    st->busy = true;
    struct not_busy {
        cursor_state& s;
        ~not_busy() { s.busy = false; }
    } guard{*st};
    const auto fail = [&](error e) {
        st->more = false;
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

    const std::uint32_t page_size = st->request.page_size.value_or(settings.page_size);
    auto page =
        co_await fetch_search_page(st->conn, st->request, page_size, st->cookie, settings.operation_timeout);
    if (!page) co_return fail(page.error());
    if (page_size == 0 || page->cookie.empty()) st->more = false;
    st->cookie = std::move(page->cookie);

    if (st->request.resolve_ranges) {
        for (auto& e : page->entries) {
            if (!needs_range_retrieval(e)) continue;
            auto complete = co_await resolve_ranges(st->conn, std::move(e), settings.operation_timeout);
            if (!complete) co_return fail(complete.error());
            e = std::move(*complete);
        }
    }
    ++st->pages;
    st->entries += page->entries.size();
    co_return std::move(page->entries);
}

}  // namespace
}  // namespace detail

namespace {

asio::awaitable<result<std::vector<entry>, error>> empty_page() { co_return std::vector<entry>(); }

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

}  // namespace dirsync::ldap
