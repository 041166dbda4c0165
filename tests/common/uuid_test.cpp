#include "common/uuid.hpp"

#include <gtest/gtest.h>

#include <set>

namespace dirsync::common {

TEST(Uuid, RandomIsVersion4AndUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto u = random_uuid();
        ASSERT_TRUE(is_uuid(u)) << u;
        EXPECT_EQ(u[14], '4');
        EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
        EXPECT_TRUE(seen.insert(u).second);
    }
}

TEST(Uuid, RecognisesCanonicalFormOnly) {
    EXPECT_TRUE(is_uuid("0E9B4B7C-1D2A-4C3B-8F00-123456789ABC"));
    EXPECT_FALSE(is_uuid("0e9b4b7c1d2a4c3b8f00123456789abc"));
    EXPECT_FALSE(is_uuid("not-a-uuid"));
}

}  // namespace dirsync::common
