#include "config/byte_size.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::config {
namespace {

TEST(ParseByteSize, AcceptsBytesAndBinaryUnits) {
    const std::pair<const char*, std::size_t> cases[] = {
        {"1", 1},
        {"1048576", 1048576},
        {"16KiB", 16 * 1024},
        {"1MiB", 1024 * 1024},
        {"2GiB", std::size_t{2} << 30},
    };
    for (const auto& [text, expected] : cases) {
        SCOPED_TRACE(text);
        auto s = parse_byte_size(text);
        ASSERT_TRUE(s.has_value()) << s.error().message;
        EXPECT_EQ(*s, expected);
    }
}

TEST(ParseByteSize, RejectsOtherForms) {
    const std::pair<const char*, const char*> cases[] = {
        {"0", "is zero"},
        {"0KiB", "is zero"},
        {"-1", "is negative"},
        {"1MB", "unknown unit 'MB'"},
        {"1kb", "unknown unit 'kb'"},
        {"1 MiB", "space before the unit"},
        {"1.5MiB", "not a whole number"},
        {"", "is empty"},
        {"MiB", "does not start with a number"},
        {"99999999999999999999999", "too large"},
        {"17179869184GiB", "too large"},
    };
    for (const auto& [text, problem] : cases) {
        SCOPED_TRACE(text);
        auto s = parse_byte_size(text);
        ASSERT_FALSE(s.has_value());
        EXPECT_NE(s.error().message.find(problem), std::string::npos) << s.error().message;
        EXPECT_NE(s.error().message.find("KiB, MiB or GiB"), std::string::npos) << s.error().message;
    }
}

}  // namespace
}  // namespace dirsync::config
