#include "ldap/detail/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"
#include "ldap/detail/open.hpp"

namespace dirsync::ldap::detail {

namespace asio = boost::asio;
using boost::system::result;

/// One blocking connect on the pool. Shared by the pool job and the waiting coroutine; whichever lets go
/// last frees it (and the handle, if the coroutine gave up first).
struct connect_job {
    connect_job(const strand_type& strand, const connection_settings& s) : settings(s), wake(strand) {}

    connection_settings settings;
    result<ldap_ptr, error> outcome = error(error_kind::connect, LDAP_OTHER, "not run");
    bool done = false;        ///< strand only
    asio::steady_timer wake;  ///< the waiter sleeps on it until the connect timeout; cancelled when done
};

session::session(asio::any_io_executor executor, asio::thread_pool& blocking_pool,
                 connection_settings settings)
    : strand_(asio::make_strand(std::move(executor))), pool_(blocking_pool), settings_(std::move(settings)) {
    initialize_library();
}

session::~session() = default;

asio::awaitable<result<void, error>> session::connect() {
    auto self = shared_from_this();
    if (connecting_)
        co_return error(error_kind::settings, LDAP_OTHER,
                        "connect() to " + settings_.url + " is already in progress");
    disconnect(error(error_kind::disconnected, LDAP_SERVER_DOWN,
                     "the connection to " + settings_.url + " was replaced"));
    const auto generation = ++generation_;

    auto job = std::make_shared<connect_job>(strand_, settings_);
    connecting_ = job;
    // The strand executor tracks work while the job runs, so the io_context does not run out of work (and
    // return from run()) with a connect still to report.
    asio::post(pool_, [job, strand = asio::prefer(strand_, asio::execution::outstanding_work.tracked)] {
        job->outcome = open_connection(job->settings);
        asio::post(strand, [job] {
            job->done = true;
            job->wake.cancel();
        });
    });
    job->wake.expires_after(settings_.connect_timeout);
    for (;;) {
        auto [ec] = co_await job->wake.async_wait(asio::as_tuple(asio::use_awaitable));
        if (job->done || generation != generation_) break;
        if (!ec) break;  // the connect timeout expired
    }
    if (connecting_ == job) connecting_.reset();

    if (generation != generation_)
        co_return error(error_kind::disconnected, LDAP_SERVER_DOWN,
                        "connect() to " + settings_.url + " was abandoned by disconnect()");
    if (!job->done)
        co_return error(error_kind::timeout, LDAP_TIMEOUT,
                        "connecting to " + settings_.url + " did not complete within " +
                            std::to_string(settings_.connect_timeout.count()) + " ms");
    if (!job->outcome) {
        last_failure_ = job->outcome.error();
        co_return job->outcome.error();
    }

    std::weak_ptr<session> weak = self;
    auto conn =
        std::make_shared<connection>(strand_, std::move(*job->outcome), settings_.url, [weak, generation] {
            if (auto s = weak.lock(); s && s->generation_ == generation)
                s->connected_.store(false, std::memory_order_release);
        });
    if (auto started = conn->start(); !started) {
        last_failure_ = started.error();
        co_return started.error();
    }
    current_ = std::move(conn);
    last_failure_.reset();
    connected_.store(true, std::memory_order_release);
    common::log_debug("ldap: connected to " + settings_.url);
    co_return result<void, error>();
}

void session::disconnect(error reason) {
    ++generation_;
    if (connecting_) {
        connecting_->wake.cancel();
        connecting_.reset();
    }
    if (current_) {
        last_failure_ = reason;
        current_->close(std::move(reason));
        current_.reset();
    }
    connected_.store(false, std::memory_order_release);
}

result<std::shared_ptr<connection>, error> session::current() const {
    if (current_ && current_->is_open()) return current_;
    if (current_) return current_->failure();
    if (last_failure_)
        return error(error_kind::disconnected, LDAP_SERVER_DOWN,
                     "not connected to " + settings_.url + " (last: " + last_failure_->message + ")");
    return error(error_kind::disconnected, LDAP_SERVER_DOWN, "not connected to " + settings_.url);
}

}  // namespace dirsync::ldap::detail
