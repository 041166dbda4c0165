#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http/server.hpp"
#include "raw_client.hpp"
#include "test_server.hpp"

namespace dirsync::http::test {
namespace {

using clock = std::chrono::steady_clock;

const std::string get_slow = "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n";
const std::string get_fast = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n";

TEST(ServerShutdown, InFlightRequestIsAnsweredIdleConnectionsCloseNewOnesAreRefused) {
    running_server server(test_settings());  // grace 3 s, idle timeout 3 s
    raw_connection idle(server.port());
    ASSERT_TRUE(idle.roundtrip(get_fast));
    raw_connection busy(server.port());
    ASSERT_TRUE(busy.send(get_slow));
    std::this_thread::sleep_for(150ms);  // the handler is sleeping now

    const auto stop_at = clock::now();
    server.get().request_stop();

    EXPECT_TRUE(idle.wait_closed(400ms)) << "idle keep-alive connection not closed promptly";
    auto res = busy.read_response(2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "slow");
    EXPECT_EQ(res->header("Connection"), "close");
    EXPECT_TRUE(busy.wait_closed(1s));

    EXPECT_EQ(raw_connection::connect_to(server.port()), -1) << "listener still open";
    const auto returned = server.wait_returned(2s);
    ASSERT_TRUE(returned) << "run() did not return";
    EXPECT_LT(*returned - stop_at, 1500ms);
}

TEST(ServerShutdown, RequestArrivingDuringShutdownGetsConnectionClose) {
    running_server server(test_settings());
    raw_connection busy(server.port());
    raw_connection late(server.port());
    ASSERT_TRUE(busy.send(get_slow));
    // `late` starts a request (so it is not idle), completes it after shutdown began.
    ASSERT_TRUE(late.send("GET /late HTTP/1.1\r\n"));
    std::this_thread::sleep_for(150ms);
    server.get().request_stop();
    std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(late.send("Host: t\r\n\r\n"));
    auto res = late.read_response(2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->header("Connection"), "close");
    ASSERT_TRUE(busy.read_response(2s));
    EXPECT_TRUE(server.wait_returned(2s));
}

TEST(ServerShutdown, GraceExpiryClosesWhatIsLeft) {
    auto settings = test_settings();
    settings.limits.shutdown_grace = 300ms;
    running_server server(settings);
    raw_connection straggler(server.port());
    ASSERT_TRUE(straggler.send("GET /never-finished HTTP/1.1\r\nHost: t\r\n"));  // headers incomplete
    std::this_thread::sleep_for(50ms);
    const auto stop_at = clock::now();
    server.get().request_stop();
    EXPECT_FALSE(straggler.wait_closed(200ms)) << "closed before the grace period";
    EXPECT_TRUE(straggler.wait_closed(1s));
    const auto returned = server.wait_returned(2s);
    ASSERT_TRUE(returned);
    EXPECT_GE(*returned - stop_at, 250ms);
    EXPECT_LT(*returned - stop_at, 1s);
}

TEST(ServerShutdown, StopWithoutConnectionsReturnsAtOnce) {
    running_server server(test_settings());
    const auto stop_at = clock::now();
    server.get().request_stop();
    const auto returned = server.wait_returned(2s);
    ASSERT_TRUE(returned);
    EXPECT_LT(*returned - stop_at, 200ms);
}

TEST(ServerShutdown, StopRequestedBeforeRunMakesRunReturn) {
    server s(test_settings(), echo_handler);
    s.start();
    std::uint16_t ready_port = 0;
    s.on_ready([&](std::uint16_t port) { ready_port = port; });
    s.request_stop();
    s.run();
    EXPECT_EQ(ready_port, s.local_port());
}

TEST(ServerShutdown, StopNowClosesInFlightRequestsAtOnce) {
    running_server server(test_settings());  // grace 3 s
    raw_connection busy(server.port());
    ASSERT_TRUE(busy.send(get_slow));
    std::this_thread::sleep_for(150ms);  // the handler is sleeping now
    server.get().request_stop();
    const auto stop_at = clock::now();
    server.get().stop_now();
    EXPECT_TRUE(busy.wait_closed(1s));
    const auto returned = server.wait_returned(2s);
    ASSERT_TRUE(returned);
    EXPECT_LT(*returned - stop_at, 1500ms) << "waited for the grace period";
}

TEST(ServerShutdown, StopNowWithoutAStopFirstStillStops) {
    running_server server(test_settings());
    raw_connection idle(server.port());
    ASSERT_TRUE(idle.roundtrip(get_fast));
    server.get().stop_now();
    EXPECT_TRUE(idle.wait_closed(1s));
    EXPECT_TRUE(server.wait_returned(2s));
}

}  // namespace
}  // namespace dirsync::http::test
