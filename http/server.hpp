#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "config/settings.hpp"
#include "http/message.hpp"

namespace dirsync::http {

/// The HTTP/1.1 (optionally TLS) server: accepts connections, enforces `http_limits`, turns each request into
/// an `http::request`, calls the handler and sends its `http::response`. Asio and Beast stay behind this
/// header, so users of it compile without them.
///
/// Life cycle: construct, `start()` (bind and listen), optionally register hooks, `run()` (blocks until
/// shutdown completes), destroy. One io_context is run by `settings.threads` threads; every connection is a
/// coroutine on its own strand, so the handler may be called concurrently for different connections.
///
/// Shutdown (SIGINT, SIGTERM or `request_stop()`): the listening socket is closed, connections waiting for a
/// request are closed, requests already being received are answered (with `Connection: close`), and after
/// `limits.shutdown_grace` whatever is left is closed. A second signal during the drain closes everything at
/// once. A handler that never returns cannot be interrupted and keeps `run()` from returning.
class server {
  public:
    /// Copies `settings` and `on_request`. `access_log` enables one `common::log_info` line per request.
    /// Nothing is bound until `start()`.
    server(const config::server_settings& settings, handler on_request, bool access_log);

    /// Closes the listening socket and every connection. Must not be called while `run()` is executing.
    ~server();

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Loads the TLS certificate chain and key (when `settings.tls` is set), binds and listens, and installs
    /// the SIGINT/SIGTERM/SIGHUP handling. Throws std::system_error naming the address or file on failure
    /// (a start-up failure). Call once, before `run()`.
    void start();

    /// The bound port (the kernel's choice when the configured port is 0). Valid after `start()`.
    std::uint16_t local_port() const noexcept;

    /// Serves on `settings.threads` threads (the calling thread is one of them) and returns when shutdown has
    /// completed: all connections closed. Call once, after `start()`.
    void run();

    /// Begins the graceful shutdown described above. Thread-safe and idempotent; may be called from any
    /// thread (a handler included, but not a signal handler), before or during `run()`.
    void request_stop();

    /// Called on an I/O thread for every SIGHUP (a configuration reload). Without a callback SIGHUP is logged
    /// and ignored. Exceptions from the callback are logged. Set before `run()`.
    void on_reload(std::function<void()> callback);

    /// Called once with the bound port on the thread that calls `run()`, before any request is served and
    /// after the socket is listening (e.g. to send systemd READY=1). An exception from it propagates out of
    /// `run()` with nothing served. Set before `run()`.
    void on_ready(std::function<void(std::uint16_t port)> callback);

  private:
    class impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace dirsync::http
