#include "http/detail/access_log.hpp"

#include <gtest/gtest.h>

#include "http/message.hpp"

namespace dirsync::http::detail {
namespace {

using namespace std::chrono_literals;

TEST(AccessLog, DescribesOneRequest) {
    const auto d = describe_access({.remote = "1.2.3.4:5555",
                                    .method = "GET",
                                    .target = "/scim/v2/Users?filter=userName eq \"bjensen\"",
                                    .status = 200,
                                    .bytes = 123,
                                    .latency = 420us,
                                    .tenant = "acme",
                                    .request_id = "c0ffee"});
    const auto fields = d.fields();
    EXPECT_EQ(
        common::format_log_line(common::log_format::logfmt, "T", common::log_level::info, "access", fields),
        "time=T level=info msg=access remote=1.2.3.4:5555 method=GET "
        "target=\"/scim/v2/Users?filter=userName eq \\\"?\\\"\" status=200 bytes=123 latency_ms=0.42 "
        "tenant=acme request_id=c0ffee\n");
    EXPECT_EQ(
        common::format_log_line(common::log_format::json, "T", common::log_level::info, "access", fields),
        "{\"time\":\"T\",\"level\":\"info\",\"msg\":\"access\",\"remote\":\"1.2.3.4:5555\",\"method\":"
        "\"GET\","
        "\"target\":\"/scim/v2/Users?filter=userName eq \\\"?\\\"\",\"status\":\"200\",\"bytes\":\"123\","
        "\"latency_ms\":\"0.42\",\"tenant\":\"acme\",\"request_id\":\"c0ffee\"}\n");
}

TEST(AccessLog, EmptyFieldsAreDashes) {
    const auto d = describe_access({.remote = "[::1]:80", .status = 400});
    EXPECT_EQ(d.values, (std::array<std::string, 8>{"[::1]:80", "-", "-", "400", "0", "0.00", "-", "-"}));
}

TEST(AccessLog, ARequestIdIsTheClientsWhenSafeElseRandom) {
    EXPECT_EQ(choose_request_id("trace-1.2:3@x_Y"), "trace-1.2:3@x_Y");
    for (std::optional<std::string_view> bad :
         {std::optional<std::string_view>(), std::optional<std::string_view>(""),
          std::optional<std::string_view>("a b"), std::optional<std::string_view>("x\r\nSet-Cookie: y"),
          std::optional<std::string_view>(
              std::string_view("0123456789012345678901234567890123456789012345678901234567890123456"))}) {
        const auto id = choose_request_id(bad);
        EXPECT_EQ(id.size(), 16u);
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    }
    EXPECT_NE(choose_request_id(std::nullopt), choose_request_id(std::nullopt));
}

TEST(AccessLog, ShowsControlAndNonAsciiBytesAsHex) {
    EXPECT_EQ(escape_for_log("a\nb\r\x01\x7f\xc3\xa9\\\"", 512), "a\\x0ab\\x0d\\x01\\x7f\\xc3\\xa9\\\"");
    // The writer then quotes what a value holds, so no value forges a field or a line.
    const common::log_field f[] = {{"target", "/x\" forged=1\nnext"}};
    EXPECT_EQ(common::format_log_line(common::log_format::logfmt, "T", common::log_level::info, "m", f),
              "time=T level=info msg=m target=\"/x\\\" forged=1\\nnext\"\n");
}

TEST(AccessLog, TruncatesTargetTo512Bytes) {
    const std::string target = "/" + std::string(1000, 'a');
    const auto d = describe_access({.remote = "r", .method = "GET", .target = target, .status = 200});
    EXPECT_EQ(d.values[2], "/" + std::string(511, 'a') + "...");
}

TEST(AccessLog, RedactsFilterValuesAndUnknownParameters) {
    struct {
        std::string_view target;
        std::string_view logged;
    } cases[] = {
        {"/scim/v2/Users", "/scim/v2/Users"},
        {"/scim/v2/Users?", "/scim/v2/Users?"},
        {"/scim/v2/Users?filter=userName%20eq%20%22bjensen%40example.com%22&count=10",
         "/scim/v2/Users?filter=userName eq \"?\"&count=10"},
        {"/scim/v2/Users?filter=userName+eq+%22a%5C%22b%22+and+active+eq+true",
         "/scim/v2/Users?filter=userName eq \"?\" and active eq ?"},
        {"/scim/v2/Users?filter=emails%5Btype%20eq%20%22work%22%20and%20value%20co%20%22%40ex%22%5D",
         "/scim/v2/Users?filter=emails[type eq \"?\" and value co \"?\"]"},
        {"/scim/v2/Users?filter=not%20(title%20pr)%20or%20meta.lastModified%20gt%202011-05-13T04:42:34Z",
         "/scim/v2/Users?filter=not (title pr) or meta.lastModified gt ?"},
        {"/scim/v2/Users?filter=userName%20eq%20bjensen%40example.com",
         "/scim/v2/Users?filter=userName eq ?"},
        {"/scim/v2/Users?FILTER=userName%20EQ%20%22x%22", "/scim/v2/Users?FILTER=userName EQ \"?\""},
        {"/scim/v2/Users?startIndex=2&sortBy=userName&sortOrder=descending&attributes=userName,emails",
         "/scim/v2/Users?startIndex=2&sortBy=userName&sortOrder=descending&attributes=userName,emails"},
        {"/admin/v1/users?search=bjensen%40example.com&limit=5", "/admin/v1/users?search=?&limit=5"},
        {"/x?flag&filter=%ZZ", "/x?flag&filter=?"},
    };
    for (const auto& c : cases) EXPECT_EQ(redact_target(c.target), c.logged) << c.target;
}

TEST(AccessLog, NoFilterValueReachesTheLine) {
    const std::string line =
        describe_access({.remote = "r",
                         .method = "GET",
                         .target = "/scim/v2/Users?filter=emails.value%20eq%20%22x%40y.z%22",
                         .status = 200})
            .values[2];
    EXPECT_EQ(line.find("x@y"), std::string::npos) << line;
    EXPECT_EQ(line.find("%40"), std::string::npos) << line;
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
