#include "config/address.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::config {
namespace {

struct good_case {
    const char* text;
    const char* host;
    std::uint16_t port;
};

TEST(ParseListenAddress, AcceptsLiteralsAndLocalhost) {
    const good_case cases[] = {
        {"127.0.0.1:8080", "127.0.0.1", 8080},
        {"0.0.0.0:443", "0.0.0.0", 443},
        {"[::1]:8080", "::1", 8080},
        {"[::]:0", "::", 0},
        {"[2001:db8::1]:65535", "2001:db8::1", 65535},
        {"localhost:8080", "localhost", 8080},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto a = parse_listen_address(c.text);
        ASSERT_TRUE(a.has_value()) << a.error().message;
        EXPECT_EQ(a->host, c.host);
        EXPECT_EQ(a->port, c.port);
    }
}

TEST(ParseListenAddress, RejectsMalformedAddresses) {
    const std::pair<const char*, const char*> cases[] = {
        {"8080", "has no port"},
        {"localhost", "has no port"},
        {"host:", "has no port after ':'"},
        {"host:99999", "out of range (0-65535)"},
        {"host:65536", "out of range"},
        {"host:80a", "invalid port '80a'"},
        {"host:-1", "invalid port"},
        {"[::1", "missing the ']'"},
        {"[::1]", "has no port"},
        {"[::1]8080", "unexpected text after ']'"},
        {"[::1]:", "has no port after ':'"},
        {"[not-ipv6]:80", "invalid IPv6 address 'not-ipv6'"},
        {"::1:8080", "IPv6 address without brackets"},
        {":8080", "has no host"},
        {"256.1.1.1:80", "invalid host '256.1.1.1'"},
        {"bad_host:80", "invalid host 'bad_host'"},
        {"-bad:80", "invalid host"},
        {"a..b:80", "invalid host"},
        {"scim.example.com:443", "names host 'scim.example.com', but only an IP address or localhost"},
        {"host-1:80", "names host 'host-1'"},
        {"", "is empty"},
    };
    for (const auto& [text, problem] : cases) {
        SCOPED_TRACE(text);
        auto a = parse_listen_address(text);
        ASSERT_FALSE(a.has_value());
        EXPECT_NE(a.error().message.find(problem), std::string::npos) << a.error().message;
    }
}

}  // namespace
}  // namespace dirsync::config
