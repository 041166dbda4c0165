#include "ldap/detail/connection.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <exception>

#include "common/log.hpp"
#include "ldap/detail/message.hpp"

namespace dirsync::ldap::detail {

namespace asio = boost::asio;
using boost::system::result;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// Waits until `socket` has input (or end of stream). Asio 1.26 registers descriptors with epoll
/// edge-triggered and its async_wait is not "speculative": readiness that arrived after libldap's last poll
/// but before the wait was queued is remembered by the reactor yet does not complete the wait, which
/// would then sleep until more input comes, possibly never. So the wait is queued first and poll(2)
/// asked afterwards: input already there cancels the wait, which completes at once.
template <class Token>
auto async_wait_readable(asio::posix::stream_descriptor& socket, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code)>(
        [&socket](auto handler) {
            socket.async_wait(asio::posix::descriptor_base::wait_read, std::move(handler));
            pollfd ready{socket.native_handle(), POLLIN, 0};
            if (::poll(&ready, 1, 0) > 0) {
                boost::system::error_code ignored;
                socket.cancel(ignored);
            }
        },
        token);
}

void log_escaped(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        common::log_error(std::string("ldap: unexpected exception in the reader: ") + ex.what());
    } catch (...) {
        common::log_error("ldap: unexpected exception in the reader");
    }
}

}  // namespace

pending_request::pending_request(connection& conn, int msgid)
    : conn_(conn), msgid_(msgid), wake_(conn.strand()) {
    conn_.pending_[msgid_] = this;
    if (!conn_.is_open()) failure_ = conn_.failure();
}

pending_request::~pending_request() {
    conn_.pending_.erase(msgid_);
    if (!finished_ && !failure_) conn_.abandon(msgid_);
    if (queue_limit_ > 0) conn_.resume();
}

asio::awaitable<result<message_ptr, error>> pending_request::next(
    std::chrono::steady_clock::time_point deadline, std::string_view what,
    std::chrono::milliseconds timeout) {
    for (;;) {
        if (failure_) co_return *failure_;
        if (!messages_.empty()) {
            message_ptr message = std::move(messages_.front());
            messages_.pop_front();
            if (queue_limit_ > 0 && messages_.size() < queue_limit_) conn_.resume();
            co_return std::move(message);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            conn_.abandon(msgid_);
            finished_ = true;
            co_return error(error_kind::timeout, LDAP_TIMEOUT,
                            std::string(what) + " timed out after " + std::to_string(timeout.count()) +
                                " ms; the request was abandoned");
        }
        wake_.expires_at(deadline);
        co_await wake_.async_wait(use_tuple);  // expiry or a cancel() from the reader: both loop
    }
}

connection::connection(const strand_type& strand, ldap_ptr ld, std::string url,
                       std::function<void()> on_closed)
    : strand_(strand),
      ld_(std::move(ld)),
      url_(std::move(url)),
      on_closed_(std::move(on_closed)),
      resume_(strand) {}

connection::~connection() {
    if (socket_) {
        boost::system::error_code ignored;
        socket_->close(ignored);
    }
}

result<void, error> connection::start() {
    int fd = -1;
    if (ldap_get_option(ld_.get(), LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS || fd < 0) {
        close(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                    "the connection to " + url_ + " has no socket"));
        return failure();
    }
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        const int e = errno;
        close(error(error_kind::disconnected, LDAP_LOCAL_ERROR,
                    "cannot duplicate the socket of the connection to " + url_ + ": " + std::strerror(e)));
        return failure();
    }
    socket_.emplace(strand_, copy);
    // The socket is non-blocking from here on (Asio would set O_NONBLOCK on the shared file description
    // at its first wait anyway): libldap's reads then stop at what has arrived (a partial TLS record
    // included) instead of blocking an I/O thread, and the reader waits for the rest.
    boost::system::error_code ec;
    socket_->non_blocking(true, ec);
    if (ec) {
        close(
            error(error_kind::disconnected, LDAP_LOCAL_ERROR,
                  "cannot make the socket of the connection to " + url_ + " non-blocking: " + ec.message()));
        return failure();
    }
    asio::co_spawn(strand_, read_loop(shared_from_this()), log_escaped);
    return {};
}

// `self` keeps the connection alive while the reader runs.
asio::awaitable<void> connection::read_loop([[maybe_unused]] std::shared_ptr<connection> self) {
    while (is_open()) {
        if (!drain()) co_return;
        if (paused_) {
            // Until a consumer takes messages; then drain again first, as libldap may hold input already.
            resume_.expires_at(std::chrono::steady_clock::time_point::max());
            co_await resume_.async_wait(use_tuple);
            continue;
        }
        auto [ec] = co_await async_wait_readable(*socket_, use_tuple);
        if (!is_open()) co_return;
        if (ec && ec != asio::error::operation_aborted) {
            lost(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                       "waiting for input from " + url_ + " failed: " + ec.message()));
            co_return;
        }
    }
}

bool connection::holds_input() const {
    Sockbuf* sb = nullptr;
    return ldap_get_option(ld_.get(), LDAP_OPT_SOCKBUF, &sb) == LDAP_OPT_SUCCESS && sb != nullptr &&
           ber_sockbuf_ctrl(sb, LBER_SB_OPT_DATA_READY, nullptr) > 0;
}

bool connection::drain() {
    // With a zero timeout libldap reads once and answers "nothing yet" when that read ended inside a
    // message, even when a layer under it still holds the rest (a TLS record is read from the read-ahead
    // buffer, which holds the next ones): the socket would never signal that input again. So while a layer
    // holds input, the reader asks again; libldap then always reads (ldap_is_read_ready is true while a
    // layer holds input), so each time takes some of it. Bounded far above any message (a TLS record a
    // time: 16 GiB), only should a layer ever report input that libldap does not take.
    constexpr int max_reads_of_held_input = 1 << 20;
    int held = 0;
    while (is_open() && !paused_) {
        LDAPMessage* raw = nullptr;
        timeval zero{0, 0};
        const int rc = ldap_result(ld_.get(), LDAP_RES_ANY, LDAP_MSG_ONE, &zero, &raw);
        message_ptr message(raw);
        if (rc == 0) {
            if (++held <= max_reads_of_held_input && holds_input()) continue;
            return true;
        }
        held = 0;
        if (rc < 0) {
            int code = result_code(ld_.get());
            if (code == LDAP_SUCCESS || code == LDAP_TIMEOUT) code = LDAP_SERVER_DOWN;
            lost(error(
                error_kind::disconnected, code,
                "the connection to " + url_ + " was lost: " + describe(code, diagnostic_message(ld_.get()))));
            return false;
        }
        if (message) dispatch(std::move(message));
    }
    return is_open();
}

void connection::dispatch(message_ptr message) {
    const int msgid = ldap_msgid(message.get());
    if (msgid == 0) {
        // An unsolicited notification (RFC 4511 §4.4); the only one defined ends the connection.
        char* raw_oid = nullptr;
        ldap_parse_extended_result(ld_.get(), message.get(), &raw_oid, nullptr, 0);
        ldap_string oid(raw_oid);
        if (oid && std::strcmp(oid.get(), LDAP_NOTICE_OF_DISCONNECTION) == 0) {
            auto parsed = parse_result(ld_.get(), message.get());
            const int code = parsed ? parsed->code : LDAP_UNAVAILABLE;
            const std::string diagnostic = parsed ? parsed->diagnostic : std::string();
            lost(error(error_kind::disconnected, code,
                       url_ + " sent a Notice of Disconnection: " + describe(code, diagnostic)));
        }
        return;
    }
    auto it = pending_.find(msgid);
    if (it == pending_.end()) return;  // a request given up on: dropped
    pending_request& request = *it->second;
    request.messages_.push_back(std::move(message));
    request.wake_.cancel();
    if (request.queue_limit_ > 0 && request.messages_.size() >= request.queue_limit_) paused_ = true;
}

void connection::resume() {
    if (!paused_) return;
    paused_ = false;
    resume_.cancel();
}

result<void, error> connection::check_sent(int rc, std::string_view what) {
    if (!is_open()) return failure();
    if (rc == LDAP_SUCCESS) {
        // ldap_*_ext() reports success with the request still queued when the socket would not take it.
        if (result_code(ld_.get()) == LDAP_BUSY) {
            close(error(error_kind::disconnected, LDAP_BUSY,
                        std::string(what) + ": " + url_ + " is not reading requests (send buffer full)"));
            return failure();
        }
        return {};
    }
    const std::string text = std::string(what) + " failed: " + describe(rc, diagnostic_message(ld_.get()));
    if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR) {
        close(error(error_kind::disconnected, rc, text));
        return failure();
    }
    if (rc == LDAP_FILTER_ERROR || rc == LDAP_PARAM_ERROR) return error(error_kind::settings, rc, text);
    return error(error_kind::search, rc, text);
}

void connection::abandon(int msgid) noexcept {
    if (ld_ && is_open()) ldap_abandon_ext(ld_.get(), msgid, nullptr, nullptr);
}

void connection::lost(error reason) {
    common::log_warning("ldap: " + reason.message);
    close(std::move(reason));
}

void connection::close(error reason) {
    if (failure_) return;
    failure_ = std::move(reason);
    for (auto& [msgid, request] : pending_) {
        request->failure_ = *failure_;
        request->wake_.cancel();
    }
    if (socket_) {
        boost::system::error_code ignored;
        socket_->close(ignored);
    }
    paused_ = false;
    resume_.cancel();
    ld_.reset();  // unbinds; libldap closes its own descriptor
    if (on_closed_) {
        auto callback = std::move(on_closed_);
        on_closed_ = nullptr;
        callback();
    }
}

}  // namespace dirsync::ldap::detail
