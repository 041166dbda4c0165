#include "ldap/secret.hpp"

#include <gtest/gtest.h>

#include <type_traits>
#include <utility>

namespace dirsync::ldap {
namespace {

template <class T>
concept streamable = requires(std::ostream& os, const T& t) {
    os << t;
};

TEST(Secret, HoldsTheValueAndCannotBeStreamed) {
    static_assert(!streamable<secret>);
    static_assert(!std::is_convertible_v<secret, std::string>);
    static_assert(!std::is_convertible_v<std::string, secret>);
    const secret s(std::string("hunter2"));
    EXPECT_EQ(s.reveal(), "hunter2");
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(secret().empty());
}

TEST(Secret, CopiesAndMovesCarryTheValue) {
    secret a(std::string("a long password that does not fit the short string buffer"));
    secret b = a;
    EXPECT_EQ(b.reveal(), a.reveal());
    secret c = std::move(a);
    EXPECT_EQ(c.reveal(), b.reveal());
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    secret d(std::string("short"));
    d = std::move(c);
    EXPECT_EQ(d.reveal(), b.reveal());
    EXPECT_TRUE(c.empty());  // NOLINT(bugprone-use-after-move)
    d = b;
    EXPECT_EQ(d.reveal(), b.reveal());
}

}  // namespace
}  // namespace dirsync::ldap
