#include "sync/ldap_filter_match.hpp"

#include <gtest/gtest.h>

#include <string>

#include "entry_fixture.hpp"

namespace dirsync::sync {
namespace {

using testing::make_entry;

ldap::entry_record sample() {
    return make_entry("uid=jdoe,ou=people,dc=example,dc=com",
                      {{"uid", {"jdoe"}},
                       {"cn", {"John Doe", "Johnny"}},
                       {"sn", {"Doe"}},
                       {"objectClass", {"top", "person", "inetOrgPerson"}},
                       {"mail", {"John.Doe@Example.com"}},
                       {"employeeType", {"staff"}},
                       {"uidNumber", {"1042"}},
                       {"userAccountControl", {"514"}},
                       {"nsAccountLock", {"TRUE"}},
                       {"modifyTimestamp", {"20240131120000Z"}},
                       {"memberOf", {"CN=IT Admins, OU=Groups,DC=Example,DC=Com"}},
                       {"description", {"caf\xc3\xa9 \xc3\x89T\xc3\x89"}},
                       {"objectGUID", {std::string("\x01\x02\x41\x42", 4)}},
                       {"cn;lang-en", {"John"}}});
}

struct match_case {
    const char* filter;
    bool expected;
};

class Matches : public ::testing::TestWithParam<match_case> {};

TEST_P(Matches, TheSampleEntry) {
    auto compiled = entry_filter::compile(GetParam().filter);
    ASSERT_TRUE(compiled.has_value()) << GetParam().filter << ": " << compiled.error().message;
    EXPECT_EQ(compiled->matches(sample()), GetParam().expected) << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    LdapFilterMatch, Matches,
    ::testing::Values(
        // equality, case-insensitive
        match_case{"(uid=jdoe)", true}, match_case{"(uid=JDOE)", true}, match_case{"(UID=jdoe)", true},
        match_case{"(uid=jdo)", false}, match_case{"(cn=johnny)", true}, match_case{"(cn=john doe)", true},
        match_case{"(nickName=x)", false}, match_case{"(objectClass=inetorgperson)", true},
        match_case{"(objectClass=groupOfNames)", false}, match_case{"(nsAccountLock=true)", true},
        match_case{"(description=CAF\xc3\x89 \xc3\xa9t\xc3\xa9)", true},
        match_case{"(cn;lang-en=john)", true}, match_case{"(cn;lang-fr=john)", false},
        match_case{"(cn=)", false},
        // presence
        match_case{"(uid=*)", true}, match_case{"(nickName=*)", false}, match_case{"(objectClass=*)", true},
        // substrings
        match_case{"(cn=Jo*)", true}, match_case{"(cn=*doe)", true}, match_case{"(cn=*OHN*)", true},
        match_case{"(cn=J*n*D*e)", true}, match_case{"(cn=J*x*)", false}, match_case{"(cn=*nny)", true},
        match_case{"(mail=*@example.com)", true}, match_case{"(mail=*@example.org)", false},
        match_case{"(cn=John*Doe*)", true}, match_case{"(cn=Jo*hn)", false}, match_case{"(sn=D*oe)", true},
        match_case{"(sn=Do*oe)", false}, match_case{"(uid=*jdoe*)", true},
        // ordering: numeric when both are integers, text otherwise
        match_case{"(uidNumber>=1000)", true}, match_case{"(uidNumber>=999)", true},
        match_case{"(uidNumber<=999)", false}, match_case{"(uidNumber<=1042)", true},
        match_case{"(uidNumber>=10000)", false}, match_case{"(modifyTimestamp>=20240101000000Z)", true},
        match_case{"(modifyTimestamp<=20231231235959Z)", false}, match_case{"(sn>=c)", true},
        match_case{"(sn<=c)", false},
        // approximate: case and spaces ignored
        match_case{"(cn~=johndoe)", true}, match_case{"(cn~=jon doe)", false},
        // DN-valued attributes compare as DNs
        match_case{"(memberOf=cn=it admins,ou=groups,dc=example,dc=com)", true},
        match_case{"(memberOf=cn=IT Admins , ou=Groups, dc=example, dc=com)", true},
        match_case{"(memberOf=cn=it,ou=groups,dc=example,dc=com)", false},
        // binary attributes compare bytes
        match_case{"(objectGUID=\\01\\02\\41\\42)", true}, match_case{"(objectGUID=\\01\\02\\61\\62)", false},
        // extensible
        match_case{"(userAccountControl:1.2.840.113556.1.4.803:=2)", true},
        match_case{"(userAccountControl:1.2.840.113556.1.4.803:=514)", true},
        match_case{"(userAccountControl:1.2.840.113556.1.4.803:=1)", false},
        match_case{"(userAccountControl:1.2.840.113556.1.4.803:=3)", false},
        match_case{"(userAccountControl:1.2.840.113556.1.4.804:=3)", true},
        match_case{"(userAccountControl:1.2.840.113556.1.4.804:=1)", false},
        match_case{"(uid:caseExactMatch:=jdoe)", true}, match_case{"(uid:caseExactMatch:=JDOE)", false},
        match_case{"(uid:2.5.13.5:=jdoe)", true}, match_case{"(uid:caseIgnoreMatch:=JDOE)", true},
        match_case{"(uid:=JDOE)", true},
        // boolean combinations
        match_case{"(&(objectClass=person)(uid=jdoe))", true},
        match_case{"(&(objectClass=person)(uid=x))", false}, match_case{"(|(uid=x)(uid=jdoe))", true},
        match_case{"(|(uid=x)(uid=y))", false}, match_case{"(!(uid=x))", true},
        match_case{"(!(uid=jdoe))", false}, match_case{"(!(nickName=*))", true},
        match_case{"(!(nickName=x))", true},
        match_case{"(&(objectClass=inetOrgPerson)(!(employeeType=contractor)))", true},
        match_case{"(&(objectClass=inetOrgPerson)(!(employeeType=staff)))", false},
        match_case{"(&(|(ou=x)(employeeType=staff))(!(|(uid=a)(uid=b))))", true}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

struct refused_case {
    const char* filter;
    std::size_t position;
    const char* message;
};

class Refused : public ::testing::TestWithParam<refused_case> {};

TEST_P(Refused, AtThePosition) {
    auto compiled = entry_filter::compile(GetParam().filter);
    ASSERT_FALSE(compiled.has_value()) << GetParam().filter;
    EXPECT_EQ(compiled.error().position, GetParam().position) << compiled.error().message;
    EXPECT_NE(compiled.error().message.find(GetParam().message), std::string::npos)
        << compiled.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    LdapFilterMatch, Refused,
    ::testing::Values(
        refused_case{"(&(uid=x)(memberOf:1.2.840.113556.1.4.1941:=cn=g))", 9,
                     "the matching rule '1.2.840.113556.1.4.1941' can only be evaluated by the server"},
        refused_case{"(cn:dn:=x)", 0, "':dn' matches DN components"},
        refused_case{"(:caseExactMatch:=x)", 0, "needs an attribute"},
        refused_case{"(a:1.2.840.113556.1.4.803:=two)", 0, "needs an integer"},
        refused_case{"(a=1", 4, "missing ')'"}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST(LdapFilterMatch, AttributesToRequest) {
    auto f = entry_filter::compile("(&(objectClass=*)(|(UID=a)(mail=*x*))(!(nsAccountLock=true))(cn:=y))");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->attributes(), (std::vector<std::string>{"cn", "mail", "nsaccountlock", "uid"}));
    auto g = entry_filter::compile("(objectClass=person)");
    EXPECT_EQ(g->attributes(), (std::vector<std::string>{"objectclass"}));
    EXPECT_EQ(g->text(), "(objectClass=person)");
}

TEST(LdapFilterMatch, EmptyEntryMatchesOnlyNegationsAndObjectClassPresence) {
    ldap::entry_record empty;
    EXPECT_TRUE(entry_filter::compile("(objectClass=*)")->matches(empty));
    EXPECT_FALSE(entry_filter::compile("(uid=*)")->matches(empty));
    EXPECT_TRUE(entry_filter::compile("(!(uid=*))")->matches(empty));
    EXPECT_FALSE(entry_filter::compile("(uidNumber>=0)")->matches(empty));
}

}  // namespace
}  // namespace dirsync::sync
