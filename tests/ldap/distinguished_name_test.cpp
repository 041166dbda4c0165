#include "ldap/distinguished_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::ldap {
namespace {

struct dn_case {
    const char* dn;
    const char* normalized;
};

class NormalizeDn : public ::testing::TestWithParam<dn_case> {};

TEST_P(NormalizeDn, Form) { EXPECT_EQ(normalize_dn(GetParam().dn), GetParam().normalized) << GetParam().dn; }

INSTANTIATE_TEST_SUITE_P(
    DistinguishedName, NormalizeDn,
    ::testing::Values(
        dn_case{"cn=John,dc=example,dc=com", "cn=john,dc=example,dc=com"},
        dn_case{"CN=John,DC=Example,DC=COM", "cn=john,dc=example,dc=com"},
        dn_case{" cn = John , dc=example , dc=com ", "cn=john,dc=example,dc=com"},
        dn_case{"cn=Smith\\, John,ou=people", "cn=smith\\, john,ou=people"},
        dn_case{"cn=Smith\\2c John,ou=people", "cn=smith\\, john,ou=people"},
        dn_case{"cn=Smith\\2C John,ou=people", "cn=smith\\, john,ou=people"},
        dn_case{"cn=\\ lead,dc=x", "cn=\\ lead,dc=x"}, dn_case{"cn=trail\\ ,dc=x", "cn=trail\\ ,dc=x"},
        dn_case{"cn=a+sn=b,dc=x", "cn=a+sn=b,dc=x"}, dn_case{"sn=b+cn=a,dc=x", "cn=a+sn=b,dc=x"},
        dn_case{"cn=a;dc=x", "cn=a,dc=x"}, dn_case{"cn=caf\xc3\x89,dc=x", "cn=caf\xc3\xa9,dc=x"},
        dn_case{"cn=caf\\c3\\89,dc=x", "cn=caf\xc3\xa9,dc=x"}, dn_case{"cn=\\#hash,dc=x", "cn=\\#hash,dc=x"},
        dn_case{"cn=a\\=b,dc=x", "cn=a\\=b,dc=x"}, dn_case{"uid=jdoe", "uid=jdoe"}, dn_case{"", ""},
        dn_case{"not a dn", "not a dn"}, dn_case{"  NOT A DN  ", "not a dn"}, dn_case{"cn=a,", "cn=a,"},
        dn_case{"2.5.4.3=x,dc=y", "2.5.4.3=x,dc=y"},
        // Around the plain form (one '=' per RDN, letters, digits, "-._@", single inner spaces), which is
        // lower-cased in one pass: each of these must come out as the general path gives it.
        dn_case{"CN=John Smith,OU=Users,DC=Corp", "cn=john smith,ou=users,dc=corp"},
        dn_case{"CN=John  Smith,DC=x", "cn=john  smith,dc=x"}, dn_case{"cn=John ,dc=x", "cn=john,dc=x"},
        dn_case{"cn= John,dc=x", "cn=john,dc=x"}, dn_case{"cn=a=b,dc=x", "cn=a\\=b,dc=x"},
        dn_case{"UID=a@b.c_d-e,DC=x", "uid=a@b.c_d-e,dc=x"}, dn_case{"cn=,dc=x", "cn=,dc=x"},
        dn_case{",cn=A", ",cn=a"}, dn_case{"CN=A,,DC=B", "cn=a,,dc=b"}, dn_case{"c_n=A,dc=x", "c_n=a,dc=x"},
        dn_case{"CN=J\xc3\x96rg,DC=x", "cn=j\xc3\xb6rg,dc=x"}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST(DistinguishedName, SpellingsOfOneNameAreEqual) {
    EXPECT_EQ(normalize_dn("CN=IT Admins, OU=Groups,DC=Example,DC=Com"),
              normalize_dn("cn=it admins,ou=groups,dc=example,dc=com"));
    EXPECT_NE(normalize_dn("cn=it admins,ou=groups,dc=example,dc=com"),
              normalize_dn("cn=it admins,ou=group,dc=example,dc=com"));
}

TEST(DistinguishedName, FirstRdnValue) {
    EXPECT_EQ(first_rdn_value("cn=John Smith,ou=people,dc=example,dc=com"),
              std::optional<std::string>("John Smith"));
    EXPECT_EQ(first_rdn_value("CN=Smith\\, John,OU=x"), std::optional<std::string>("Smith, John"));
    EXPECT_EQ(first_rdn_value("uid=jdoe+cn=x,dc=y"), std::optional<std::string>("jdoe"));
    EXPECT_EQ(first_rdn_value("cn=\\4a\\6fe"), std::optional<std::string>("Joe"));
    EXPECT_FALSE(first_rdn_value("jdoe").has_value());
    EXPECT_FALSE(first_rdn_value("").has_value());
}

TEST(DistinguishedName, ParseGivesRdnsOfDecodedAvas) {
    auto rdns = parse_dn(" UID=jdoe + CN=J\\2c D ,dc=example");
    ASSERT_TRUE(rdns) << rdns.error().message;
    ASSERT_EQ(rdns->size(), 2u);
    ASSERT_EQ((*rdns)[0].size(), 2u);
    EXPECT_EQ((*rdns)[0][0].type, "uid");
    EXPECT_EQ((*rdns)[0][0].value, "jdoe");
    EXPECT_EQ((*rdns)[0][1].type, "cn");
    EXPECT_EQ((*rdns)[0][1].value, "J, D");
    EXPECT_EQ((*rdns)[1][0].value, "example");
    EXPECT_TRUE(parse_dn("   ")->empty());
}

TEST(DistinguishedName, RefusalsSayWhereAndWhy) {
    struct row {
        const char* dn;
        std::size_t position;
        const char* message;
    };
    for (const row& r :
         {row{"cn=a,dc", 5, "expected type=value in 'dc'"}, row{"c n=a", 0, "'c n' is not an attribute type"},
          row{"cn;x=a", 0, "'cn;x' is not an attribute type"}, row{"cn=a\\", 4, "the DN ends with '\\'"},
          row{"cn=a\\4z", 4, "'\\' must be followed by a special character or two hex digits"},
          row{"cn=a,", 4, "the DN ends with a separator"}}) {
        auto parsed = parse_dn(r.dn);
        ASSERT_FALSE(parsed) << r.dn;
        EXPECT_EQ(parsed.error().position, r.position) << r.dn;
        EXPECT_EQ(parsed.error().message, r.message) << r.dn;
    }
}

TEST(DistinguishedName, ConfiguredValuesMustEscapeWhatServersMayNot) {
    for (auto dn : {"ou=people=x,dc=y", "cn=\"q\",dc=y", "cn=<a>,dc=y"}) {
        EXPECT_TRUE(parse_dn(dn, dn_strictness::lenient)) << dn;
        auto strict = parse_dn(dn, dn_strictness::configured);
        ASSERT_FALSE(strict) << dn;
        EXPECT_NE(strict.error().message.find("must be escaped"), std::string::npos) << dn;
    }
    EXPECT_TRUE(parse_dn("ou=people\\=x,dc=y", dn_strictness::configured));
}

}  // namespace
}  // namespace dirsync::ldap
