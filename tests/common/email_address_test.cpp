#include "common/email_address.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

TEST(EmailAddress, AcceptsWhatPeopleType) {
    for (const char* ok : {"a@example.com", "first.last@sub.example.co.uk", "o'brien+tag@example.org",
                           "x_y-z@e-x.am-ple.com", "josé@exämple.com", "A@EXAMPLE.COM"})
        EXPECT_TRUE(is_email_address(ok)) << ok;
}

TEST(EmailAddress, RefusesWhatIsNotAnAddress) {
    const std::string long_local(65, 'a');
    const std::string long_label(64, 'b');
    const std::string bad[] = {"",
                               "plain",
                               "@example.com",
                               "a@",
                               "a@localhost",
                               "a@@example.com",
                               "a b@example.com",
                               "a@exa mple.com",
                               ".a@example.com",
                               "a.@example.com",
                               "a..b@example.com",
                               "a@-example.com",
                               "a@example-.com",
                               "a@example..com",
                               "a@.example.com",
                               "a@example.com.",
                               "\"quoted\"@example.com",
                               "a@[127.0.0.1]",
                               "a,b@example.com",
                               long_local + "@example.com",
                               "a@" + long_label + ".com",
                               "a@" + std::string(250, 'c') + ".com"};
    for (const auto& s : bad) EXPECT_FALSE(is_email_address(s)) << s;
}

}  // namespace
}  // namespace dirsync::common
