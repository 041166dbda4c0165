#include "http/client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <utility>

namespace dirsync::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::optional<parsed_url> parse_base_url(std::string_view url) {
    parsed_url out;
    if (url.starts_with("http://")) {
        url.remove_prefix(7);
    } else if (url.starts_with("https://")) {
        url.remove_prefix(8);
        out.tls = true;
    } else {
        return std::nullopt;
    }
    auto slash = url.find('/');
    auto authority = url.substr(0, slash);
    if (slash != std::string_view::npos) {
        out.prefix = std::string(url.substr(slash));
        while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
    }
    std::string_view port;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        auto rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            port = rest.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (out.host.empty()) return std::nullopt;
    if (port.empty()) {
        out.port = out.tls ? "443" : "80";
    } else {
        for (char c : port)
            if (c < '0' || c > '9') return std::nullopt;
        out.port = std::string(port);
    }
    return out;
}

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bhttp::request<bhttp::string_body> make_request(const parsed_url& url, std::string_view method,
                                                std::string_view target,
                                                const std::vector<header_field>& headers,
                                                std::string_view body, std::string_view content_type) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(std::string(method));
    req.target(url.prefix + std::string(target));
    req.version(11);
    auto host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    req.set(bhttp::field::host, host + ":" + url.port);
    req.set(bhttp::field::connection, "close");
    for (const auto& h : headers) req.set(h.name, h.value);
    if (!body.empty()) {
        req.set(bhttp::field::content_type, std::string(content_type));
        req.body() = std::string(body);
    }
    req.prepare_payload();
    return req;
}

response to_response(bhttp::response<bhttp::string_body>& res) {
    response out;
    out.status = res.result_int();
    if (auto it = res.find(bhttp::field::content_type); it != res.end())
        out.content_type = std::string(it->value());
    for (const auto& f : res) out.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    out.body = std::move(res.body());
    return out;
}

template <class Stream>
asio::awaitable<client_result> exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
    auto [werr, written] = co_await bhttp::async_write(stream, req, use_tuple);
    (void)written;
    if (werr) co_return client_result{std::nullopt, "sending the request failed: " + werr.message()};
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [rerr, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    (void)read;
    if (rerr) co_return client_result{std::nullopt, "reading the response failed: " + rerr.message()};
    auto res = parser.release();
    co_return client_result{to_response(res), {}};
}

asio::awaitable<client_result> run(const client_options& options, const parsed_url& url,
                                   bhttp::request<bhttp::string_body> req, asio::ssl::context* tls) {
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    auto [rerr, endpoints] = co_await resolver.async_resolve(url.host, url.port, use_tuple);
    if (rerr) co_return client_result{std::nullopt, "cannot resolve " + url.host + ": " + rerr.message()};
    beast::tcp_stream tcp_stream(executor);
    auto [cerr, ep] = co_await tcp_stream.async_connect(endpoints, use_tuple);
    (void)ep;
    if (cerr)
        co_return client_result{std::nullopt,
                                "cannot connect to " + options.base_url + ": " + cerr.message()};
    if (!tls) co_return co_await exchange(tcp_stream, req);

    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
        co_return client_result{std::nullopt, "TLS set-up failed (SNI)"};
    if (options.verify_peer) {
        stream.set_verify_mode(asio::ssl::verify_peer);
        stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    } else {
        stream.set_verify_mode(asio::ssl::verify_none);
    }
    auto [herr] = co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (herr)
        co_return client_result{std::nullopt,
                                "TLS handshake with " + url.host + " failed: " + herr.message()};
    co_return co_await exchange(stream, req);
}

}  // namespace

client_result send_request(const client_options& options, std::string_view method, std::string_view target,
                           const std::vector<header_field>& headers, std::string_view body,
                           std::string_view content_type) {
    auto url = parse_base_url(options.base_url);
    if (!url) return {std::nullopt, "not an http:// or https:// URL: " + options.base_url};
    try {
        asio::io_context io;
        std::optional<asio::ssl::context> tls;
        if (url->tls) {
            tls.emplace(asio::ssl::context::tls_client);
            tls->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                             asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
            if (options.ca_file.empty())
                tls->set_default_verify_paths();
            else
                tls->load_verify_file(options.ca_file);
        }
        auto req = make_request(*url, method, target, headers, body, content_type);
        client_result out{std::nullopt, "timed out after " + std::to_string(options.timeout.count()) + " ms"};
        asio::co_spawn(io, run(options, *url, std::move(req), tls ? &*tls : nullptr),
                       [&](std::exception_ptr e, client_result r) {
                           if (e) {
                               try {
                                   std::rethrow_exception(e);
                               } catch (const std::exception& ex) {
                                   out = {std::nullopt, ex.what()};
                               }
                           } else {
                               out = std::move(r);
                           }
                       });
        io.run_for(options.timeout);
        return out;
    } catch (const std::exception& e) {
        return {std::nullopt, e.what()};
    }
}

}  // namespace dirsync::http
