#pragma once

// Internal to dirsync_ldap: one connected LDAP handle on its strand, with its single reader.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ldap/detail/handles.hpp"
#include "ldap/error.hpp"

namespace dirsync::ldap::detail {

using strand_type = boost::asio::strand<boost::asio::any_io_executor>;

class connection;

/// The responses to one outstanding request (by message id), handed over by the connection's reader.
/// Registered for its lifetime; destroyed before the final response arrived, it abandons the request.
/// Strand only.
class pending_request {
  public:
    /// Registers `msgid` with `conn`, whose request has just been sent.
    pending_request(connection& conn, int msgid);
    ~pending_request();
    pending_request(const pending_request&) = delete;
    pending_request& operator=(const pending_request&) = delete;

    int msgid() const noexcept { return msgid_; }

    /// The next response message. Errors: the connection failed or was closed (kind disconnected; queued
    /// messages are dropped then); `deadline` passed (kind timeout, code LDAP_TIMEOUT; the request is
    /// abandoned, its message says "<what> timed out after <timeout> ms").
    boost::asio::awaitable<boost::system::result<message_ptr, error>> next(
        std::chrono::steady_clock::time_point deadline, std::string_view what,
        std::chrono::milliseconds timeout);

    /// The final response has been taken: nothing to abandon.
    void finished() noexcept { finished_ = true; }

    /// Flow control: once `limit` messages wait in this request's queue, the connection's reader stops
    /// reading (for every request) until some are taken. 0 (the default): no limit.
    void set_queue_limit(std::size_t limit) noexcept { queue_limit_ = limit; }

  private:
    friend class connection;
    connection& conn_;
    int msgid_;
    bool finished_ = false;
    std::size_t queue_limit_ = 0;
    std::deque<message_ptr> messages_;
    std::optional<error> failure_;
    boost::asio::steady_timer wake_;  ///< waited on until the deadline; cancelled to wake up
};

/// A bound LDAP handle and the reader that owns its input: one coroutine waits for the socket to be
/// readable (on a dup() of LDAP_OPT_DESC, so Asio never owns libldap's socket), then drains ldap_result()
/// with a zero timeout until it returns 0, handing each message to the pending_request of its message
/// id. Everything here runs on the strand. Shared by the session and by the operations running on it.
class connection : public std::enable_shared_from_this<connection> {
  public:
    /// Takes a handle fresh from open_connection(). `on_closed` is called (on the strand) once, when the
    /// connection fails or is closed.
    connection(const strand_type& strand, ldap_ptr ld, std::string url, std::function<void()> on_closed);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    /// Wraps the socket and starts the reader. Error (kind disconnected) when the descriptor cannot be had.
    boost::system::result<void, error> start();

    bool is_open() const noexcept { return !failure_; }
    /// Why the connection is not open. Precondition: !is_open().
    const error& failure() const noexcept { return *failure_; }
    /// The handle, for sending requests and parsing messages. Precondition: is_open().
    LDAP* native() const noexcept { return ld_.get(); }
    const std::string& url() const noexcept { return url_; }
    const strand_type& strand() const noexcept { return strand_; }

    /// Checks the outcome of an ldap_*_ext() call that sends a request (`rc` is its return value); `what`
    /// names the operation. A lost connection fails the connection; a request libldap could not write at
    /// once (the server has stopped reading) too, as the reader only waits for input.
    boost::system::result<void, error> check_sent(int rc, std::string_view what);

    /// Closes the connection: every pending request fails with `reason`, the reader stops, the handle is
    /// unbound. Idempotent.
    void close(error reason);

  private:
    friend class pending_request;

    boost::asio::awaitable<void> read_loop(std::shared_ptr<connection> self);
    /// Takes every message libldap has or can read without blocking; false once the connection failed.
    bool drain();
    /// A layer under libldap (TLS, the read-ahead buffer of detail/open.cpp) holds input it has not read.
    bool holds_input() const;
    void dispatch(message_ptr message);
    /// The reader found the connection gone: logs a warning (nobody may be waiting to hear it) and closes.
    void lost(error reason);
    void abandon(int msgid) noexcept;
    /// A request's queue went below its limit or away: lets a paused reader go on.
    void resume();

    strand_type strand_;
    ldap_ptr ld_;
    std::string url_;
    std::function<void()> on_closed_;
    std::optional<boost::asio::posix::stream_descriptor> socket_;
    std::unordered_map<int, pending_request*> pending_;
    std::optional<error> failure_;
    bool paused_ = false;               ///< a request's queue is full: the reader waits on `resume_`
    boost::asio::steady_timer resume_;  ///< cancelled by resume() and close()
};

}  // namespace dirsync::ldap::detail
