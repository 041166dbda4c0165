#include "ldap/attribute_description.hpp"

#include <gtest/gtest.h>

namespace dirsync::ldap {
namespace {

TEST(AttributeDescription, DescrAndNumericOidWithOrWithoutOptions) {
    for (auto ok : {"mail", "cn", "userCertificate;binary", "2.5.4.3", "1.3.6.1.4.1.42.2", "x-custom-Attr2",
                    "a;lang-en;x"})
        EXPECT_TRUE(is_attribute_description(ok)) << ok;
    EXPECT_FALSE(is_attribute_description("member;range=0-10"));
    for (auto bad : {"", "1mail", "mail;", "ma il", "2", "2.5.", ".2.5", "2..5", "02.5", "2.05.4", "-cn",
                     "cn;;x", "m\xc3\xa4il"})
        EXPECT_FALSE(is_attribute_description(bad)) << bad;
}

TEST(AttributeDescription, TypesHaveNoOptions) {
    EXPECT_TRUE(is_attribute_type("cn"));
    EXPECT_TRUE(is_attribute_type("0.9.2342.19200300.100.1.25"));
    EXPECT_FALSE(is_attribute_type("cn;lang-en"));
    EXPECT_FALSE(is_attribute_type(""));
}

TEST(AttributeDescription, ScanStopsAtTheEndOfTheDescriptionAndExplains) {
    auto n = scan_attribute_description("mail=x", true, "attribute description");
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 4u);
    n = scan_attribute_description("=x", true, "attribute description");
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);  // nothing there: the caller says what it expected
    n = scan_attribute_description("2.05=x", false, "matching rule");
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().position, 2u);
    EXPECT_EQ(n.error().message, "a number in a numeric OID has no leading zero");
    n = scan_attribute_description("cn;=x", true, "attribute description");
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().message, "expected an option after ';' in the attribute description");
}

TEST(AttributeDescription, LowercaseIsAsciiOnly) {
    EXPECT_EQ(lowercase_attribute("objectGUID"), "objectguid");
}

}  // namespace
}  // namespace dirsync::ldap
