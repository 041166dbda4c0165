#pragma once

// Internal to dirsync_ldap: the state behind an ldap::client, on its strand.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <memory>

#include "ldap/connection_settings.hpp"
#include "ldap/detail/connection.hpp"
#include "ldap/error.hpp"

namespace dirsync::ldap::detail {

struct connect_job;

/// One client's settings and current connection. Everything but the constructor, `strand()`,
/// `settings()` and `connected()` runs on the strand.
class session : public std::enable_shared_from_this<session> {
  public:
    session(boost::asio::any_io_executor executor, boost::asio::thread_pool& blocking_pool,
            connection_settings settings);
    ~session();

    const strand_type& strand() const noexcept { return strand_; }
    const connection_settings& settings() const noexcept { return settings_; }
    /// Last known state, readable from any thread.
    bool connected() const noexcept { return connected_.load(std::memory_order_acquire); }

    /// Drops the current connection, then opens a new one on the blocking pool and starts its reader.
    /// Error (kind settings) when a connect is already in progress.
    boost::asio::awaitable<boost::system::result<void, error>> connect();
    /// Closes the current connection (its pending operations fail with `reason`) and abandons a connect in
    /// progress.
    void disconnect(error reason);
    /// The open connection, or the reason there is none (kind disconnected).
    boost::system::result<std::shared_ptr<connection>, error> current() const;

  private:
    strand_type strand_;
    boost::asio::thread_pool& pool_;
    connection_settings settings_;
    std::shared_ptr<connection> current_;
    std::shared_ptr<connect_job> connecting_;
    std::uint64_t generation_ = 0;
    std::optional<error> last_failure_;
    std::atomic<bool> connected_{false};
};

}  // namespace dirsync::ldap::detail
