#pragma once

// Internal to dirsync_http: includes Asio.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <stop_token>
#include <string>

#include "common/work_pool.hpp"
#include "http/detail/connection_registry.hpp"
#include "http/message.hpp"
#include "http/server_settings.hpp"

namespace dirsync::http::detail {

/// What every session needs from the server. The referenced objects outlive all sessions.
struct session_context {
    const server_limits& limits;
    const handler& on_request;
    const error_formatter& errors;  ///< never empty
    connection_registry& registry;
    /// Runs handlers off the I/O threads, by lane; nullptr: handlers run on the I/O thread.
    common::work_pool* workers;
    const lane_function& lane_of;
    const request_observer& on_answered;
    std::stop_token stop;  ///< given to every request (request::stop)
};

class any_stream;

/// Serves HTTP/1.1 and HTTP/1.0 requests on a plain TCP connection until it closes, then unregisters `conn`
/// from `ctx.registry`. Must be spawned on the socket's executor, a strand that is `conn->strand`.
/// Does not throw for I/O or protocol errors; handler exceptions are answered with 500.
boost::asio::awaitable<void> serve_plain(boost::asio::ip::tcp::socket socket,
                                         std::shared_ptr<connection> conn, session_context ctx);

/// Same as serve_plain after a TLS handshake (bounded by `header_timeout`) with `tls`, which the connection
/// keeps for its lifetime; a failed handshake is logged at debug level and closes the connection.
boost::asio::awaitable<void> serve_tls(boost::asio::ip::tcp::socket socket,
                                       std::shared_ptr<boost::asio::ssl::context> tls,
                                       std::shared_ptr<connection> conn, session_context ctx);

/// The request loop shared by plain and TLS connections: serves requests on an established `stream` until the
/// connection ends, then closes it. On the connection's strand; the caller keeps `conn` registered meanwhile.
/// `tls`: the stream is TLS (close_notify is exchanged before closing).
boost::asio::awaitable<void> serve_stream(any_stream& stream, connection& conn, const session_context& ctx,
                                          std::string remote, bool tls);

/// The peer of `socket` as "1.2.3.4:5555" or "[::1]:5555" ("-" if unknown); also turns off Nagle's algorithm,
/// since responses are written whole.
std::string prepare_socket(boost::asio::ip::tcp::socket& socket);

}  // namespace dirsync::http::detail
