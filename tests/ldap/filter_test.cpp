#include "ldap/filter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::ldap {
namespace {

// A compact rendering of a parsed filter, to compare whole trees in one string:
// & | ! with children in parentheses; items as attr op value with decoded bytes shown as <xx> when not
// printable; substrings as attr=ini*any*fin; extensible as attr:dn:rule:=value.
std::string render(const filter& f) {
    auto show = [](const std::string& v) {
        static constexpr char hex[] = "0123456789abcdef";
        std::string out;
        for (unsigned char c : v) {
            if (c < 0x20 || c >= 0x7f || c == '<' || c == '>') {
                out += '<';
                out += hex[c >> 4];
                out += hex[c & 15];
                out += '>';
            } else {
                out += static_cast<char>(c);
            }
        }
        return out;
    };
    using k = filter::kind;
    std::string out = "(";
    switch (f.type) {
        case k::and_:
        case k::or_:
        case k::not_:
            out += f.type == k::and_ ? "&" : f.type == k::or_ ? "|" : "!";
            for (const auto& c : f.children) out += render(c);
            break;
        case k::equality:
            out += f.attribute + "=" + show(f.value);
            break;
        case k::greater_or_equal:
            out += f.attribute + ">=" + show(f.value);
            break;
        case k::less_or_equal:
            out += f.attribute + "<=" + show(f.value);
            break;
        case k::approx:
            out += f.attribute + "~=" + show(f.value);
            break;
        case k::present:
            out += f.attribute + "=*";
            break;
        case k::substring:
            out += f.attribute + "=" + (f.initial ? show(*f.initial) : "") + "*";
            for (const auto& a : f.any) out += show(a) + "*";
            out += f.final_part ? show(*f.final_part) : "";
            break;
        case k::extensible:
            out += f.attribute + (f.dn_attributes ? ":dn" : "") +
                   (f.matching_rule.empty() ? "" : ":" + f.matching_rule) + ":=" + show(f.value);
            break;
    }
    return out + ")";
}

struct good_case {
    const char* text;
    const char* rendered;
};

class GoodFilter : public ::testing::TestWithParam<good_case> {};

TEST_P(GoodFilter, ParsesToTheExpectedTree) {
    auto parsed = parse_filter(GetParam().text);
    ASSERT_TRUE(parsed.has_value()) << GetParam().text << ": " << parsed.error().message << " at "
                                    << parsed.error().position;
    EXPECT_EQ(render(*parsed), GetParam().rendered) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    LdapFilter, GoodFilter,
    ::testing::Values(
        good_case{"(uid=jdoe)", "(uid=jdoe)"}, good_case{"(objectClass=*)", "(objectClass=*)"},
        good_case{"(cn=Jo*)", "(cn=Jo*)"}, good_case{"(cn=*doe)", "(cn=*doe)"},
        good_case{"(cn=*o*)", "(cn=*o*)"}, good_case{"(cn=J*o*h*n)", "(cn=J*o*h*n)"},
        good_case{"(uidNumber>=1000)", "(uidNumber>=1000)"},
        good_case{"(uidNumber<=1000)", "(uidNumber<=1000)"}, good_case{"(sn~=smith)", "(sn~=smith)"},
        good_case{"(&(objectClass=inetOrgPerson)(!(employeeType=contractor)))",
                  "(&(objectClass=inetOrgPerson)(!(employeeType=contractor)))"},
        good_case{"(|(a=1)(b=2)(c=3))", "(|(a=1)(b=2)(c=3))"}, good_case{"(&(a=1))", "(&(a=1))"},
        good_case{"  (&  (a=1)\n  (b=2) )  ", "(&(a=1)(b=2))"}, good_case{"(! (a=1))", "(!(a=1))"},
        good_case{"(cn=a\\2ab)", "(cn=a*b)"}, good_case{"(cn=\\28x\\29)", "(cn=(x))"},
        good_case{"(cn=back\\5cslash)", "(cn=back\\slash)"},
        good_case{"(objectGUID=\\00\\11\\AA\\ff)", "(objectGUID=<00><11><aa><ff>)"},
        good_case{"(cn=caf\xc3\xa9)", "(cn=caf<c3><a9>)"}, good_case{"(cn=with space)", "(cn=with space)"},
        good_case{"(cn=)", "(cn=)"}, good_case{"(mail;lang-en=x)", "(mail;lang-en=x)"},
        good_case{"(2.5.4.3=x)", "(2.5.4.3=x)"},
        good_case{"(userAccountControl:1.2.840.113556.1.4.803:=2)",
                  "(userAccountControl:1.2.840.113556.1.4.803:=2)"},
        good_case{"(cn:caseExactMatch:=Fred)", "(cn:caseExactMatch:=Fred)"},
        good_case{"(cn:=Fred)", "(cn:=Fred)"}, good_case{"(cn:dn:=Fred)", "(cn:dn:=Fred)"},
        good_case{"(cn:dn:2.4.6.8.10:=Dino)", "(cn:dn:2.4.6.8.10:=Dino)"},
        good_case{"(:1.2.3:=x)", "(:1.2.3:=x)"}, good_case{"(:dn:2.4.6.8.10:=x)", "(:dn:2.4.6.8.10:=x)"},
        good_case{"(o:dn:=Ace Industry)", "(o:dn:=Ace Industry)"},
        good_case{"(memberOf:1.2.840.113556.1.4.1941:=cn=g,dc=x)",
                  "(memberOf:1.2.840.113556.1.4.1941:=cn=g,dc=x)"},
        good_case{"(a=x=y)", "(a=x=y)"},
        good_case{"(&(|(a=1)(b=2))(!(&(c=3)(d=*))))", "(&(|(a=1)(b=2))(!(&(c=3)(d=*))))"}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

struct bad_case {
    const char* text;
    std::size_t position;
    const char* message;  ///< a part of the message
};

class BadFilter : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadFilter, IsRejectedAtThePosition) {
    auto parsed = parse_filter(GetParam().text);
    ASSERT_FALSE(parsed.has_value()) << GetParam().text << " parsed as " << render(*parsed);
    EXPECT_EQ(parsed.error().position, GetParam().position)
        << GetParam().text << ": " << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(GetParam().message), std::string::npos)
        << GetParam().text << ": " << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    LdapFilter, BadFilter,
    ::testing::Values(
        bad_case{"", 0, "empty"}, bad_case{"   ", 3, "empty"}, bad_case{"uid=x", 0, "must be in parentheses"},
        bad_case{"(uid=x", 6, "missing ')'"}, bad_case{"(uid=x))", 7, "after the end of the filter"},
        bad_case{"(uid=x)(cn=y)", 7, "after the end of the filter"},
        bad_case{"(&)", 2, "at least one (filter) after '&'"},
        bad_case{"(|)", 2, "at least one (filter) after '|'"},
        bad_case{"(!)", 2, "expected one (filter) after '!'"}, bad_case{"(!(a=1)(b=2))", 7, "expected ')'"},
        bad_case{"(=x)", 1, "expected an attribute name"}, bad_case{"()", 1, "expected an attribute name"},
        bad_case{"(uid)", 4, "expected '=', '>=', '<=', '~=' or ':='"},
        bad_case{"(uid>1)", 4, "expected '='"},
        bad_case{"(_uid=1)", 1, "expected an attribute name, '&', '|' or '!'"},
        bad_case{"(mail;=x)", 6, "expected an option after ';'"},
        bad_case{"(1=x)", 1, "at least two numbers"}, bad_case{"(1.02=x)", 3, "no leading zero"},
        bad_case{"(1..2=x)", 3, "expected a digit"}, bad_case{"(cn=a(b)", 5, "'(' must be written \\28"},
        bad_case{"(cn=a\\*b)", 5, "two hex digits"}, bad_case{"(cn=a\\2)", 5, "two hex digits"},
        bad_case{"(cn=a\\", 5, "two hex digits"}, bad_case{"(cn>=a*)", 6, "'*' must be written \\2a"},
        bad_case{"(cn~=*)", 5, "'*' must be written \\2a"}, bad_case{"(cn=J**)", 7, "'**'"},
        bad_case{"(cn:=a*)", 6, "'*' must be written"}, bad_case{"(:=x)", 1, "needs a matching rule"},
        bad_case{"(cn:dn)", 6, "expected ':='"}, bad_case{"(cn::=x)", 4, "expected a matching rule"},
        bad_case{"(cn:rule=x)", 8, "expected ':=' after the matching rule 'rule'"},
        bad_case{"(&(a=1)", 7, "missing ')'"}, bad_case{"(a=1", 4, "missing ')'"},
        bad_case{"(&(a=1)x)", 7, "expected ')' but found 'x'"}));

TEST(LdapFilter, NulMustBeEscaped) {
    using namespace std::string_literals;
    auto parsed = parse_filter(
        "(cn=a\0\x01"
        "b)"s);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().position, 5u);
    EXPECT_NE(parsed.error().message.find("NUL"), std::string::npos) << parsed.error().message;
    auto control = parse_filter(
        "(cn=a\x01"
        "b)"s);
    ASSERT_TRUE(control.has_value());
    EXPECT_EQ(control->value,
              "a\x01"
              "b"s);
}

// Built by hand: a filter nested deeper than the limit is refused, not a stack overflow.
TEST(LdapFilter, DepthIsLimited) {
    std::string deep;
    for (std::size_t i = 0; i < max_filter_depth + 1; ++i) deep += "(!";
    deep += "(a=1)";
    for (std::size_t i = 0; i < max_filter_depth + 1; ++i) deep += ")";
    auto parsed = parse_filter(deep);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_NE(parsed.error().message.find("nests deeper"), std::string::npos);

    std::string fine;
    for (std::size_t i = 0; i + 1 < max_filter_depth; ++i) fine += "(!";
    fine += "(a=1)";
    for (std::size_t i = 0; i + 1 < max_filter_depth; ++i) fine += ")";
    EXPECT_TRUE(parse_filter(fine).has_value());
}

TEST(LdapFilter, PositionsOfComponentsPointAtTheirParenthesis) {
    auto parsed = parse_filter("(&(a=1) (!(b=2)))");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->position, 0u);
    ASSERT_EQ(parsed->children.size(), 2u);
    EXPECT_EQ(parsed->children[0].position, 2u);
    EXPECT_EQ(parsed->children[1].position, 8u);
    EXPECT_EQ(parsed->children[1].children[0].position, 10u);
}

}  // namespace
}  // namespace dirsync::ldap
