#include "ldap/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ldap/detail/operations.hpp"
#include "ldap/detail/session.hpp"
#include "ldap/range.hpp"

namespace dirsync::ldap {

namespace asio = boost::asio;
using boost::system::result;

namespace {

// The coroutines below run on the session's strand; each holds the session for its whole run.

asio::awaitable<result<void, error>> connect_on_strand(std::shared_ptr<detail::session> s) {
    co_return co_await s->connect();
}

asio::awaitable<void> disconnect_on_strand(std::shared_ptr<detail::session> s) {
    s->disconnect(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                        "the connection to " + s->settings().url + " was closed by the client"));
    co_return;
}

asio::awaitable<result<std::optional<entry>, error>> read_on_strand(std::shared_ptr<detail::session> s,
                                                                    std::string dn,
                                                                    std::vector<std::string> attributes) {
    auto conn = s->current();
    if (!conn) co_return conn.error();
    const auto timeout = s->settings().operation_timeout;
    auto found = co_await detail::read_entry(*conn, dn, attributes, timeout);
    if (!found || !*found || !needs_range_retrieval(**found)) co_return std::move(found);
    auto complete = co_await detail::resolve_ranges(*conn, std::move(**found), timeout);
    if (!complete) co_return complete.error();
    co_return std::optional<entry>(std::move(*complete));
}

asio::awaitable<result<std::string, error>> who_am_i_on_strand(std::shared_ptr<detail::session> s) {
    auto conn = s->current();
    if (!conn) co_return conn.error();
    co_return co_await detail::who_am_i(*conn, s->settings().operation_timeout);
}

/// Runs `op(connection)` on the current connection.
template <class Op>
asio::awaitable<result<void, error>> update_on_strand(std::shared_ptr<detail::session> s, Op op) {
    auto conn = s->current();
    if (!conn) co_return conn.error();
    co_return co_await op(*conn, s->settings().operation_timeout);
}

}  // namespace

client::client(asio::any_io_executor executor, asio::thread_pool& blocking_pool, connection_settings settings)
    : session_(std::make_shared<detail::session>(std::move(executor), blocking_pool, std::move(settings))) {}

client::~client() {
    asio::post(session_->strand(), [s = session_] {
        s->disconnect(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                            "the client of " + s->settings().url + " was destroyed"));
    });
}

// Each operation is the awaitable of a co_spawn onto the strand: it starts when awaited, runs there, and
// resumes the caller on its own executor. The client itself is not referenced once it has returned.

asio::awaitable<result<void, error>> client::connect() {
    return asio::co_spawn(session_->strand(), connect_on_strand(session_), asio::use_awaitable);
}

asio::awaitable<void> client::disconnect() {
    return asio::co_spawn(session_->strand(), disconnect_on_strand(session_), asio::use_awaitable);
}

bool client::connected() const noexcept { return session_->connected(); }

search_cursor client::search(search_request request) { return search_cursor(session_, std::move(request)); }

asio::awaitable<result<std::optional<entry>, error>> client::read(std::string dn,
                                                                  std::vector<std::string> attributes) {
    return asio::co_spawn(session_->strand(), read_on_strand(session_, std::move(dn), std::move(attributes)),
                          asio::use_awaitable);
}

asio::awaitable<result<void, error>> client::add(entry e) {
    auto op = [e = std::move(e)](std::shared_ptr<detail::connection> c, std::chrono::milliseconds t) {
        return detail::add_entry(std::move(c), e, t);
    };
    return asio::co_spawn(session_->strand(), update_on_strand(session_, std::move(op)), asio::use_awaitable);
}

asio::awaitable<result<void, error>> client::modify(std::string dn, std::vector<modification> changes) {
    auto op = [dn = std::move(dn), changes = std::move(changes)](std::shared_ptr<detail::connection> c,
                                                                 std::chrono::milliseconds t) {
        return detail::modify_entry(std::move(c), dn, changes, t);
    };
    return asio::co_spawn(session_->strand(), update_on_strand(session_, std::move(op)), asio::use_awaitable);
}

asio::awaitable<result<void, error>> client::remove(std::string dn) {
    auto op = [dn = std::move(dn)](std::shared_ptr<detail::connection> c, std::chrono::milliseconds t) {
        return detail::delete_entry(std::move(c), dn, t);
    };
    return asio::co_spawn(session_->strand(), update_on_strand(session_, std::move(op)), asio::use_awaitable);
}

asio::awaitable<result<void, error>> client::rename(std::string dn, std::string new_rdn,
                                                    std::string new_superior, bool delete_old_rdn) {
    auto op = [dn = std::move(dn), new_rdn = std::move(new_rdn), new_superior = std::move(new_superior),
               delete_old_rdn](std::shared_ptr<detail::connection> c, std::chrono::milliseconds t) {
        return detail::rename_entry(std::move(c), dn, new_rdn, new_superior, delete_old_rdn, t);
    };
    return asio::co_spawn(session_->strand(), update_on_strand(session_, std::move(op)), asio::use_awaitable);
}

asio::awaitable<result<std::string, error>> client::who_am_i() {
    return asio::co_spawn(session_->strand(), who_am_i_on_strand(session_), asio::use_awaitable);
}

const connection_settings& client::settings() const noexcept { return session_->settings(); }

}  // namespace dirsync::ldap
