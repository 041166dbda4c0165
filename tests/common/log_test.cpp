#include "common/log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dirsync::common {
namespace {

TEST(LogLine, LogfmtQuotesOnlyWhatNeedsIt) {
    const log_field fields[] = {{"tenant", "acme"}, {"source", "corp ldap"}, {"empty", ""}, {"q", "a\"b\\c"}};
    EXPECT_EQ(
        format_log_line(log_format::logfmt, "2026-12-05T00:00:00.000Z", log_level::warning, "run 7 blocked",
                        fields),
        "time=2026-12-05T00:00:00.000Z level=warning msg=\"run 7 blocked\" tenant=acme source=\"corp ldap\" "
        "empty=\"\" q=\"a\\\"b\\\\c\"\n");
}

TEST(LogLine, NoValueStartsANewLine) {
    const log_field fields[] = {{"target", "x\nlevel=error msg=forged"}};
    const auto line = format_log_line(log_format::logfmt, "T", log_level::info, "a\rb\nc", fields);
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
}

TEST(LogLine, JsonIsOneObjectPerLine) {
    const log_field fields[] = {{"request_id", "c0ffee"}, {"tenant", "a\"b"}};
    const auto line = format_log_line(log_format::json, "T", log_level::error, "bad \xff byte\nnext", fields);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["time"], "T");
    EXPECT_EQ(j["level"], "error");
    EXPECT_EQ(j["msg"], "bad \xef\xbf\xbd byte\nnext");
    EXPECT_EQ(j["request_id"], "c0ffee");
    EXPECT_EQ(j["tenant"], "a\"b");
}

}  // namespace
}  // namespace dirsync::common
