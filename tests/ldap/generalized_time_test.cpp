#include "ldap/generalized_time.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/clock.hpp"

namespace dirsync::ldap {
namespace {

struct valid_case {
    const char* text;
    const char* utc;  ///< format_generalized_time of the parsed value
};

TEST(GeneralizedTime, ParsesWhatDirectoriesWrite) {
    const valid_case cases[] = {
        {"20240131235959Z", "20240131235959Z"},         // OpenLDAP, 389-DS
        {"20240131235959.0Z", "20240131235959Z"},       // Active Directory
        {"20240131235959.987654Z", "20240131235959Z"},  // fractions are truncated
        {"20240131235959,5Z", "20240131235959Z"},
        {"202401312359Z", "20240131235900Z"},        // no seconds
        {"20240201003000+0100", "20240131233000Z"},  // differential: local time ahead of UTC
        {"20240131233000-0130", "20240201010000Z"},
        {"20240131233000+01", "20240131223000Z"},  // hours-only differential
        {"20240229120000Z", "20240229120000Z"},    // leap day
        {"20161231235960Z", "20161231235959Z"},    // leap second: the last second of the minute
        {"19700101000000Z", "19700101000000Z"},
    };
    for (const auto& c : cases) {
        auto t = parse_generalized_time(c.text);
        ASSERT_TRUE(t) << c.text;
        EXPECT_EQ(format_generalized_time(*t), c.utc) << c.text;
    }
}

TEST(GeneralizedTime, KeepsMillisecondsOfTheLastUnitGiven) {
    struct {
        const char* text;
        const char* rfc3339;
    } cases[] = {
        {"20240131235959Z", "2024-01-31T23:59:59.000Z"},
        {"20240131235959.0Z", "2024-01-31T23:59:59.000Z"},
        {"20240131235959.987654Z", "2024-01-31T23:59:59.987Z"},  // truncated, not rounded
        {"20240131235959,5Z", "2024-01-31T23:59:59.500Z"},
        {"202401312359.5Z", "2024-01-31T23:59:30.000Z"},  // half a minute
        {"2024013112Z", "2024-01-31T12:00:00.000Z"},      // hour only
        {"2024013112.25Z", "2024-01-31T12:15:00.000Z"},   // a quarter of an hour
        {"2024013112,5+0100", "2024-01-31T11:30:00.000Z"},
        {"20240131123456.123456789999Z", "2024-01-31T12:34:56.123Z"},
    };
    for (const auto& c : cases) {
        auto t = parse_generalized_time_ms(c.text);
        ASSERT_TRUE(t) << c.text;
        EXPECT_EQ(common::format_rfc3339(*t), c.rfc3339) << c.text;
    }
    EXPECT_EQ(parse_generalized_time("2024013112.5Z"), parse_generalized_time("20240131123000Z"));
    EXPECT_FALSE(parse_generalized_time_ms("2024013112.Z"));
    EXPECT_FALSE(parse_generalized_time_ms("202401311Z"));
}

TEST(GeneralizedTime, RefusesMalformedOrAmbiguousTimes) {
    for (const char* text :
         {"", "2024", "20240131235959", "20241331000000Z", "20230229000000Z", "20240131240000Z",
          "20240131236000Z", "20240131235961Z", "20240131235959.Z", "20240131235959ZZ", "20240131235959+2400",
          "20240131235959+0160", "2024013123595Z", "x0240131235959Z", "20240131235959 Z"})
        EXPECT_FALSE(parse_generalized_time(text)) << text;
}

TEST(GeneralizedTime, OrdersLikeTime) {
    auto a = parse_generalized_time("20240131235959Z");
    auto b = parse_generalized_time("20240201000000.5Z");
    ASSERT_TRUE(a && b);
    EXPECT_LT(*a, *b);
    EXPECT_EQ(*b - *a, std::chrono::seconds(1));
}

}  // namespace
}  // namespace dirsync::ldap
