#include "common/base64.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

// RFC 4648 section 10 test vectors.
struct vector_case {
    const char* bytes;
    const char* padded;
    const char* unpadded;
};
constexpr vector_case rfc4648[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64, EncodesAndDecodesTheRfc4648Vectors) {
    for (const auto& c : rfc4648) {
        EXPECT_EQ(encode_base64(c.bytes), c.padded);
        EXPECT_EQ(encode_base64(c.bytes, base64_padding::none), c.unpadded);
        EXPECT_EQ(decode_base64(c.padded), std::string(c.bytes)) << c.padded;
        EXPECT_EQ(decode_base64(c.unpadded, base64_padding::none), std::string(c.bytes)) << c.unpadded;
    }
}

TEST(Base64, RoundTripsEveryByteValue) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const auto bytes = all.substr(all.size() - n);
        EXPECT_EQ(decode_base64(encode_base64(bytes)), bytes);
        EXPECT_EQ(decode_base64(encode_base64(bytes, base64_padding::none), base64_padding::none), bytes);
    }
    EXPECT_EQ(encode_base64("\xfb\xff"), "+/8=");
}

TEST(Base64, RefusesWhatIsNotCanonical) {
    for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n",
                            "Z=g=", "Zm-v", "Zm_v", "Zm9vY", "=Zm9"})
        EXPECT_FALSE(decode_base64(bad).has_value()) << bad;
    for (const char* bad : {"Zg==", "Zh", "Zm9", "Zm9vY", "Zm9v=", "Z", "Zm 9"})
        EXPECT_FALSE(decode_base64(bad, base64_padding::none).has_value()) << bad;
}

}  // namespace
}  // namespace dirsync::common
