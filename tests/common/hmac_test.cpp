#include "common/hmac.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

struct rfc4231_case {
    const char* name;
    std::string key;
    std::string data;
    const char* mac;  // hex; test case 5 gives only the first 128 bits
};

std::string bytes(std::size_t n, char c) { return std::string(n, c); }

std::string counting_key() {
    std::string k;
    for (int i = 1; i <= 25; ++i) k.push_back(static_cast<char>(i));
    return k;
}

}  // namespace

TEST(HmacSha256, Rfc4231TestVectors) {
    const rfc4231_case cases[] = {
        {"1", bytes(20, '\x0b'), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"2", "Jefe", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"3", bytes(20, '\xaa'), bytes(50, '\xdd'),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {"4", counting_key(), bytes(50, '\xcd'),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {"5", bytes(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
        {"6", bytes(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {"7", bytes(131, '\xaa'),
         "This is a test using a larger than block-size key and a larger than block-size data. The key needs "
         "to "
         "be hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (const auto& c : cases) {
        const std::string expected = c.mac;
        EXPECT_EQ(hmac_sha256_hex(c.key, c.data).substr(0, expected.size()), expected)
            << "test case " << c.name;
    }
}

TEST(HmacSha256, EmptyKeyAndData) {
    EXPECT_EQ(hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256, HexMatchesDigest) {
    EXPECT_EQ(hmac_sha256_hex("key", "data"), to_hex(hmac_sha256("key", "data")));
    EXPECT_NE(hmac_sha256_hex("key", "data"), hmac_sha256_hex("key2", "data"));
}

}  // namespace dirsync::common
