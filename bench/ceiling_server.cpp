// The ceiling for the read benchmarks: a minimal Boost.Beast HTTP/1.1 server on one thread that answers every
// request with the same 660-byte JSON body (the size of a typical SCIM User), keep-alive, nothing else. What
// dirsyncd does per request beyond this (authentication, routing, the store, the resource) is what a ratio to
// it measures. Prints "listening on PORT" once bound.
//   ceiling_server [PORT]   (0 or none: the kernel's choice)
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string body_of_660_bytes() {
    std::string body =
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"9e1bce34-59a3-45a2-9c42-ab65e3857c34",)"
        R"("externalId":"ext-50000","userName":"user50000@example.com","displayName":"User 50000",)"
        R"("name":{"givenName":"User","familyName":"50000"},"active":true,"emails":[{"value":)"
        R"("user50000@example.com","type":"work","primary":true}],"meta":{"resourceType":"User",)"
        R"("created":"2026-12-05T03:03:07.727Z","lastModified":"2026-12-05T03:03:07.727Z","version":"W/\"1\"",)"
        R"("location":"http://127.0.0.1:8080/scim/v2/Users/9e1bce34-59a3-45a2-9c42-ab65e3857c34"},"pad":")";
    body.append(660 - body.size() - 2, 'x');
    body += "\"}";
    return body;
}

asio::awaitable<void> serve(tcp::socket socket, const std::string& body) {
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        auto [rerr, n] = co_await http::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
        if (rerr) co_return;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/scim+json");
        res.keep_alive(req.keep_alive());
        res.body() = body;
        res.prepare_payload();
        auto [werr, m] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
        if (werr || !res.keep_alive()) co_return;
    }
}

asio::awaitable<void> accept(tcp::acceptor& acceptor, const std::string& body) {
    for (;;) {
        auto [err, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (err) continue;
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), body), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
    asio::io_context io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const std::string body = body_of_660_bytes();
    std::printf("listening on %u\n", acceptor.local_endpoint().port());
    std::fflush(stdout);
    asio::co_spawn(io, accept(acceptor, body), asio::detached);
    io.run();
}
