// The SCIM source's HTTP client against a real loopback HTTP server: retries, Retry-After, the rate limit,
// the deadline, and messages without secrets.
#include "scim_source/http_client.hpp"

#include <gtest/gtest.h>

#include "tests/support/http_receiver.hpp"

namespace dirsync::scim_source {
namespace {

using testing::http_receiver;
using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

client_settings quick(std::uint32_t retries) {
    client_settings s;
    s.retries = retries;
    s.backoff = 10ms;
    s.connect_timeout = 2s;
    s.request_timeout = 5s;
    return s;
}

request get(const std::string& url) {
    request r;
    r.url = url;
    r.headers = {"Authorization: Bearer s3cret-token", "Accept: application/scim+json"};
    return r;
}

TEST(ScimHttpClient, AnswersAreReturnedAndHeadersSent) {
    http_receiver receiver;
    receiver.answer(404);
    http_client client(quick(3));
    auto r = client.perform(get(receiver.url("/scim/v2/Users?count=2")), clock::now() + 10s);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 404);  // not retryable: the caller decides
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/scim/v2/Users?count=2");
    EXPECT_EQ(requests[0].header("authorization"), "Bearer s3cret-token");
    EXPECT_EQ(client.requests_sent(), 1u);
}

TEST(ScimHttpClient, RetriesHonourRetryAfterThenGiveUp) {
    http_receiver receiver;
    receiver.answer(503, "Retry-After: 1\r\n");
    http_client client(quick(2));
    const auto began = clock::now();
    auto r = client.perform(get(receiver.url("/scim/v2/Users")), clock::now() + 30s);
    ASSERT_FALSE(r);
    EXPECT_EQ(receiver.requests().size(), 3u);
    EXPECT_GE(clock::now() - began, 1900ms);  // two waits of the server's one second
    EXPECT_NE(r.error().find("HTTP 503 (after 3 attempts)"), std::string::npos) << r.error();
    EXPECT_NE(r.error().find("GET http://127.0.0.1:"), std::string::npos) << r.error();
}

TEST(ScimHttpClient, ARetryThatWouldPassTheDeadlineIsNotMade) {
    http_receiver receiver;
    receiver.answer(429, "Retry-After: 5\r\n");
    http_client client(quick(5));
    const auto began = clock::now();
    auto r = client.perform(get(receiver.url("/x")), clock::now() + 2s);
    ASSERT_FALSE(r);
    EXPECT_LT(clock::now() - began, 2s);
    EXPECT_EQ(receiver.requests().size(), 1u);
    EXPECT_NE(r.error().find("time limit comes before a retry"), std::string::npos) << r.error();
}

TEST(ScimHttpClient, ConnectionFailuresAreRetriedAndNeverShowSecrets) {
    std::string url;
    {
        http_receiver gone;  // a port nobody listens on once it is destroyed
        url = gone.url("/scim/v2/Users?token=s3cret-token");
    }
    auto settings = quick(2);
    settings.secrets = {"s3cret-token"};
    http_client client(settings);
    auto r = client.perform(get(url), clock::now() + 10s);
    ASSERT_FALSE(r);
    EXPECT_EQ(client.requests_sent(), 3u);
    EXPECT_NE(r.error().find("(after 3 attempts)"), std::string::npos) << r.error();
    EXPECT_EQ(r.error().find("s3cret-token"), std::string::npos) << r.error();
}

TEST(ScimHttpClient, TheRateLimitSpacesRequests) {
    http_receiver receiver;
    receiver.answer(200);
    auto settings = quick(0);
    settings.rate_limit = 20;  // one request every 50 ms
    http_client client(settings);
    const auto began = clock::now();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.perform(get(receiver.url("/x")), clock::now() + 10s));
    EXPECT_GE(clock::now() - began, 190ms);  // four gaps
    EXPECT_EQ(receiver.requests().size(), 5u);
}

TEST(ScimHttpClient, CancellingStopsTheWait) {
    http_receiver receiver;
    receiver.answer(503, "Retry-After: 30\r\n");
    std::atomic<bool> cancel{false};
    http_client client(quick(3), &cancel);
    std::thread canceller([&] {
        std::this_thread::sleep_for(300ms);
        cancel = true;
    });
    const auto began = clock::now();
    auto r = client.perform(get(receiver.url("/x")), clock::now() + 60s);
    canceller.join();
    ASSERT_FALSE(r);
    EXPECT_LT(clock::now() - began, 5s);
    EXPECT_NE(r.error().find("cancelled"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace dirsync::scim_source
