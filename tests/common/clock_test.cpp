#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace dirsync::common {

TEST(Clock, FormatsUtcWithMilliseconds) {
    EXPECT_EQ(format_rfc3339(from_epoch_ms(0)), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(from_epoch_ms(1'700'000'000'123)), "2023-11-14T22:13:20.123Z");
}

TEST(Clock, ParsesOffsetsAsInstants) {
    auto a = parse_rfc3339("2023-11-14T22:13:20Z");
    auto b = parse_rfc3339("2023-11-14T23:13:20+01:00");
    auto c = parse_rfc3339("2023-11-14T17:13:20.000-05:00");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(*a, *c);
    EXPECT_EQ(to_epoch_ms(*parse_rfc3339("2023-11-14T22:13:20.5Z")), 1'700'000'000'500);
}

TEST(Clock, RejectsMalformed) {
    for (const char* s :
         {"", "2023-11-14", "2023-11-14T22:13:20", "2023-13-14T22:13:20Z", "2023-02-30T00:00:00Z",
          "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20Zjunk", "2023-11-14T22:13:20+0100"})
        EXPECT_FALSE(parse_rfc3339(s)) << s;
}

}  // namespace dirsync::common
