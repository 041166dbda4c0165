#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "http/message.hpp"
#include "http/server.hpp"
#include "http/server_settings.hpp"

namespace dirsync::http::test {

using namespace std::chrono_literals;

/// The error formatter of test_settings(): `application/test-error+json` with {"status":"<status>",
/// "detail":"<detail>"} (detail unescaped: the server's own details hold no quotes), so tests see that the
/// server's own answers go through the formatter.
inline response test_error(unsigned status, std::string_view detail) {
    response res;
    res.status = status;
    res.content_type = "application/test-error+json";
    res.body = R"({"status":")" + std::to_string(status) + R"(","detail":")" + std::string(detail) + R"("})";
    return res;
}

/// Settings for tests: loopback, ephemeral port, small limits, timeouts short enough to keep tests fast
/// but long enough not to fire by accident; tests shorten the one they exercise.
inline server_settings test_settings() {
    server_settings s;
    s.host = "127.0.0.1";
    s.port = 0;
    s.errors = test_error;
    s.threads = 2;
    s.limits.max_body_bytes = 64 * 1024;
    s.limits.max_header_bytes = 4 * 1024;
    s.limits.header_timeout = 3s;
    s.limits.body_timeout = 3s;
    s.limits.idle_timeout = 3s;
    s.limits.write_timeout = 3s;
    s.limits.max_connections = 64;
    s.limits.shutdown_grace = 3s;
    return s;
}

/// The handler used by the server tests:
///   /slow       sleeps 600 ms, then answers 200 "slow"
///   /throw      throws (the message must not reach the client)
///   /tenant     answers 200 with response.tenant = "acme"
///   /header     answers the value of the X-Test request header
///   /status/N   answers status N with an empty body
///   otherwise   200 text/plain "<method> <target>\n<body>"
inline response echo_handler(request& req) {
    response res;
    res.content_type = "text/plain";
    if (req.target == "/slow") {
        std::this_thread::sleep_for(600ms);
        res.body = "slow";
    } else if (req.target == "/throw") {
        throw std::runtime_error("secret internal detail");
    } else if (req.target == "/tenant") {
        res.tenant = "acme";
        res.body = "tenant";
    } else if (req.target == "/header") {
        res.body = std::string(req.header("x-test").value_or("<none>"));
    } else if (req.target.rfind("/status/", 0) == 0) {
        res.status = static_cast<unsigned>(std::stoul(req.target.substr(8)));
        res.content_type.clear();
    } else {
        res.body = req.method + " " + req.target + "\n" + req.body;
        res.headers.push_back({"X-Remote-Seen", req.remote.empty() ? "no" : "yes"});
    }
    return res;
}

/// A started server running on a background thread; stopped and joined on destruction.
class running_server {
  public:
    /// Starts the server, lets `before_run` register hooks, then runs it on a background thread.
    explicit running_server(const server_settings& settings, handler h = echo_handler,
                            const std::function<void(http::server&)>& before_run = {})
        : server_(settings, std::move(h)) {
        server_.start();
        if (before_run) before_run(server_);
        port_ = server_.local_port();
        thread_ = std::thread([this] {
            server_.run();
            returned_.set_value(std::chrono::steady_clock::now());
        });
    }
    ~running_server() { stop(); }
    running_server(const running_server&) = delete;
    running_server& operator=(const running_server&) = delete;

    std::uint16_t port() const { return port_; }
    http::server& get() { return server_; }

    /// Requests a stop and waits for run() to return.
    void stop() {
        if (!thread_.joinable()) return;
        server_.request_stop();
        thread_.join();
    }

    /// When run() returned, waiting up to `timeout`; nullopt if it did not return in time.
    std::optional<std::chrono::steady_clock::time_point> wait_returned(std::chrono::milliseconds timeout) {
        auto f = returned_.get_future();
        if (f.wait_for(timeout) != std::future_status::ready) return std::nullopt;
        thread_.join();
        return f.get();
    }

  private:
    http::server server_;
    std::uint16_t port_ = 0;
    std::promise<std::chrono::steady_clock::time_point> returned_;
    std::thread thread_;
};

}  // namespace dirsync::http::test
