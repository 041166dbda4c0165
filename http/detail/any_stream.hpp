#pragma once

// Internal to dirsync_http: includes Asio and Beast.

#include <array>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstddef>
#include <memory>
#include <utility>

namespace dirsync::http::detail {

/// A byte stream over TCP, plain or TLS, behind one type. The session's HTTP reads and writes are compiled
/// once against it instead of once per stream type (which costs about a minute of compile time per type);
/// only `read_some`, `write_some` and `shutdown` exist per stream type. An AsyncReadStream and
/// AsyncWriteStream. Not thread-safe: used on its connection's strand only, one read and one write
/// outstanding at most.
class any_stream {
  public:
    using executor_type = boost::asio::any_io_executor;
    using io_handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;
    using shutdown_handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;
    /// A gather list; unused entries are empty. Longer sequences are written partially (write_some).
    using const_buffers = std::array<boost::asio::const_buffer, 16>;

    /// One stream type's operations.
    class impl {
      public:
        virtual ~impl() = default;
        /// The TCP layer, for timeouts (`expires_after`) and closing.
        virtual boost::beast::tcp_stream& tcp() noexcept = 0;
        virtual void read_some(boost::asio::mutable_buffer buffer, io_handler handler) = 0;
        virtual void write_some(const const_buffers& buffers, io_handler handler) = 0;
        /// TLS: exchange close_notify. Plain TCP: completes at once with success.
        virtual void shutdown(shutdown_handler handler) = 0;
    };

    explicit any_stream(std::unique_ptr<impl> stream) : impl_(std::move(stream)) {}

    executor_type get_executor() noexcept { return impl_->tcp().get_executor(); }

    /// The TCP layer (timeouts, socket).
    boost::beast::tcp_stream& tcp() noexcept { return impl_->tcp(); }

    /// Reads into the first non-empty buffer of `buffers`.
    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
        boost::asio::mutable_buffer first;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
            first = *it;
            if (first.size() != 0) break;
        }
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [](auto handler, impl* s, boost::asio::mutable_buffer b) { s->read_some(b, std::move(handler)); },
            token, impl_.get(), first);
    }

    /// Writes from the first `const_buffers().size()` non-empty buffers of `buffers`.
    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
        const_buffers list{};
        std::size_t n = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers) && n < list.size(); ++it) {
            boost::asio::const_buffer b = *it;
            if (b.size() != 0) list[n++] = b;
        }
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [](auto handler, impl* s, const const_buffers& l) { s->write_some(l, std::move(handler)); },
            token, impl_.get(), list);
    }

    /// TLS close_notify exchange; a no-op for plain TCP.
    template <class Token>
    auto async_shutdown(Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code)>(
            [](auto handler, impl* s) { s->shutdown(std::move(handler)); }, token, impl_.get());
    }

  private:
    std::unique_ptr<impl> impl_;
};

/// `handler` (an any_stream handler) bound to `stream`'s executor, the connection's strand, for passing to
/// `stream`'s operations: Asio 1.26's any_completion_executor, the associated executor of an
/// any_completion_handler, does not support the `blocking.never` property that Beast's operations require.
template <class Stream, class Handler>
auto bind_strand(Stream& stream, Handler&& handler) {
    return boost::asio::bind_executor(stream.get_executor(), std::forward<Handler>(handler));
}

}  // namespace dirsync::http::detail
