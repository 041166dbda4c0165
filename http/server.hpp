#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "http/message.hpp"
#include "http/server_settings.hpp"

namespace dirsync::http {

/// The HTTP/1.1 (optionally TLS) server: accepts connections, enforces `server_limits`, turns each request
/// into an `http::request`, calls the handler and sends its `http::response`. Asio and Beast stay behind this
/// header, so users of it compile without them.
///
/// Life cycle: construct, `start()` (bind and listen), optionally register hooks, `run()` (blocks until
/// shutdown completes), destroy. One io_context is run by `settings.threads` threads; every connection is a
/// coroutine on its own strand. The handler runs on that I/O thread, or, with `settings.workers`, on a pool
/// of worker threads in the lane `settings.lane_of` names, while the I/O threads go on serving other
/// connections; either way it may be called concurrently for different connections.
///
/// Shutdown (`request_stop()`): the listening socket is closed, connections waiting for a request are closed,
/// requests already being received are answered (with `Connection: close`), and after
/// `limits.shutdown_grace` whatever is left is closed and every request's `stop` token is requested;
/// `stop_now()` does both at once. `run()` returns once every handler has returned: one that ignores its stop
/// token and never returns keeps it from returning. The server handles no signals: the
/// process that owns it decides what a signal means (daemon/signal_watcher.hpp).
class server {
  public:
    /// Keeps `settings` and `on_request`. Nothing is bound until `start()`.
    server(server_settings settings, handler on_request);

    /// Closes the listening socket and every connection. Must not be called while `run()` is executing.
    ~server();

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Loads the TLS certificate chain and key (when `settings.tls` is set), binds and listens. Throws
    /// std::system_error naming the address or file on failure (a start-up failure). Call once, before
    /// `run()`.
    void start();

    /// The bound port (the kernel's choice when the configured port is 0). Valid after `start()`.
    std::uint16_t local_port() const noexcept;

    /// Serves on `settings.threads` threads (the calling thread is one of them) and returns when shutdown has
    /// completed: all connections closed. Call once, after `start()`.
    void run();

    /// Whether the I/O loop runs a task posted to it within `within`: false when every I/O thread is stuck
    /// (a handler that blocks on the I/O thread, a deadlock). Blocks the caller up to `within`; for a
    /// watchdog, from a thread of its own. Call after `start()`.
    bool responsive(std::chrono::milliseconds within);

    /// Listening and not shutting down: new connections are accepted. Thread-safe.
    bool accepting() const noexcept;

    /// Loads `files` (a renewed certificate, or other files) into a new TLS context used for the connections
    /// accepted from now on; connections already open keep the one they were accepted with. Throws
    /// std::system_error naming the file when it cannot be loaded (or the key does not match), and the
    /// current context stays; std::logic_error when the server was not started with TLS. Thread-safe; after
    /// `start()`.
    void reload_tls(const tls_files& files);

    /// Begins the graceful shutdown described above. Thread-safe and idempotent; may be called from any
    /// thread (a handler included, but not a signal handler), before or during `run()`.
    void request_stop();

    /// Begins the shutdown if it has not begun and closes every connection at once, in-flight requests
    /// included (their clients see the connection close). Thread-safe, like request_stop().
    void stop_now();

    /// Called once with the bound port on the thread that calls `run()`, before any request is served and
    /// after the socket is listening (e.g. to send systemd READY=1). An exception from it propagates out of
    /// `run()` with nothing served. Set before `run()`.
    void on_ready(std::function<void(std::uint16_t port)> callback);

  private:
    class impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace dirsync::http
