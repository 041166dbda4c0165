#include "http/detail/session.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "common/ascii.hpp"
#include "common/log.hpp"
#include "common/unavailable.hpp"
#include "http/detail/access_log.hpp"
#include "http/detail/any_stream.hpp"

namespace dirsync::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using beast::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// Bytes asked of one read while waiting for a request; a TLS record holds at most 16 KiB.
constexpr std::size_t read_chunk_bytes = 16 * 1024;

std::string format_endpoint(const tcp::endpoint& endpoint) {
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    std::string out = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return out + ":" + std::to_string(endpoint.port());
}

/// RFC 9110 token characters, for header names.
bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        const bool ok = common::is_alnum_ascii(c) ||
                        std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

/// A header value must not smuggle a line break (response splitting) or other control characters.
bool is_field_value(std::string_view s) noexcept {
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7F;
    });
}

/// Headers the transport owns; a handler's values for them are ignored.
bool is_transport_header(std::string_view name) noexcept {
    return common::iequals_ascii(name, "Content-Length") ||
           common::iequals_ascii(name, "Transfer-Encoding") || common::iequals_ascii(name, "Connection") ||
           common::iequals_ascii(name, "Keep-Alive") || common::iequals_ascii(name, "Server") ||
           common::iequals_ascii(name, "Content-Type");
}

/// True if the handler asked to close the connection with `Connection: close`.
bool asks_to_close(const response& res) {
    return std::any_of(res.headers.begin(), res.headers.end(), [](const header_field& h) {
        return common::iequals_ascii(h.name, "Connection") && common::iequals_ascii(h.value, "close");
    });
}

/// Longest part of an exception's text written to the error log: it may quote client input.
constexpr std::size_t max_logged_error_bytes = 512;

/// Why a request whose header block was read whole is refused before the handler sees it, or nullopt.
/// RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host; a second Authorization would leave it open
/// which credential applies.
std::optional<std::string> refuse_header_block(const bhttp::request_parser<bhttp::string_body>& parser) {
    const auto& req = parser.get();
    auto count = [&](bhttp::field name) {
        auto [first, last] = req.equal_range(name);
        return std::distance(first, last);
    };
    const auto hosts = count(bhttp::field::host);
    if (req.version() >= 11 && hosts == 0) return "an HTTP/1.1 request must carry a Host header";
    if (hosts > 1) return "the request carries more than one Host header";
    if (count(bhttp::field::authorization) > 1)
        return "the request carries more than one Authorization header";
    return std::nullopt;
}

/// How a failed read ends the connection.
enum class read_failure { close, bad_request, header_too_large, body_too_large };

read_failure classify(const error_code& ec) {
    if (ec == bhttp::error::header_limit) return read_failure::header_too_large;
    if (ec == bhttp::error::body_limit) return read_failure::body_too_large;
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == bhttp::error::short_read)
        return read_failure::close;  // the peer went away
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
        return read_failure::bad_request;
    return read_failure::close;  // timeout, reset, TLS failure, shutdown
}

/// The Beast message for `res`. Throws std::invalid_argument for a response the handler must not produce
/// (status outside 200..599, a header name or value that is not valid on the wire).
bhttp::response<bhttp::string_body> to_beast(response&& res, unsigned version, bool head) {
    if (res.status < 200 || res.status > 599)
        throw std::invalid_argument("handler returned status " + std::to_string(res.status));
    bhttp::response<bhttp::string_body> out;
    out.result(res.status);
    out.version(version);
    out.set(bhttp::field::server, "dirsyncd");
    if (!res.content_type.empty()) {
        if (!is_field_value(res.content_type))
            throw std::invalid_argument("handler returned a bad Content-Type");
        out.set(bhttp::field::content_type, res.content_type);
    }
    for (const auto& h : res.headers) {
        if (is_transport_header(h.name)) continue;
        if (!is_token(h.name) || !is_field_value(h.value))
            throw std::invalid_argument("handler returned a malformed header field");
        out.insert(h.name, h.value);
    }
    const bool bodiless = res.status == 204 || res.status == 304;
    if (bodiless) return out;
    if (head) {
        out.content_length(res.body.size());  // the length a GET would have had; no body is sent
        return out;
    }
    out.body() = std::move(res.body);
    out.prepare_payload();
    return out;
}

/// Runs `handle(req)` on `pool` in `lane` and resumes the awaiting coroutine on its own executor (the
/// connection's strand) with the response, or with the handler's exception. The work guard keeps the
/// io_context running until the result is delivered.
template <class Token>
auto async_handle_on(common::work_pool& pool, std::string lane, const handler& handle, request& req,
                     Token&& token) {
    return asio::async_initiate<Token, void(std::exception_ptr, response)>(
        [&pool, &handle, &req](auto completion, std::string lane) {
            auto work = asio::make_work_guard(asio::get_associated_executor(completion));
            auto state = std::make_shared<std::pair<decltype(completion), decltype(work)>>(
                std::move(completion), std::move(work));
            pool.submit(lane, [state, &handle, &req] {
                std::exception_ptr failure;
                response res;
                try {
                    res = handle(req);
                } catch (...) {
                    failure = std::current_exception();
                }
                auto executor = state->second.get_executor();
                asio::post(executor, [state, failure, res = std::move(res)]() mutable {
                    std::move(state->first)(failure, std::move(res));
                    state->second.reset();
                });
            });
        },
        token, std::move(lane));
}

/// Responses from this size on are followed by release_free_memory(): building them (a list page of large
/// records) grew the heap by several times their size, and without a trim glibc keeps those pages.
constexpr std::size_t large_response_bytes = 1024 * 1024;

/// Returns the heap's free pages to the system (glibc's malloc_trim; nothing elsewhere). Costs a walk over
/// the free lists, so only after large responses.
void release_free_memory() {
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
}

/// Serves requests on an established stream (TCP, or TLS after the handshake). Every member is used only on
/// the connection's strand.
class session {
  public:
    session(any_stream& stream, connection& conn, const session_context& ctx, std::string remote, bool tls)
        : stream_(stream), conn_(conn), ctx_(ctx), remote_(std::move(remote)), tls_(tls) {}

    /// Reads requests and answers them until the connection ends; closes it gracefully where it can.
    asio::awaitable<void> serve() {
        const auto& limits = ctx_.limits;
        // The first request must be complete (headers) within header_timeout of the connection being ready.
        auto header_deadline = clock::now() + limits.header_timeout;
        bool first = true;
        for (;;) {
            conn_.answering = false;  // the previous response, if any, is written
            if (buffer_.size() == 0) {
                // Nothing of the next request yet: the connection is idle and may be closed by shutdown.
                if (ctx_.registry.stopping()) co_return;
                tcp().expires_at(first ? header_deadline : clock::now() + limits.idle_timeout);
                conn_.idle = true;
                auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(read_chunk_bytes), use_tuple);
                conn_.idle = false;
                if (ec) {
                    if (ec == beast::error::timeout) common::log_debug("http: " + remote_ + " idle timeout");
                    co_return;
                }
                buffer_.commit(n);
            }
            const auto started = clock::now();
            if (!first) header_deadline = started + limits.header_timeout;
            first = false;

            parser_.emplace();
            parser_->header_limit(static_cast<std::uint32_t>(
                std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
            parser_->body_limit(limits.max_body_bytes);

            tcp().expires_at(header_deadline);
            if (auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, *parser_, use_tuple); ec) {
                co_await fail(ec, started);
                co_return;
            }
            const auto& header = parser_->get();
            if (static_cast<std::size_t>(std::distance(header.begin(), header.end())) >
                limits.max_header_count) {
                co_await refuse(
                    ctx_.errors(431, "the request has more than " + std::to_string(limits.max_header_count) +
                                         " header fields"),
                    started);
                co_return;
            }
            if (auto why = refuse_header_block(*parser_)) {
                co_await refuse(ctx_.errors(400, *why), started);
                co_return;
            }
            if (!parser_->is_done()) {
                if (expects_continue()) {
                    tcp().expires_after(limits.write_timeout);
                    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_,
                                                             parser_->get().version()};
                    if (auto [ec, n] = co_await bhttp::async_write(stream_, go_on, use_tuple); ec) co_return;
                }
                tcp().expires_after(limits.body_timeout);
                if (auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, *parser_, use_tuple); ec) {
                    co_await fail(ec, started);
                    co_return;
                }
            }
            // A complete request: from now until its response is written the connection is never closed to
            // make room, and it is no longer among the first closed at the limit.
            conn_.served = true;
            conn_.answering = true;
            if (!co_await respond(started)) co_return;
        }
    }

  private:
    beast::tcp_stream& tcp() { return stream_.tcp(); }

    bool expects_continue() const {
        const auto& req = parser_->get();
        return req.version() >= 11 && common::iequals_ascii(req[bhttp::field::expect], "100-continue");
    }

    /// Calls the handler with the parsed request and writes its answer. Returns whether to read another
    /// request; when not, the connection has been closed.
    asio::awaitable<bool> respond(clock::time_point started) {
        auto& in = parser_->get();
        request req;
        req.method = in.method_string();
        req.target = in.target();
        req.headers.reserve(static_cast<std::size_t>(std::distance(in.begin(), in.end())));
        for (const auto& field : in)
            req.headers.push_back({std::string(field.name_string()), std::string(field.value())});
        req.body = std::move(in.body());
        req.remote = remote_;
        req.stop = ctx_.stop;
        req.id = choose_request_id(req.header("X-Request-Id"));
        const bool head = in.method() == bhttp::verb::head;

        std::string tenant;
        std::string_view route;
        bool close_requested = false;
        bhttp::response<bhttp::string_body> out;
        auto log_failure = [&](common::log_level level, std::string_view what) {
            common::log(level,
                        "http: request handler failed for " + std::string(in.method_string()) + " " +
                            escape_for_log(redact_target(in.target()), max_logged_target_bytes) + " from " +
                            remote_ + ": " + escape_for_log(what, max_logged_error_bytes),
                        {{"request_id", req.id}});
        };
        auto failed = [&](std::string_view what) {
            log_failure(common::log_level::error, what);
            tenant.clear();
            close_requested = false;
            out = to_beast(ctx_.errors(500, "internal server error"), in.version(), head);
        };
        try {
            response res = co_await handle(req);
            tenant = std::move(res.tenant);
            route = res.route;
            close_requested = asks_to_close(res);
            out = to_beast(std::move(res), in.version(), head);
        } catch (const common::temporarily_unavailable& e) {
            log_failure(common::log_level::warning, e.what());
            tenant.clear();
            close_requested = false;
            auto res = ctx_.errors(503, e.public_message());
            res.headers.push_back({"Retry-After", std::to_string(e.retry_after().count())});
            out = to_beast(std::move(res), in.version(), head);
        } catch (const std::exception& e) {
            failed(e.what());
        } catch (...) {
            failed("unknown exception");
        }
        // Decided after the handler ran, so a shutdown that began meanwhile closes this connection.
        const bool keep_alive = in.keep_alive() && !close_requested && !ctx_.registry.stopping();
        out.keep_alive(keep_alive);
        const bool written =
            co_await write(out, {in.method_string(), in.target(), tenant, route, req.id}, started);
        if (out.body().size() >= large_response_bytes) {
            out = {};  // the body and what built it are freed; give the pages back to the system
            release_free_memory();
        }
        if (written && keep_alive) co_return true;
        if (written) co_await close_gracefully(false);
        co_return false;
    }

    /// The handler's response to `req`: computed here, or on the worker pool in the lane `lane_of` names.
    asio::awaitable<response> handle(request& req) {
        if (ctx_.workers == nullptr) co_return ctx_.on_request(req);
        std::optional<std::string> lane = ctx_.lane_of ? ctx_.lane_of(req) : std::optional<std::string>("");
        if (!lane) co_return ctx_.on_request(req);
        co_return co_await async_handle_on(*ctx_.workers, std::move(*lane), ctx_.on_request, req,
                                           asio::use_awaitable);
    }

    /// Answers `res` to a request whose header block was read but is refused, and closes the connection (its
    /// body, if any, is left unread).
    asio::awaitable<void> refuse(response res, clock::time_point started) {
        const auto& in = parser_->get();
        auto out = to_beast(std::move(res), 11, false);
        out.keep_alive(false);
        const std::string_view offered = in["X-Request-Id"];
        const auto id = choose_request_id(offered.empty() ? std::nullopt : std::optional(offered));
        if (co_await write(out, {in.method_string(), in.target(), {}, {}, id}, started))
            co_await close_gracefully(true);
    }

    /// Answers a request that could not be read (if it deserves an answer) and closes the connection.
    asio::awaitable<void> fail(const error_code& ec, clock::time_point started) {
        const auto& limits = ctx_.limits;
        response res;
        switch (classify(ec)) {
            case read_failure::close:
                if (ec == beast::error::timeout) common::log_debug("http: " + remote_ + " request timed out");
                co_return;
            case read_failure::header_too_large:
                res = ctx_.errors(431, "request header fields exceed " +
                                           std::to_string(limits.max_header_bytes) + " bytes");
                break;
            case read_failure::body_too_large:
                res = ctx_.errors(413,
                                  "request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
                break;
            case read_failure::bad_request:
                res = ctx_.errors(400, "malformed HTTP request");
                break;
        }
        co_await refuse(std::move(res), started);
    }

    /// What the access log and the metrics say of a request besides its response.
    struct answered {
        std::string_view method;
        std::string_view target;
        std::string_view tenant;
        std::string_view route;
        std::string_view request_id;
    };

    /// Sends `out` (with the request id in X-Request-Id) within write_timeout, writes the access log line
    /// and tells the observer. Returns false if the write failed.
    asio::awaitable<bool> write(bhttp::response<bhttp::string_body>& out, const answered& what,
                                clock::time_point started) {
        out.set("X-Request-Id", what.request_id);
        // Observed before the bytes go out: a client holding its answer finds it counted (a response
        // computed on the I/O thread would otherwise race the client's next request on another thread).
        if (ctx_.on_answered)
            ctx_.on_answered({what.method, what.route, out.result_int(), clock::now() - started});
        tcp().expires_after(ctx_.limits.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream_, out, use_tuple);
        const auto latency = clock::now() - started;
        if (common::access_log_enabled()) {
            log_access_entry({.remote = remote_,
                              .method = what.method,
                              .target = what.target,
                              .status = out.result_int(),
                              .bytes = ec ? 0 : out.body().size(),
                              .latency = latency,
                              .tenant = what.tenant,
                              .request_id = what.request_id});
        }
        if (ec) {
            common::log_debug("http: writing the response to " + remote_ + " failed: " + ec.message());
            co_return false;
        }
        co_return true;
    }

    /// Ends the connection without losing the response just sent. With TLS, close_notify is exchanged first.
    /// When the peer may still be sending (`unread_input`: a rejected body, or pipelined requests in the
    /// buffer), the write side is shut and input discarded until the peer closes, for at most header_timeout,
    /// so the kernel does not answer unread data with a reset that could destroy the response in flight.
    /// During shutdown none of that waiting is done.
    asio::awaitable<void> close_gracefully(bool unread_input) {
        conn_.idle = true;  // nothing more to answer; a shutdown that begins now closes at once
        if (ctx_.registry.stopping()) {
            tcp().close();
            co_return;
        }
        tcp().expires_after(ctx_.limits.header_timeout);
        if (tls_) {
            if (auto [ec] = co_await stream_.async_shutdown(use_tuple); !ec || ec == beast::error::timeout) {
                tcp().close();
                co_return;
            }
        }
        error_code ec;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
        if (!ec && (unread_input || buffer_.size() != 0)) {
            char discard[4096];
            for (;;) {
                auto [read_ec, n] = co_await tcp().async_read_some(asio::buffer(discard), use_tuple);
                if (read_ec) break;
            }
        }
        tcp().close();
    }

    any_stream& stream_;
    connection& conn_;
    const session_context& ctx_;
    const std::string remote_;
    const bool tls_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
};

/// Plain TCP behind any_stream.
class plain_stream final : public any_stream::impl {
  public:
    explicit plain_stream(tcp::socket socket) : stream_(std::move(socket)) {}
    beast::tcp_stream& tcp() noexcept override { return stream_; }
    void read_some(asio::mutable_buffer buffer, any_stream::io_handler handler) override {
        stream_.async_read_some(buffer, bind_strand(stream_, std::move(handler)));
    }
    void write_some(const any_stream::const_buffers& buffers, any_stream::io_handler handler) override {
        stream_.async_write_some(buffers, bind_strand(stream_, std::move(handler)));
    }
    void shutdown(any_stream::shutdown_handler handler) override {
        asio::post(stream_.get_executor(),
                   [h = std::move(handler)]() mutable { std::move(h)(error_code{}); });
    }

  private:
    beast::tcp_stream stream_;
};

}  // namespace

std::string prepare_socket(tcp::socket& socket) {
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("-") : format_endpoint(endpoint);
}

asio::awaitable<void> serve_stream(any_stream& stream, connection& conn, const session_context& ctx,
                                   std::string remote, bool tls) {
    session s(stream, conn, ctx, std::move(remote), tls);
    co_await s.serve();
}

asio::awaitable<void> serve_plain(tcp::socket socket, std::shared_ptr<connection> conn, session_context ctx) {
    std::string remote = prepare_socket(socket);
    any_stream stream(std::make_unique<plain_stream>(std::move(socket)));
    registration reg(conn, ctx.registry, stream.tcp().socket());
    co_await serve_stream(stream, *conn, ctx, std::move(remote), false);
}

}  // namespace dirsync::http::detail
