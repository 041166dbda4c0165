// TLS connections: the handshake and the TLS stream behind any_stream. Kept apart from session.cpp so the
// two heaviest translation units of the module compile in parallel.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>
#include <utility>

#include "common/log.hpp"
#include "http/detail/any_stream.hpp"
#include "http/detail/session.hpp"

namespace dirsync::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

/// TLS over TCP behind any_stream.
class tls_stream final : public any_stream::impl {
  public:
    tls_stream(tcp::socket socket, asio::ssl::context& context)
        : stream_(beast::tcp_stream(std::move(socket)), context) {}

    beast::ssl_stream<beast::tcp_stream>& ssl() noexcept { return stream_; }

    beast::tcp_stream& tcp() noexcept override { return beast::get_lowest_layer(stream_); }
    void read_some(asio::mutable_buffer buffer, any_stream::io_handler handler) override {
        stream_.async_read_some(buffer, bind_strand(stream_, std::move(handler)));
    }
    void write_some(const any_stream::const_buffers& buffers, any_stream::io_handler handler) override {
        stream_.async_write_some(
            buffers, bind_strand(stream_, std::move(handler)));  // beast::ssl_stream coalesces small buffers
    }
    void shutdown(any_stream::shutdown_handler handler) override {
        stream_.async_shutdown(bind_strand(stream_, std::move(handler)));
    }

  private:
    beast::ssl_stream<beast::tcp_stream> stream_;
};

}  // namespace

asio::awaitable<void> serve_tls(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls,
                                std::shared_ptr<connection> conn, session_context ctx) {
    std::string remote = prepare_socket(socket);
    auto owned = std::make_unique<tls_stream>(std::move(socket), *tls);
    auto& ssl = owned->ssl();
    any_stream stream(std::move(owned));
    registration reg(conn, ctx.registry, stream.tcp().socket());

    stream.tcp().expires_after(ctx.limits.header_timeout);
    auto [ec] =
        co_await ssl.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (ec) {
        common::log_debug("http: TLS handshake with " + remote + " failed: " + ec.message());
        co_return;
    }
    co_await serve_stream(stream, *conn, ctx, std::move(remote), true);
}

}  // namespace dirsync::http::detail
