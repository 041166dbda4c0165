#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http/server.hpp"
#include "raw_client.hpp"
#include "test_server.hpp"

namespace dirsync::http::test {
namespace {

using clock = std::chrono::steady_clock;

/// Holds the handlers of /hold until opened; counts how many are held.
class hold_gate {
  public:
    void wait() {
        std::unique_lock lock(m_);
        ++held_;
        changed_.notify_all();
        changed_.wait(lock, [&] { return open_; });
        --held_;
    }
    void open() {
        std::lock_guard lock(m_);
        open_ = true;
        changed_.notify_all();
    }
    bool wait_held(int n, std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_);
        return changed_.wait_for(lock, timeout, [&] { return held_ >= n; });
    }
    int held() {
        std::lock_guard lock(m_);
        return held_;
    }

  private:
    std::mutex m_;
    std::condition_variable changed_;
    int held_ = 0;
    bool open_ = false;
};

/// Workers on; the lane is the X-Lane header, and /inline is answered on the I/O thread.
server_settings worker_settings(unsigned workers, unsigned share) {
    auto s = test_settings();
    s.threads = 1;
    s.workers = {workers, share};
    s.lane_of = [](const request& req) -> std::optional<std::string> {
        if (req.target == "/inline") return std::nullopt;
        return std::string(req.header("X-Lane").value_or(""));
    };
    return s;
}

std::string get(std::string_view target, std::string_view lane) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\nX-Lane: " + std::string(lane) + "\r\n\r\n";
}

TEST(ServerWorkers, OneLanesHeldRequestsDoNotDelayAnotherLane) {
    hold_gate gate;
    running_server server(worker_settings(3, 2), [&](request& req) {
        if (req.target == "/hold") gate.wait();
        response res;
        res.body = req.target;
        return res;
    });
    // Lane a sends four requests that never finish by themselves: two run (its share), two wait.
    std::vector<std::unique_ptr<raw_connection>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<raw_connection>(server.port()));
        ASSERT_TRUE(held.back()->send(get("/hold", "a")));
    }
    ASSERT_TRUE(gate.wait_held(2, 2s));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(gate.held(), 2) << "lane a ran more than its share";

    // Lane b is served by the third worker, and the one I/O thread is not blocked by a's handlers.
    raw_connection other(server.port());
    auto res = other.roundtrip(get("/b", "b"), 2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "/b");
    raw_connection cheap(server.port());
    res = cheap.roundtrip(get("/inline", "a"), 2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "/inline");

    gate.open();
    for (auto& c : held) {
        auto done = c->read_response(2s);
        ASSERT_TRUE(done);
        EXPECT_EQ(done->status, 200);
    }
}

TEST(ServerWorkers, HandlerExceptionsOnAWorkerAreAnswered500) {
    running_server server(worker_settings(2, 1));
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/throw", "a"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500);
    EXPECT_EQ(res->body.find("secret"), std::string::npos);
    res = c.roundtrip(get("/fine", "a"));  // the connection and the worker go on
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(ServerWorkers, TheGraceDeadlineRequestsTheHandlersStop) {
    auto settings = worker_settings(2, 1);
    settings.limits.shutdown_grace = 300ms;
    std::atomic<bool> saw_stop{false};
    running_server server(settings, [&](request& req) {
        // A long handler that checks its stop token, as a full scan or a Bulk does.
        const auto give_up = clock::now() + 20s;
        while (!req.stop.stop_requested() && clock::now() < give_up) std::this_thread::sleep_for(5ms);
        saw_stop = req.stop.stop_requested();
        response res;
        res.status = 503;
        return res;
    });
    raw_connection c(server.port());
    ASSERT_TRUE(c.send(get("/long", "a")));
    std::this_thread::sleep_for(100ms);
    const auto stop_at = clock::now();
    server.get().request_stop();
    const auto returned = server.wait_returned(5s);
    ASSERT_TRUE(returned) << "run() did not return";
    EXPECT_TRUE(saw_stop.load());
    EXPECT_GE(*returned - stop_at, 250ms);
    EXPECT_LT(*returned - stop_at, 3s);
}

TEST(ServerWorkers, ManyConnectionsOnFewWorkersAreAllAnswered) {
    running_server server(worker_settings(2, 1));
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t)
        clients.emplace_back([&, t] {
            raw_connection c(server.port());
            for (int i = 0; i < 50; ++i) {
                auto res = c.roundtrip(get("/n" + std::to_string(i), "lane" + std::to_string(t % 3)));
                if (res && res->status == 200 && res->body.starts_with("GET /n" + std::to_string(i))) ++ok;
            }
        });
    for (auto& c : clients) c.join();
    EXPECT_EQ(ok.load(), 400);
}

}  // namespace
}  // namespace dirsync::http::test
