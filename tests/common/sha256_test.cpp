#include "common/sha256.hpp"

#include <gtest/gtest.h>

namespace dirsync::common {

TEST(Sha256, KnownVector) {
    EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HexRoundTripAcceptsEitherCase) {
    auto d = sha256("token");
    auto upper = to_hex(d);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto parsed = digest_from_hex(upper);
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(digest_equal(*parsed, d));
}

TEST(Sha256, RejectsMalformedHex) {
    EXPECT_FALSE(digest_from_hex(""));
    EXPECT_FALSE(digest_from_hex(std::string(63, 'a')));
    EXPECT_FALSE(digest_from_hex(std::string(65, 'a')));
    EXPECT_FALSE(digest_from_hex(std::string(63, 'a') + "g"));
}

TEST(Sha256, DigestEqualDetectsAnyDifference) {
    auto a = sha256("x");
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto b = a;
        b[i] ^= 1;
        EXPECT_FALSE(digest_equal(a, b)) << i;
    }
    EXPECT_TRUE(digest_equal(a, a));
}

}  // namespace dirsync::common
