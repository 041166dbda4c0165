#include "http/detail/access_log.hpp"

#include <gtest/gtest.h>

#include "http/message.hpp"

namespace dirsync::http::detail {
namespace {

using namespace std::chrono_literals;

TEST(AccessLog, FormatsOneLine) {
    const std::string line = format_access_line({.remote = "1.2.3.4:5555",
                                                 .method = "GET",
                                                 .target = "/scim/v2/Users?filter=userName eq \"bjensen\"",
                                                 .status = 200,
                                                 .bytes = 123,
                                                 .latency = 420us,
                                                 .tenant = "acme"});
    EXPECT_EQ(
        line,
        "access remote=1.2.3.4:5555 method=GET target=\"/scim/v2/Users?filter=userName eq \\\"bjensen\\\"\" "
        "status=200 bytes=123 latency_ms=0.42 tenant=acme");
}

TEST(AccessLog, EmptyFieldsAreDashes) {
    const std::string line = format_access_line({.remote = "[::1]:80", .status = 400});
    EXPECT_EQ(line, "access remote=[::1]:80 method=- target=- status=400 bytes=0 latency_ms=0.00 tenant=-");
}

TEST(AccessLog, EscapesControlAndNonAscii) {
    EXPECT_EQ(escape_for_log("a\nb\r\x01\x7f\xc3\xa9\\", 512), "a\\x0ab\\x0d\\x01\\x7f\\xc3\\xa9\\\\");
}

TEST(AccessLog, TruncatesTargetTo512Bytes) {
    const std::string target = "/" + std::string(1000, 'a');
    const std::string line =
        format_access_line({.remote = "r", .method = "GET", .target = target, .status = 200});
    EXPECT_NE(line.find("target=\"/" + std::string(511, 'a') + "...\" "), std::string::npos) << line;
    EXPECT_EQ(line.find(std::string(512, 'a')), std::string::npos);
}

TEST(Request, HeaderLookupIsCaseInsensitive) {
    request req;
    req.headers = {{"Content-Type", "application/scim+json"}, {"X-A", "1"}, {"x-a", "2"}};
    EXPECT_EQ(req.header("content-type"), "application/scim+json");
    EXPECT_EQ(req.header("X-a"), "1");
    EXPECT_EQ(req.header("missing"), std::nullopt);
}

}  // namespace
}  // namespace dirsync::http::detail
