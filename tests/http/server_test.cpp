#include "http/server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "raw_client.hpp"
#include "test_server.hpp"

namespace dirsync::http::test {
namespace {

using clock = std::chrono::steady_clock;

std::string get(std::string_view target, std::string_view extra_headers = "") {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

std::string post(std::string_view target, std::string_view body) {
    return "POST " + std::string(target) +
           " HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

/// The server answered `status` itself, through the configured error formatter (test_error).
void expect_formatted_error(const raw_response& res, int status) {
    EXPECT_EQ(res.status, status);
    EXPECT_EQ(res.header("Content-Type"), "application/test-error+json");
    EXPECT_NE(res.body.find("\"status\":\"" + std::to_string(status) + "\""), std::string::npos) << res.body;
}

TEST(Server, GetRoundTrip) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/scim/v2/Users?count=1"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "GET /scim/v2/Users?count=1\n");
    EXPECT_EQ(res->header("Server"), "dirsyncd");
    EXPECT_EQ(res->header("Content-Type"), "text/plain");
    EXPECT_EQ(res->header("X-Remote-Seen"), "yes");
}

TEST(Server, PostRoundTripAndRequestHeaders) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip(post("/scim/v2/Users", "{\"userName\":\"bjensen\"}"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "POST /scim/v2/Users\n{\"userName\":\"bjensen\"}");

    res = c.roundtrip(get("/header", "X-Test: hello\r\n"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "hello");
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnection) {
    running_server server(test_settings());
    raw_connection c(server.port());
    for (int i = 0; i < 3; ++i) {
        auto res = c.roundtrip(get("/n" + std::to_string(i)));
        ASSERT_TRUE(res) << i;
        EXPECT_EQ(res->body, "GET /n" + std::to_string(i) + "\n");
        EXPECT_NE(res->header("Connection"), "close");
    }
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
    running_server server(test_settings());
    raw_connection c(server.port());
    ASSERT_TRUE(c.send(get("/a") + post("/b", "xyz") + get("/c")));
    for (std::string expected : {"GET /a\n", "POST /b\nxyz", "GET /c\n"}) {
        auto res = c.read_response();
        ASSERT_TRUE(res) << expected;
        EXPECT_EQ(res->body, expected);
    }
}

TEST(Server, Http10ClosesAfterTheResponse) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip("GET /old HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "GET /old\n");
    EXPECT_TRUE(c.wait_closed(1s));
}

TEST(Server, Http10KeepAliveIsHonoured) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->header("Connection"), "keep-alive");
    res = c.roundtrip("GET /b HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "GET /b\n");
}

TEST(Server, HeadSendsLengthWithoutBody) {
    running_server server(test_settings());
    raw_connection c(server.port());
    ASSERT_TRUE(c.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto res = c.read_response(5s, /*head=*/true);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->header("Content-Length"), "8");  // "HEAD /x\n"
    res = c.roundtrip(get("/after"));               // no stray body bytes in between
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "GET /after\n");
}

TEST(Server, NoContentHasNoBody) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/status/204"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
    EXPECT_EQ(res->header("Content-Length"), std::nullopt);
    res = c.roundtrip(get("/after"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(Server, ExpectContinueGetsPrompt100) {
    running_server server(test_settings());
    raw_connection c(server.port());
    const std::string body(10 * 1024, 'b');
    ASSERT_TRUE(c.send("POST /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n"));
    const auto start = clock::now();
    auto interim = c.read_response(1s);
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    EXPECT_LT(clock::now() - start, 500ms);
    ASSERT_TRUE(c.send(body));
    auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "POST /up\n" + body);
}

TEST(Server, ExpectContinueWithTooLargeBodyGets413Instead) {
    running_server server(test_settings());
    raw_connection c(server.port());
    ASSERT_TRUE(
        c.send("POST /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n"));
    auto res = c.read_response(1s);
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 413);
    EXPECT_EQ(res->header("Connection"), "close");
    EXPECT_TRUE(c.wait_closed(1s));
}

TEST(Server, LargeContentLengthGets413WhileTheClientIsStillSending) {
    running_server server(test_settings());
    raw_connection c(server.port());
    ASSERT_TRUE(c.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n"));
    c.send(std::string(256 * 1024, 'x'));  // the server may already have answered and half-closed
    auto res = c.read_response(2s);
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 413);
}

TEST(Server, ChunkedBodyOverTheLimitGets413) {
    running_server server(test_settings());  // max_body_bytes = 64 KiB
    raw_connection c(server.port());
    ASSERT_TRUE(c.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk = "4000\r\n" + std::string(0x4000, 'c') + "\r\n";  // 16 KiB chunks
    for (int i = 0; i < 5; ++i)
        if (!c.send(chunk)) break;
    auto res = c.read_response(2s);
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 413);
}

TEST(Server, ChunkedBodyWithinTheLimitWorks) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip(
        "POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "POST /up\nabcde");
}

TEST(Server, HugeHeaderGets431) {
    running_server server(test_settings());  // max_header_bytes = 4 KiB
    raw_connection c(server.port());
    c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(8 * 1024, 'h') + "\r\n\r\n");
    auto res = c.read_response(2s);
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 431);
    EXPECT_TRUE(c.wait_closed(1s));
}

TEST(Server, GarbageGets400) {
    running_server server(test_settings());
    for (std::string_view garbage :
         {"this is not http\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
          "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"}) {
        raw_connection c(server.port());
        auto res = c.roundtrip(garbage, 2s);
        ASSERT_TRUE(res) << garbage;
        expect_formatted_error(*res, 400);
        EXPECT_TRUE(c.wait_closed(1s)) << garbage;
    }
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/still-ok"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(Server, HandlerExceptionGives500WithoutDetailsAndServerKeepsServing) {
    running_server server(test_settings());
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/throw"));
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 500);
    EXPECT_EQ(res->body.find("secret"), std::string::npos) << res->body;
    res = c.roundtrip(get("/next"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(Server, InvalidResponseFromHandlerGives500) {
    running_server server(test_settings(), [](request&) {
        response res;
        res.headers.push_back({"X-Split", "a\r\nSet-Cookie: evil=1"});
        return res;
    });
    raw_connection c(server.port());
    auto res = c.roundtrip(get("/"));
    ASSERT_TRUE(res);
    expect_formatted_error(*res, 500);
    EXPECT_EQ(res->header("Set-Cookie"), std::nullopt);
}

TEST(Server, SlowlorisIsCutAtHeaderTimeout) {
    auto settings = test_settings();
    settings.limits.header_timeout = 300ms;
    running_server server(settings);
    raw_connection c(server.port());
    const std::string request = get("/slow-headers", "X-Padding: " + std::string(200, 'p') + "\r\n");
    const auto start = clock::now();
    bool closed = false;
    for (char ch : request) {  // one byte every 20 ms: ~5 s for the whole request
        if (!c.send(std::string_view(&ch, 1))) {
            closed = true;
            break;
        }
        if (c.wait_closed(20ms)) {
            closed = true;
            break;
        }
    }
    const auto elapsed = clock::now() - start;
    EXPECT_TRUE(closed);
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 1500ms);
}

TEST(Server, SlowBodyIsCutAtBodyTimeout) {
    auto settings = test_settings();
    settings.limits.body_timeout = 300ms;
    running_server server(settings);
    raw_connection c(server.port());
    ASSERT_TRUE(c.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly-a-bit"));
    const auto start = clock::now();
    EXPECT_TRUE(c.wait_closed(2s));
    EXPECT_GE(clock::now() - start, 250ms);
}

TEST(Server, SilentConnectionIsClosedAtHeaderTimeout) {
    auto settings = test_settings();
    settings.limits.header_timeout = 300ms;
    running_server server(settings);
    raw_connection c(server.port());
    const auto start = clock::now();
    EXPECT_TRUE(c.wait_closed(2s));
    EXPECT_GE(clock::now() - start, 250ms);
}

TEST(Server, IdleKeepAliveConnectionIsClosedAtIdleTimeout) {
    auto settings = test_settings();
    settings.limits.idle_timeout = 300ms;
    running_server server(settings);
    raw_connection c(server.port());
    ASSERT_TRUE(c.roundtrip(get("/")));
    const auto start = clock::now();
    EXPECT_TRUE(c.wait_closed(2s));
    const auto elapsed = clock::now() - start;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 1500ms);
}

TEST(Server, AtTheLimitSilentConnectionsMakeWayForClientsThatSendRequests) {
    // 1,100 idle TCP connections used to lock every client out for the header timeout (and again when the
    // attacker reconnected). Now a new connection displaces the oldest one that has not sent a request.
    auto settings = test_settings();
    settings.limits.max_connections = 4;
    running_server server(settings);
    std::vector<std::unique_ptr<raw_connection>> silent;
    for (int i = 0; i < 8; ++i) {  // twice the limit; each new one displaces an older silent one
        silent.push_back(std::make_unique<raw_connection>(server.port()));
        std::this_thread::sleep_for(20ms);  // accepted in this order
    }
    for (int round = 0; round < 3; ++round) {
        raw_connection client(server.port());
        auto res = client.roundtrip(get("/r" + std::to_string(round)), 2s);
        ASSERT_TRUE(res) << "round " << round;
        EXPECT_EQ(res->status, 200) << "round " << round;
    }
    // The oldest silent connections were closed to make that room, oldest first.
    EXPECT_TRUE(silent[0]->wait_closed(2s));
    EXPECT_TRUE(silent[1]->wait_closed(2s));
}

TEST(Server, AtTheLimitTheOldestIdleAnsweredConnectionMakesWay) {
    auto settings = test_settings();
    settings.limits.max_connections = 2;
    running_server server(settings);
    raw_connection c1(server.port());
    raw_connection c2(server.port());
    ASSERT_TRUE(c1.roundtrip(get("/1")));  // answered and now idle between requests
    ASSERT_TRUE(c2.roundtrip(get("/2")));
    // The client can read a response before the server's session has resumed from writing it (until then
    // the connection is still in its request); give the sessions time to get back to waiting.
    std::this_thread::sleep_for(200ms);

    raw_connection c3(server.port());
    auto res = c3.roundtrip(get("/3"), 2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(c1.wait_closed(2s));  // the oldest idle one went
    auto again = c2.roundtrip(get("/2b"), 2s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
}

TEST(Server, AtTheLimitAnsweredConnectionsStuckInTheirNextRequestMakeWay) {
    // A flood that sends one cheap complete request first, then starts another and stops, is displaced too.
    auto settings = test_settings();
    settings.limits.max_connections = 2;
    running_server server(settings);
    raw_connection c1(server.port());
    raw_connection c2(server.port());
    ASSERT_TRUE(c1.roundtrip(get("/1")));
    ASSERT_TRUE(c2.roundtrip(get("/2")));
    ASSERT_TRUE(c1.send("GET /stuck HTTP/1.1\r\nHost: t\r\n"));
    ASSERT_TRUE(c2.send("GET /stuck HTTP/1.1\r\nHost: t\r\n"));
    std::this_thread::sleep_for(200ms);  // both sessions are reading their second request

    raw_connection c3(server.port());
    auto res = c3.roundtrip(get("/3"), 2s);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(c1.wait_closed(2s));  // the oldest of them
}

TEST(Server, ConnectionsBeyondTheLimitGet503OnlyWhenAllAreInTheMiddleOfARequest) {
    auto settings = test_settings();
    settings.threads = 4;  // two held by the blocked handlers, the others accept
    settings.limits.max_connections = 2;
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    int blocked = 0;
    running_server server(settings, [&](request& req) {
        if (req.target.starts_with("/block")) {
            std::unique_lock lock(m);
            ++blocked;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
        }
        return echo_handler(req);
    });
    raw_connection c1(server.port());
    raw_connection c2(server.port());
    ASSERT_TRUE(c1.roundtrip(get("/1")));
    ASSERT_TRUE(c2.roundtrip(get("/2")));
    c1.send(get("/block1"));
    c2.send(get("/block2"));
    {
        std::unique_lock lock(m);
        ASSERT_TRUE(cv.wait_for(lock, 2s, [&] { return blocked == 2; }));
    }

    raw_connection c3(server.port());  // the kernel completes the handshake; the server refuses it
    c3.send(get("/3"));
    auto res = c3.read_response(2s);
    if (res) {
        expect_formatted_error(*res, 503);
        EXPECT_EQ(res->header("Connection"), "close");
    }
    EXPECT_TRUE(c3.wait_closed(1s));

    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    auto r1 = c1.read_response(2s);  // neither request in progress was cut
    auto r2 = c2.read_response(2s);
    ASSERT_TRUE(r1);
    ASSERT_TRUE(r2);
    EXPECT_EQ(r1->status, 200);
    EXPECT_EQ(r2->status, 200);
}

TEST(Server, WithoutAFormatterItsOwnErrorsArePlainText) {
    auto settings = test_settings();
    settings.errors = nullptr;
    running_server server(settings);
    raw_connection c(server.port());
    auto res = c.roundtrip("GET /x HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(res->header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(res->body, "malformed HTTP request\n");
}

TEST(Server, StartFailsOnAPortInUse) {
    running_server first(test_settings());
    auto settings = test_settings();
    settings.port = first.port();
    server second(settings, echo_handler);
    try {
        second.start();
        FAIL() << "start() should have thrown";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
                  std::string::npos)
            << e.what();
    }
}

TEST(Server, StartedButNeverRunServerIsDestroyedCleanly) {
    server s(test_settings(), echo_handler);
    s.start();
    raw_connection c(s.local_port());  // queued in the backlog, never accepted
    EXPECT_NE(s.local_port(), 0);
}

TEST(Server, StartFailsOnABadAddress) {
    auto settings = test_settings();
    settings.host = "not an address";
    server s(settings, echo_handler);
    EXPECT_THROW(s.start(), std::system_error);
}

}  // namespace
}  // namespace dirsync::http::test
