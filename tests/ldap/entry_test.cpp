#include "ldap/entry.hpp"

#include <gtest/gtest.h>

namespace dirsync::ldap {
namespace {

TEST(Entry, LooksUpAttributesInAnyCase) {
    entry e;
    e.dn = "cn=x";
    e.attributes["objectguid"] = {std::string("\x00\x01", 2)};
    e.attributes["mail"] = {"a@example.com", "b@example.com"};
    ASSERT_NE(e.find("objectGUID"), nullptr);
    EXPECT_EQ(e.find("OBJECTGUID")->front(), std::string("\x00\x01", 2));
    EXPECT_EQ(e.first("Mail"), "a@example.com");
    EXPECT_EQ(e.find("sn"), nullptr);
    EXPECT_EQ(e.first("sn"), "");
}

TEST(Entry, AnAttributeWithoutValuesHasNoFirst) {
    entry e;
    e.attributes["member"] = {};
    ASSERT_NE(e.find("member"), nullptr);
    EXPECT_EQ(e.first("member"), "");
}

TEST(LowercaseAttribute, OnlyAsciiLetters) {
    EXPECT_EQ(lowercase_attribute("userCertificate;Binary"), "usercertificate;binary");
    EXPECT_EQ(lowercase_attribute("1.2.840.113556.1.4.2"), "1.2.840.113556.1.4.2");
}

}  // namespace
}  // namespace dirsync::ldap
