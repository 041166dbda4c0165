#pragma once

// Internal to dirsync_http: includes Asio.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace dirsync::http::detail {

/// One live connection as the server sees it, so that shutdown and the connection limit can reach it.
struct connection {
    connection(boost::asio::any_io_executor executor, std::uint64_t order)
        : strand(std::move(executor)), serial(order) {}

    /// The connection's strand; `socket` is read and written only on it.
    const boost::asio::any_io_executor strand;
    /// Order of registration: a smaller serial is an older connection.
    const std::uint64_t serial;
    /// The session's socket while the session runs, null before and after.
    boost::asio::ip::tcp::socket* socket = nullptr;
    /// True while nothing of the next request has arrived (TLS handshake, keep-alive wait, closing). Written
    /// on the strand; read by the registry when it picks a connection to close.
    std::atomic<bool> idle{true};
    /// True once a complete request has been read on the connection. Written on the strand, read as `idle`.
    std::atomic<bool> served{false};
    /// True from a request's last byte read until its response is written. Written on the strand, read as
    /// `idle`.
    std::atomic<bool> answering{false};
    /// Closed to make room for a newer connection and not yet removed; guarded by the registry's mutex.
    bool evicted = false;
};

/// What connection_registry::make_room did.
enum class room {
    available,  ///< below the limit
    evicted,    ///< at the limit: a connection was closed to make room
    none,       ///< at the limit and every connection is in the middle of a request
};

/// The set of live connections: counts them for `max_connections` and closes them on shutdown.
/// Thread-safe.
class connection_registry {
  public:
    /// Registers a connection on `strand`; nullptr once `begin_stop()` was called.
    std::shared_ptr<connection> add(boost::asio::any_io_executor strand);

    /// Unregisters `c`. After `begin_stop()`, the removal of the last connection calls the drained callback.
    void remove(const std::shared_ptr<connection>& c);

    /// Number of registered connections, not counting those evicted and not yet gone.
    std::size_t size() const;

    /// Makes room for one more connection under `max` (0: no limit). At the limit it closes, on its strand,
    /// the oldest connection that has not completed a request yet (so that a flood of silent or slow
    /// connections cannot lock out clients that send requests), else the oldest one that has been answered
    /// before and is now sending another request without completing it (a slow client, or a flood that
    /// sent one cheap request first), else the oldest one idle between requests (its client reconnects). A
    /// connection whose request is complete and not yet answered is never closed for this.
    room make_room(std::size_t max);

    /// True once `begin_stop()` was called; sessions then finish the request at hand and close.
    bool stopping() const noexcept { return stopping_.load(); }

    /// Starts shutdown: no further `add`, closes idle connections. Returns true if none is left (the drained
    /// callback is not called in that case).
    bool begin_stop();

    /// Closes every connection, idle or not (grace period over).
    void close_all();

    /// Sets (or with an empty function, clears) the callback run, on the thread of the last `remove`, when
    /// the last connection goes after `begin_stop()`.
    void on_drained(std::function<void()> callback);

  private:
    /// Posts to each connection's strand a close of its socket (only if idle, when `only_idle`).
    void close(bool only_idle);

    /// On the victim's strand: closes it unless it was answered and has begun another request meanwhile.
    void evict(const std::shared_ptr<connection>& c);

    mutable std::mutex mutex_;
    std::unordered_set<std::shared_ptr<connection>> connections_;
    std::size_t evicted_ = 0;  ///< connections with `evicted` set
    std::uint64_t next_serial_ = 0;
    std::function<void()> on_drained_;
    std::atomic<bool> stopping_{false};
};

/// Keeps a connection registered, pointing at its session's socket, for the life of a session; the session
/// creates it on the connection's strand once the socket has its final home.
class registration {
  public:
    registration(std::shared_ptr<connection> conn, connection_registry& registry,
                 boost::asio::ip::tcp::socket& socket)
        : conn_(std::move(conn)), registry_(registry) {
        conn_->socket = &socket;
    }
    ~registration() {
        conn_->socket = nullptr;
        registry_.remove(conn_);
    }
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;

  private:
    std::shared_ptr<connection> conn_;
    connection_registry& registry_;
};

}  // namespace dirsync::http::detail
