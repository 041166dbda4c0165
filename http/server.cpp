#include "http/server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "http/detail/connection_registry.hpp"
#include "http/detail/session.hpp"

namespace dirsync::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// Pause before accepting again when the process is out of file descriptors (or memory), so the accept loop
/// does not spin on a connection it cannot take.
constexpr std::chrono::milliseconds accept_backoff{100};

[[noreturn]] void throw_start_error(const error_code& ec, const std::string& what) {
    throw std::system_error(std::error_code(ec), what);
}

/// Logs an exception that escaped a coroutine (a bug: sessions handle their own errors).
void log_escaped(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        common::log_error(std::string("http: unexpected exception: ") + ex.what());
    } catch (...) {
        common::log_error("http: unexpected exception");
    }
}

std::shared_ptr<asio::ssl::context> make_tls_context(const tls_files& tls) {
    auto owned = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    auto& ctx = *owned;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    error_code ec;
    ctx.use_certificate_chain_file(tls.cert_file, ec);
    if (ec) throw_start_error(ec, "cannot load the TLS certificate chain from '" + tls.cert_file + "'");
    ctx.use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
    if (ec) throw_start_error(ec, "cannot load the TLS private key from '" + tls.key_file + "'");
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                                "the TLS private key '" + tls.key_file +
                                    "' does not match the certificate '" + tls.cert_file + "'");
    return owned;
}

asio::ip::address listen_address(const std::string& host) {
    if (host == "localhost") return asio::ip::address_v4::loopback();
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) throw_start_error(ec, "invalid listen address '" + host + "'");
    return address;
}

std::string format_address(const asio::ip::address& address, std::uint16_t port) {
    return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
           std::to_string(port);
}

/// The raw bytes of the 503 sent to connections beyond max_connections.
std::string overload_response(const error_formatter& errors) {
    const response res = errors(503, "too many connections; retry later");
    return "HTTP/1.1 503 Service Unavailable\r\nServer: dirsyncd\r\nContent-Type: " + res.content_type +
           "\r\nContent-Length: " + std::to_string(res.body.size()) + "\r\nConnection: close\r\n\r\n" +
           res.body;
}

}  // namespace

class server::impl {
  public:
    impl(server_settings settings, handler on_request)
        : settings_(with_error_formatter(std::move(settings))),
          handler_(std::move(on_request)),
          ioc_(static_cast<int>(std::max(1u, settings.threads))),
          control_(asio::make_strand(ioc_)),
          acceptor_(control_),
          grace_timer_(control_),
          overload_response_(overload_response(settings_.errors)) {
        registry_.on_drained([this] { asio::post(control_, [this] { finish(); }); });
    }

    ~impl() { registry_.on_drained(nullptr); }

    void start() {
        if (started_) throw std::logic_error("http::server::start() called twice");
        if (settings_.tls) tls_.store(make_tls_context(*settings_.tls));

        const auto address = listen_address(settings_.host);
        const std::string where = format_address(address, settings_.port);
        const tcp::endpoint endpoint(address, settings_.port);
        error_code ec;
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) throw_start_error(ec, "cannot listen on " + where);
        port_ = acceptor_.local_endpoint().port();
        if (settings_.workers.threads > 0)
            workers_.emplace(common::work_pool::settings{.threads = settings_.workers.threads,
                                                         .lane_share = settings_.workers.lane_share,
                                                         .name = "http-worker"});
        asio::co_spawn(control_, accept_loop(), log_escaped);
        started_ = true;
        common::log_debug("http: listening on " + format_address(address, port_) +
                          (settings_.tls ? " (TLS)" : ""));
    }

    std::uint16_t local_port() const noexcept { return port_; }

    bool responsive(std::chrono::milliseconds within) {
        auto answered = std::make_shared<std::promise<void>>();
        auto done = answered->get_future();
        asio::post(ioc_, [answered] { answered->set_value(); });
        return done.wait_for(within) == std::future_status::ready;
    }

    bool accepting() const noexcept { return started_ && !stopping_.load(std::memory_order_relaxed); }

    void reload_tls(const tls_files& files) {
        if (!tls_.load()) throw std::logic_error("http::server::reload_tls() on a server without TLS");
        tls_.store(make_tls_context(files));
        common::log_debug("http: TLS certificate reloaded from '" + files.cert_file + "'");
    }

    void run() {
        if (!started_) throw std::logic_error("http::server::run() called before start()");
        if (on_ready_) on_ready_(port_);
        const unsigned count = std::max(1u, settings_.threads);
        std::vector<std::jthread> threads;
        try {
            threads.reserve(count - 1);
            for (unsigned i = 1; i < count; ++i) threads.emplace_back([this] { run_thread(); });
        } catch (...) {
            ioc_.stop();  // so the threads already started return and can be joined
            throw;
        }
        run_thread();
    }

    void request_stop() {
        asio::post(control_, [this] { begin_stop("stop requested"); });
    }

    void stop_now() {
        asio::post(control_, [this] {
            begin_stop("immediate stop requested");
            if (finished_) return;
            common::log_warning("http: closing all " + std::to_string(registry_.size()) +
                                " connection(s) now");
            cancel_.request_stop();
            registry_.close_all();
        });
    }

    void on_ready(std::function<void(std::uint16_t)> callback) { on_ready_ = std::move(callback); }

  private:
    detail::session_context session_context() {
        return {settings_.limits,
                handler_,
                settings_.errors,
                registry_,
                workers_ ? &*workers_ : nullptr,
                settings_.lane_of,
                settings_.on_answered,
                cancel_.get_token()};
    }

    /// Runs the io_context until it is out of work; an exception escaping a handler is logged, not fatal.
    void run_thread() {
        for (;;) {
            try {
                ioc_.run();
                return;
            } catch (const std::exception& e) {
                common::log_error(std::string("http: unexpected exception on an I/O thread: ") + e.what());
            }
        }
    }

    /// On `control_`. Accepts until the acceptor closes; each connection gets a strand and a session.
    asio::awaitable<void> accept_loop() {
        asio::steady_timer backoff(control_);
        for (;;) {
            tcp::socket socket(asio::make_strand(ioc_));
            auto [ec] = co_await acceptor_.async_accept(socket, use_tuple);
            if (stop_begun_ || !acceptor_.is_open()) co_return;
            if (ec) {
                common::log_warning("http: accept failed: " + ec.message());
                if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                    ec == asio::error::no_memory) {
                    backoff.expires_after(accept_backoff);
                    co_await backoff.async_wait(use_tuple);
                }
                continue;
            }
            const auto made = registry_.make_room(settings_.limits.max_connections);
            if (made == detail::room::none) {
                reject(socket);
                continue;
            }
            if (made == detail::room::evicted && evicted_++ == 0)
                common::log_warning("http: connection limit of " +
                                    std::to_string(settings_.limits.max_connections) +
                                    " reached; closing the oldest connections that have not completed a "
                                    "request (or else idle ones) to admit new ones");
            auto conn = registry_.add(socket.get_executor());
            if (!conn) co_return;
            if (made == detail::room::available && (rejected_ != 0 || evicted_ != 0)) {
                common::log_info("http: below the connection limit again; " + std::to_string(evicted_) +
                                 " connection(s) closed to make room and " + std::to_string(rejected_) +
                                 " refused while at the limit");
                rejected_ = 0;
                evicted_ = 0;
            }
            auto executor = socket.get_executor();
            if (auto tls = tls_.load())
                asio::co_spawn(
                    executor,
                    detail::serve_tls(std::move(socket), std::move(tls), std::move(conn), session_context()),
                    log_escaped);
            else
                asio::co_spawn(executor,
                               detail::serve_plain(std::move(socket), std::move(conn), session_context()),
                               log_escaped);
        }
    }

    /// On `control_`. Refuses a connection beyond max_connections when every connection is in the middle of
    /// a request: a 503 for plain HTTP (a TLS handshake is not worth it under overload), then close. Logs
    /// once per burst.
    void reject(tcp::socket& socket) {
        if (rejected_++ == 0)
            common::log_warning("http: connection limit of " +
                                std::to_string(settings_.limits.max_connections) +
                                " reached with every connection busy; refusing new connections");
        error_code ec;
        if (!settings_.tls) {
            socket.non_blocking(true, ec);
            socket.write_some(asio::buffer(overload_response_), ec);
            socket.shutdown(tcp::socket::shutdown_send, ec);
            // Read what the client already sent, so closing sends FIN rather than a reset that could destroy
            // the 503 on its way.
            char discard[4096];
            for (int i = 0; i < 16 && socket.available(ec) > 0 && !ec; ++i)
                socket.read_some(asio::buffer(discard), ec);
        }
        socket.close(ec);
    }

    /// On `control_`. Stops accepting, closes idle connections and arms the grace timer.
    void begin_stop(const std::string& reason) {
        if (stop_begun_) return;
        stop_begun_ = true;
        stopping_.store(true, std::memory_order_relaxed);
        error_code ignored;
        acceptor_.close(ignored);
        const std::size_t open = registry_.size();
        common::log_info("http: " + reason + "; shutting down, " + std::to_string(open) +
                         " connection(s) open");
        if (registry_.begin_stop()) {
            finish();
            return;
        }
        asio::co_spawn(control_, drain(), log_escaped);
    }

    /// On `control_`. Closes what is left when the grace period ends.
    asio::awaitable<void> drain() {
        if (finished_) co_return;  // the last connection went before this coroutine started
        grace_timer_.expires_after(settings_.limits.shutdown_grace);
        auto [ec] = co_await grace_timer_.async_wait(use_tuple);
        if (ec || finished_) co_return;
        common::log_warning("http: shutdown grace period of " +
                            std::to_string(settings_.limits.shutdown_grace.count()) + " ms over; closing " +
                            std::to_string(registry_.size()) +
                            " connection(s) and cancelling their requests");
        cancel_.request_stop();
        registry_.close_all();
    }

    /// On `control_`. All connections are gone: cancel what keeps the io_context busy so run() returns.
    void finish() {
        if (finished_) return;
        finished_ = true;
        grace_timer_.cancel();
        common::log_info("http: shutdown complete");
    }

    static server_settings with_error_formatter(server_settings s) {
        if (!s.errors) s.errors = plain_error;
        return s;
    }

    const server_settings settings_;
    const handler handler_;
    std::function<void(std::uint16_t)> on_ready_;

    // Declared before the io_context so they outlive the coroutine frames it destroys.
    detail::connection_registry registry_;
    /// The context new TLS connections are accepted with (null without TLS); each connection holds its own.
    std::atomic<std::shared_ptr<asio::ssl::context>> tls_;

    asio::io_context ioc_;
    asio::strand<asio::io_context::executor_type> control_;  ///< acceptor and shutdown state
    tcp::acceptor acceptor_;
    asio::steady_timer grace_timer_;
    const std::string overload_response_;
    std::uint16_t port_ = 0;
    bool started_ = false;
    /// Handlers' pool when settings_.workers asks for one. Declared after the io_context: it is empty by the
    /// time run() returns (every task holds work on the io_context until its result is delivered), and its
    /// threads are joined before the io_context goes.
    std::optional<common::work_pool> workers_;
    std::stop_source cancel_;  ///< requested when the server stops waiting for handlers

    std::atomic<bool> stopping_{false};  ///< stop_begun_, for other threads

    // Only on control_.
    bool stop_begun_ = false;
    bool finished_ = false;
    std::size_t rejected_ = 0;  ///< connections refused in the current burst
    std::size_t evicted_ = 0;   ///< connections closed to make room in the current burst
};

server::server(server_settings settings, handler on_request)
    : impl_(std::make_unique<impl>(std::move(settings), std::move(on_request))) {}

server::~server() = default;

void server::start() { impl_->start(); }

std::uint16_t server::local_port() const noexcept { return impl_->local_port(); }

void server::run() { impl_->run(); }

void server::request_stop() { impl_->request_stop(); }

bool server::responsive(std::chrono::milliseconds within) { return impl_->responsive(within); }

bool server::accepting() const noexcept { return impl_->accepting(); }

void server::stop_now() { impl_->stop_now(); }

void server::reload_tls(const tls_files& files) { impl_->reload_tls(files); }

void server::on_ready(std::function<void(std::uint16_t port)> callback) {
    impl_->on_ready(std::move(callback));
}

}  // namespace dirsync::http
