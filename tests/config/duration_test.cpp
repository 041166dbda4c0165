#include "config/duration.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::config {
namespace {

using namespace std::chrono_literals;

struct good_case {
    const char* text;
    std::chrono::milliseconds expected;
};

TEST(ParseDuration, AcceptsEveryUnit) {
    const good_case cases[] = {
        {"500ms", 500ms}, {"1ms", 1ms}, {"10s", 10s},   {"15m", 15min},
        {"1h", 1h},       {"7d", 168h}, {"0010s", 10s}, {"86400000ms", 24h},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto d = parse_duration(c.text);
        ASSERT_TRUE(d.has_value()) << d.error().message;
        EXPECT_EQ(*d, c.expected);
    }
}

struct bad_case {
    const char* text;
    const char* problem;  // substring of the message
};

TEST(ParseDuration, RejectsOtherFormsAndExplainsTheAcceptedOnes) {
    const bad_case cases[] = {
        {"10", "has no unit"},
        {"10 s", "has a space before the unit"},
        {"-5s", "is negative"},
        {"0s", "is zero"},
        {"0ms", "is zero"},
        {"10x", "unknown unit 'x'"},
        {"10S", "unknown unit 'S'"},
        {"10sec", "unknown unit 'sec'"},
        {"1.5s", "is not a whole number"},
        {"", "is empty"},
        {"s", "does not start with a number"},
        {"+5s", "does not start with a number"},
        {" 5s", "does not start with a number"},
        {"10s ", "unknown unit"},
        {"1h30m", "unknown unit 'h30m'"},
        {"99999999999999999999d", "is too large"},
        {"200000000000000d", "is too large"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto d = parse_duration(c.text);
        ASSERT_FALSE(d.has_value());
        EXPECT_NE(d.error().message.find(c.problem), std::string::npos) << d.error().message;
        EXPECT_NE(d.error().message.find("500ms, 10s, 15m, 1h, 7d"), std::string::npos) << d.error().message;
    }
}

TEST(ParseDuration, ValueThrowsForAnError) {
    EXPECT_THROW((void)parse_duration("10").value(), std::invalid_argument);
}

}  // namespace
}  // namespace dirsync::config
