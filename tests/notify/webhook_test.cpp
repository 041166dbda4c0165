#include "notify/webhook.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/ascii.hpp"
#include "common/hmac.hpp"
#include "tests/support/http_receiver.hpp"

namespace dirsync::notify {
namespace {

using testing::http_receiver;
using testing::loopback_socket;
using testing::received_request;

using namespace std::chrono_literals;

const auto fixed_now = std::chrono::system_clock::time_point(std::chrono::seconds(1704207845));
constexpr const char* secret = "whsec_test-secret";

webhook_settings to(const std::string& url) {
    webhook_settings s;
    s.url = url;
    s.secret = secret;
    s.timeout = 2s;
    return s;
}

const std::string event = R"({"type":"sync.run.finished","tenant":"acme","errors":0})";

}  // namespace

TEST(VerifySignature, AcceptsWhatSignatureHeaderMakes) {
    const std::string header = signature_header(secret, event, fixed_now);
    EXPECT_EQ(header, "t=1704207845,v1=" + common::hmac_sha256_hex(secret, "1704207845." + event));
    EXPECT_TRUE(verify_signature(secret, header, event, fixed_now));
    EXPECT_TRUE(verify_signature(secret, header, event, fixed_now + 300s));
    EXPECT_TRUE(verify_signature(secret, header, event, fixed_now - 300s));
}

TEST(VerifySignature, RejectsWrongSecretTamperedBodyAndStaleTimestamps) {
    const std::string header = signature_header(secret, event, fixed_now);
    EXPECT_FALSE(verify_signature("whsec_other", header, event, fixed_now));
    EXPECT_FALSE(verify_signature("", header, event, fixed_now));
    EXPECT_FALSE(verify_signature(secret, header, event + " ", fixed_now));
    EXPECT_FALSE(verify_signature(secret, header,
                                  R"({"type":"sync.run.finished","tenant":"evil","errors":0})", fixed_now));
    EXPECT_FALSE(verify_signature(secret, header, event, fixed_now + 301s));  // replayed later
    EXPECT_FALSE(verify_signature(secret, header, event, fixed_now - 301s));  // from the future
    EXPECT_TRUE(verify_signature(secret, header, event, fixed_now + 3600s, 3600s));
}

TEST(VerifySignature, RejectsMalformedHeaders) {
    const std::string mac = common::hmac_sha256_hex(secret, "1704207845." + event);
    const std::string other_mac = common::hmac_sha256_hex(secret, "1704207846." + event);
    for (const std::string& header : std::vector<std::string>{
             std::string{}, "t=1704207845", "v1=" + mac, "t=,v1=" + mac, "t=17042078x5,v1=" + mac,
             "t=-1704207845,v1=" + mac, "t=1704207845,t=1704207845,v1=" + mac, "t=1704207846,v1=" + mac,
             "t=1704207845,v1=" + mac.substr(1), "t=1704207845,v0=" + mac, "t=1704207845,v1=" + other_mac,
             "t=00000000000001704207845,v1=" + mac})
        EXPECT_FALSE(verify_signature(secret, header, event, fixed_now)) << header;
}

TEST(VerifySignature, AnyOfSeveralV1AndUnknownElements) {
    const std::string mac = common::hmac_sha256_hex(secret, "1704207845." + event);
    const std::string stale = common::hmac_sha256_hex("old secret", "1704207845." + event);
    EXPECT_TRUE(verify_signature(secret, "v1=" + stale + ",t=1704207845,v0=abc,v1=" + mac, event, fixed_now));
    std::string upper = mac;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(toupper(c)); });
    EXPECT_TRUE(verify_signature(secret, "t=1704207845,v1=" + upper, event, fixed_now));
}

TEST(PostWebhook, DeliversASignedRequest) {
    http_receiver receiver;
    receiver.answer(204);
    const auto now = std::chrono::system_clock::now();
    const auto r = post_webhook(to(receiver.url()), event, "evt-0001", now);
    EXPECT_TRUE(r.delivered) << r.error;
    EXPECT_FALSE(r.permanent);
    EXPECT_EQ(r.error, "");
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& q = requests.front();
    EXPECT_EQ(q.method, "POST");
    EXPECT_EQ(q.target, "/hook");
    EXPECT_EQ(q.body, event);
    EXPECT_EQ(q.header("content-type"), "application/json");
    EXPECT_EQ(q.header("user-agent"), "dirsyncd");
    EXPECT_EQ(q.header("idempotency-key"), "evt-0001");
    EXPECT_EQ(q.headers.count("expect"), 0u);
    const std::string signature = q.header("dirsync-signature");
    EXPECT_TRUE(std::regex_match(signature, std::regex("t=[0-9]+,v1=[0-9a-f]{64}"))) << signature;
    EXPECT_TRUE(verify_signature(secret, signature, q.body, std::chrono::system_clock::now()));
    EXPECT_FALSE(verify_signature("whsec_other", signature, q.body, std::chrono::system_clock::now()));
}

TEST(PostWebhook, LargeBodiesGoInOneRequest) {
    http_receiver receiver;
    const std::string big = "{\"pad\":\"" + std::string(2 * 1024 * 1024, 'p') + "\"}";
    const auto r = post_webhook(to(receiver.url()), big, "evt-big", std::chrono::system_clock::now());
    EXPECT_TRUE(r.delivered) << r.error;
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests.front().body, big);
}

TEST(PostWebhook, StatusCodesDecideRetryOrPermanentFailure) {
    http_receiver receiver;
    struct row {
        int status;
        bool delivered;
        bool permanent;
    };
    for (const auto& [status, delivered, permanent] :
         {row{200, true, false}, row{202, true, false}, row{299, true, false}, row{500, false, false},
          row{502, false, false}, row{408, false, false}, row{400, false, true}, row{401, false, true},
          row{404, false, true}, row{410, false, true}, row{422, false, true}}) {
        receiver.answer(status);
        const auto r =
            post_webhook(to(receiver.url()), event, "evt-status", std::chrono::system_clock::now());
        EXPECT_EQ(r.delivered, delivered) << status << ": " << r.error;
        EXPECT_EQ(r.permanent, permanent) << status << ": " << r.error;
        EXPECT_FALSE(r.retry_after) << status;
        if (!delivered) {
            EXPECT_NE(r.error.find(std::to_string(status)), std::string::npos) << r.error;
        }
    }
}

TEST(PostWebhook, RetryAfterIsHonouredOn429And503) {
    http_receiver receiver;
    receiver.answer(429, "Retry-After: 7\r\n");
    auto r = post_webhook(to(receiver.url()), event, "evt-429", std::chrono::system_clock::now());
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.permanent);
    ASSERT_TRUE(r.retry_after);
    EXPECT_EQ(*r.retry_after, 7s);
    receiver.answer(503, "Retry-After: 120\r\n");
    r = post_webhook(to(receiver.url()), event, "evt-503", std::chrono::system_clock::now());
    EXPECT_FALSE(r.permanent);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(120s));
    receiver.answer(503);
    r = post_webhook(to(receiver.url()), event, "evt-503", std::chrono::system_clock::now());
    EXPECT_FALSE(r.permanent);
    EXPECT_FALSE(r.retry_after);
}

TEST(PostWebhook, RedirectsAreNotFollowed) {
    http_receiver receiver;
    receiver.answer(307, "Location: " + receiver.url("/elsewhere") + "\r\n");
    const auto r = post_webhook(to(receiver.url()), event, "evt-307", std::chrono::system_clock::now());
    EXPECT_FALSE(r.delivered);
    EXPECT_TRUE(r.permanent);
    EXPECT_NE(r.error.find("307"), std::string::npos) << r.error;
    EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(PostWebhook, ConnectionRefusedIsRetryableAndLeaksNoSecret) {
    const loopback_socket closed(false);  // bound, not listening: connections are refused
    auto s = to("http://hookuser:url-password@127.0.0.1:" + std::to_string(closed.port()) + "/hooks/T0KEN");
    const auto started = std::chrono::steady_clock::now();
    const auto r = post_webhook(s, event, "evt-refused", std::chrono::system_clock::now());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.permanent);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.error.find('\n'), std::string::npos);
    for (const char* leak : {"url-password", "T0KEN", secret})
        EXPECT_EQ(r.error.find(leak), std::string::npos) << r.error;
}

TEST(PostWebhook, SilentReceiverTimesOut) {
    const loopback_socket silent(true);  // the kernel completes the handshake; nobody reads or answers
    auto s = to(silent.url());
    s.timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const auto r = post_webhook(s, event, "evt-silent", std::chrono::system_clock::now());
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 2s);
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.permanent);
    EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}

TEST(PostWebhook, RefusesBadInputWithoutSending) {
    http_receiver receiver;
    const auto now = std::chrono::system_clock::now();
    auto no_secret = to(receiver.url());
    no_secret.secret.clear();
    EXPECT_TRUE(post_webhook(no_secret, event, "evt", now).permanent);
    for (const std::string& key : std::vector<std::string>{std::string{}, "evt\r\nX-Injected: 1",
                                                           std::string(256, 'k'), " evt", "\xc3\xa4"})
        EXPECT_TRUE(post_webhook(to(receiver.url()), event, key, now).permanent) << key;
    for (const std::string& url : std::vector<std::string>{"ftp://127.0.0.1/hook", "file:///etc/passwd",
                                                           "not a url", "smtp://127.0.0.1/"})
        EXPECT_TRUE(post_webhook(to(url), event, "evt", now).permanent) << url;
    EXPECT_TRUE(receiver.requests().empty());
}

}  // namespace dirsync::notify
