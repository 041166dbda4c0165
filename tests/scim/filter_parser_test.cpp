#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "scim/attribute_path.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {
namespace {

// -----------------------------------------------------------------------------------------------------------
// Accepted filters and their canonical rendering
// -----------------------------------------------------------------------------------------------------------

struct accept_case {
    std::string text;
    std::string canonical;
};

std::ostream& operator<<(std::ostream& os, const accept_case& c) { return os << c.text; }

const std::vector<accept_case> accept_cases = {
    // RFC 7644 §3.4.2.2 examples.
    {R"(userName eq "bjensen")", R"(userName eq "bjensen")"},
    {R"(name.familyName co "O'Malley")", R"(name.familyName co "O'Malley")"},
    {R"(userName sw "J")", R"(userName sw "J")"},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")",
     R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")"},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O'Malley")",
     R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O'Malley")"},
    {R"(title pr)", R"(title pr)"},
    {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", R"(meta.lastModified gt "2011-05-13T04:42:34Z")"},
    {R"(meta.lastModified ge "2011-05-13T04:42:34Z")", R"(meta.lastModified ge "2011-05-13T04:42:34Z")"},
    {R"(meta.lastModified lt "2011-05-13T04:42:34Z")", R"(meta.lastModified lt "2011-05-13T04:42:34Z")"},
    {R"(meta.lastModified le "2011-05-13T04:42:34Z")", R"(meta.lastModified le "2011-05-13T04:42:34Z")"},
    {R"(title pr and userType eq "Employee")", R"(title pr and userType eq "Employee")"},
    {R"(title pr or userType eq "Intern")", R"(title pr or userType eq "Intern")"},
    {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")",
     R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")"},
    {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
     R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))"},
    {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))",
     R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))"},
    {R"(userType eq "Employee" and (emails.type eq "work"))",
     R"(userType eq "Employee" and emails.type eq "work")"},
    {R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])",
     R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])"},
    {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
     R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])"},
    {R"(userName Eq "john")", R"(userName eq "john")"},
    {R"(Username eq "john")", R"(Username eq "john")"},
    // RFC 7644 §3.4.3 and §3.5.2 (PATCH paths are filters with a trailing sub-attribute, errata 7122).
    {R"(displayName sw "smith")", R"(displayName sw "smith")"},
    {R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])",
     R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])"},
    {R"(emails[type eq "work"])", R"(emails[type eq "work"])"},
    {R"(addresses[type eq "work"].streetAddress)", R"(addresses[type eq "work"].streetAddress)"},
    {R"(members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName)",
     R"(members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName)"},
    // Errata 7322: parentheses inside a value filter.
    {R"(emails[type eq "work" or (type eq "home" and value ew "@example.com")])",
     R"(emails[type eq "work" or type eq "home" and value ew "@example.com"])"},
    {R"(emails[(type eq "work" or type eq "home") and value ew "@example.com"])",
     R"(emails[(type eq "work" or type eq "home") and value ew "@example.com"])"},
    {R"(emails[not (type eq "work")])", R"(emails[not (type eq "work")])"},
    // Errata 7319: "not" with or without a space before "(".
    {R"(not(title pr))", R"(not (title pr))"},
    {R"(not   (title pr))", R"(not (title pr))"},
    {R"(NOT (title pr))", R"(not (title pr))"},
    // Microsoft's reference SCIM client requests: comparison values without quotes, a word or a date-time.
    {R"(userName sw O)", R"(userName sw "O")"},
    {R"(name.familyName eq Employee)", R"(name.familyName eq "Employee")"},
    {R"(userName eq bjensen and active eq true)", R"(userName eq "bjensen" and active eq true)"},
    {R"(emails[type eq work])", R"(emails[type eq "work"])"},
    {R"(name.familyName co O'Malley)", R"(name.familyName co "O'Malley")"},
    {R"(meta.created gt 2015-10-10T14:38:21.8617979-07:00)",
     R"(meta.created gt "2015-10-10T14:38:21.8617979-07:00")"},
    {R"(meta.lastModified ge 2011-05-13T04:42:34Z)", R"(meta.lastModified ge "2011-05-13T04:42:34Z")"},
    {R"(userName eq truex)", R"(userName eq "truex")"},  // a word, not the literal true
    {R"(emails.value eq AlexW@contoso.com)", R"(emails.value eq "AlexW@contoso.com")"},
    // Microsoft Entra ID provisioning.
    {R"(userName eq "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e")",
     R"(userName eq "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e")"},
    {R"(userName eq "AlexW@contoso.onmicrosoft.com")", R"(userName eq "AlexW@contoso.onmicrosoft.com")"},
    {R"(externalId eq "0a21f0f2-8d2a-4f8e-bf98-7b2bfff39c31")",
     R"(externalId eq "0a21f0f2-8d2a-4f8e-bf98-7b2bfff39c31")"},
    {R"(displayName eq "Group Name")", R"(displayName eq "Group Name")"},
    {R"(id eq "40734ae8-2c56-4c5d-a1a4-05b1d54c1c2b" and members eq "3b2e5c6a-0cf1-4cc6-9a34-9a5c2e0e1f00")",
     R"(id eq "40734ae8-2c56-4c5d-a1a4-05b1d54c1c2b" and members eq "3b2e5c6a-0cf1-4cc6-9a34-9a5c2e0e1f00")"},
    {R"(emails[type eq "work"].value eq "una@sipesbarton.info")",
     R"(emails[type eq "work"].value eq "una@sipesbarton.info")"},
    // Okta.
    {R"(userName eq "isaac.brock@example.com")", R"(userName eq "isaac.brock@example.com")"},
    {R"(displayName eq "Okta Group")", R"(displayName eq "Okta Group")"},
    // Fully qualified extension attributes (the URN's "2.0" holds a dot).
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")",
     R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")"},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")",
     R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")"},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[value eq "x"])",
     R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[value eq "x"])"},
    {R"(urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User:costCenterCode eq "x")",
     R"(urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User:costCenterCode eq "x")"},
    // Every operator.
    {R"(a eq "x")", R"(a eq "x")"},
    {R"(a ne "x")", R"(a ne "x")"},
    {R"(a co "x")", R"(a co "x")"},
    {R"(a sw "x")", R"(a sw "x")"},
    {R"(a ew "x")", R"(a ew "x")"},
    {R"(a gt "x")", R"(a gt "x")"},
    {R"(a ge "x")", R"(a ge "x")"},
    {R"(a lt "x")", R"(a lt "x")"},
    {R"(a le "x")", R"(a le "x")"},
    {R"(a pr)", R"(a pr)"},
    {R"(a EQ "x")", R"(a eq "x")"},
    {R"(a Ne "x")", R"(a ne "x")"},
    {R"(a CO "x")", R"(a co "x")"},
    {R"(a sW "x")", R"(a sw "x")"},
    {R"(a EW "x")", R"(a ew "x")"},
    {R"(a GT 1)", R"(a gt 1)"},
    {R"(a GE 1)", R"(a ge 1)"},
    {R"(a LT 1)", R"(a lt 1)"},
    {R"(a LE 1)", R"(a le 1)"},
    {R"(a PR)", R"(a pr)"},
    {R"(a Pr and b pR)", R"(a pr and b pr)"},
    // Values.
    {R"(active eq true)", R"(active eq true)"},
    {R"(active eq TRUE)", R"(active eq true)"},
    {R"(active eq False)", R"(active eq false)"},
    {R"(title eq null)", R"(title eq null)"},
    {R"(title ne NULL)", R"(title ne null)"},
    {R"(n eq 42)", R"(n eq 42)"},
    {R"(n eq -7)", R"(n eq -7)"},
    {R"(n eq 0)", R"(n eq 0)"},
    {R"(n eq -0)", R"(n eq 0)"},
    {R"(n eq 3.14)", R"(n eq 3.14)"},
    {R"(n eq -0.5)", R"(n eq -0.5)"},
    {R"(n eq 1e3)", R"(n eq 1000.0)"},
    {R"(n eq 1E+3)", R"(n eq 1000.0)"},
    {R"(n eq 25e-1)", R"(n eq 2.5)"},
    {R"(n eq 9223372036854775807)", R"(n eq 9223372036854775807)"},
    {R"(n eq -9223372036854775808)", R"(n eq -9223372036854775808)"},
    {R"(n eq 18446744073709551615)", R"(n eq 18446744073709551615)"},
    {R"(n eq 100000000000000000000)", R"(n eq 1e+20)"},
    {R"(a eq "")", R"(a eq "")"},
    {R"(a eq "say \"hi\"")", R"(a eq "say \"hi\"")"},
    {R"(a eq "back\\slash")", R"(a eq "back\\slash")"},
    {R"(a eq "\/path\/")", R"(a eq "/path/")"},
    {R"(a eq "tab\there")", R"(a eq "tab\there")"},
    {R"(a eq "\b\f\n\r")", R"(a eq "\b\f\n\r")"},
    {R"(a eq "\u00e9t\u00C9")", "a eq \"\xC3\xA9t\xC3\x89\""},
    {R"(a eq "\u20AC")", "a eq \"\xE2\x82\xAC\""},
    {R"(a eq "\ud83d\ude00")", "a eq \"\xF0\x9F\x98\x80\""},
    {R"(a eq "\u0001")", R"(a eq "\u0001")"},
    {"a eq \"J\xC3\xB6rg M\xC3\xBCller\"", "a eq \"J\xC3\xB6rg M\xC3\xBCller\""},
    {"a eq \"\xE5\xB1\xB1\xE7\x94\xB0\"", "a eq \"\xE5\xB1\xB1\xE7\x94\xB0\""},
    {R"(a eq "with ) and ] and ( inside")", R"(a eq "with ) and ] and ( inside")"},
    {R"(a eq "and or not pr")", R"(a eq "and or not pr")"},
    // Attribute names.
    {R"(members[$ref eq "https://example.com/v2/Users/1"])",
     R"(members[$ref eq "https://example.com/v2/Users/1"])"},
    {R"(groups.$ref pr)", R"(groups.$ref pr)"},
    {R"($REF pr)", R"($REF pr)"},
    {R"(x-custom_attr1 eq "x")", R"(x-custom_attr1 eq "x")"},
    {R"(URN:IETF:params:scim:schemas:core:2.0:User:USERNAME eq "x")",
     R"(URN:IETF:params:scim:schemas:core:2.0:User:USERNAME eq "x")"},
    {R"(not eq "x")", R"(not eq "x")"},
    {R"(not pr)", R"(not pr)"},
    {R"(and pr)", R"(and pr)"},
    {R"(or eq 1)", R"(or eq 1)"},
    {R"(pr pr)", R"(pr pr)"},
    // Whitespace leniency.
    {"  userName   eq    \"x\"  ", R"(userName eq "x")"},
    {"userName\teq\t\"x\"", R"(userName eq "x")"},
    {"userName eq \"x\"\r\n", R"(userName eq "x")"},
    {R"(userName eq"x")", R"(userName eq "x")"},
    {R"((a pr)and(b pr))", R"(a pr and b pr)"},
    {R"(( a pr ))", R"(a pr)"},
    {R"(emails[ type eq "work" ])", R"(emails[type eq "work"])"},
    {R"(emails [type eq "work"])", R"(emails[type eq "work"])"},
    {R"(not ( a pr ) )", R"(not (a pr))"},
    {R"(emails[type eq "work"].value   eq   "x")", R"(emails[type eq "work"].value eq "x")"},
    // Precedence and grouping.
    {R"(a pr or b pr and c pr)", R"(a pr or b pr and c pr)"},
    {R"(a pr and b pr or c pr)", R"(a pr and b pr or c pr)"},
    {R"(a pr or (b pr and c pr))", R"(a pr or b pr and c pr)"},
    {R"((a pr and b pr) or c pr)", R"(a pr and b pr or c pr)"},
    {R"((a pr or b pr) and c pr)", R"((a pr or b pr) and c pr)"},
    {R"(a pr and (b pr or c pr))", R"(a pr and (b pr or c pr))"},
    {R"((a pr or b pr) or c pr)", R"(a pr or b pr or c pr)"},
    {R"(a pr or (b pr or c pr))", R"(a pr or (b pr or c pr))"},
    {R"(a pr and (b pr and c pr))", R"(a pr and (b pr and c pr))"},
    {R"(((a pr)))", R"(a pr)"},
    {R"(a pr and b pr and c pr and d pr)", R"(a pr and b pr and c pr and d pr)"},
    {R"(a pr or b pr and c pr or d pr)", R"(a pr or b pr and c pr or d pr)"},
    {R"(not (a pr) and b pr)", R"(not (a pr) and b pr)"},
    {R"(not (not (a pr)))", R"(not (not (a pr)))"},
    {R"(not (a pr or b pr) or not (c pr and d pr))", R"(not (a pr or b pr) or not (c pr and d pr))"},
    {R"((a pr or b pr) and (c pr or d pr))", R"((a pr or b pr) and (c pr or d pr))"},
    // Value paths with tails.
    {R"(emails[type eq "work"].value pr)", R"(emails[type eq "work"].value pr)"},
    {R"(emails[type eq "work"].value)", R"(emails[type eq "work"].value)"},
    {R"(emails[type eq "work"].value co "@example.com" and active eq true)",
     R"(emails[type eq "work"].value co "@example.com" and active eq true)"},
    {R"(emails[type eq "work"].value and title pr)", R"(emails[type eq "work"].value and title pr)"},
    {R"(emails[type eq "work"].VALUE EQ "x")", R"(emails[type eq "work"].VALUE eq "x")"},
    {R"(emails[type eq "work" or (type eq "home" and primary eq true)])",
     R"(emails[type eq "work" or type eq "home" and primary eq true])"},
    {R"(emails[value pr] and phoneNumbers[type eq "mobile"])",
     R"(emails[value pr] and phoneNumbers[type eq "mobile"])"},
    {R"(not (emails[type eq "work"]))", R"(not (emails[type eq "work"]))"},
};

class FilterParserAccept : public ::testing::TestWithParam<accept_case> {};

TEST_P(FilterParserAccept, RendersCanonically) {
    const auto& c = GetParam();
    const auto parsed = parse_filter(c.text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(to_string(*parsed), c.canonical);
}

TEST_P(FilterParserAccept, RoundTripsThroughRendering) {
    const auto& c = GetParam();
    const auto parsed = parse_filter(c.text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const std::string rendered = to_string(*parsed);
    const auto reparsed = parse_filter(rendered);
    ASSERT_TRUE(reparsed.has_value()) << rendered << ": " << reparsed.error().message;
    EXPECT_EQ(*reparsed, *parsed) << rendered;
    EXPECT_EQ(to_string(*reparsed), rendered);
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterParserAccept, ::testing::ValuesIn(accept_cases));

// -----------------------------------------------------------------------------------------------------------
// Rejected filters: where and why
// -----------------------------------------------------------------------------------------------------------

struct reject_case {
    std::string text;
    std::size_t position;
    std::string message_part;
};

std::ostream& operator<<(std::ostream& os, const reject_case& c) { return os << c.text; }

const std::vector<reject_case> reject_cases = {
    {"", 0, "empty filter"},
    {"   ", 3, "empty filter"},
    {"userName", 8,
     "expected a comparison operator after 'userName' at position 8, found the end of the filter"},
    {"userName ", 9, "expected a comparison operator after 'userName' at position 9"},
    {R"(userName = "bjensen")", 9,
     "expected a comparison operator after 'userName' at position 9, found '='"},
    {R"(userName equals "x")", 9, "unknown operator 'equals'"},
    {R"(userName === "x")", 9, "expected a comparison operator"},
    {R"(userName eq)", 11, "missing value after 'eq' at position 11"},
    {R"(userName eq )", 12, "missing value after 'eq'"},
    // Bare values are single tokens that start with a letter (or are a date-time); anything more is an error.
    {R"(userName eq x y)", 14, "at position 14"},
    {R"(userName eq _x)", 12, "string values must be quoted: found '_x' at position 12"},
    {R"(userName eq 2015-13-45T99:00:00Z)", 12, "invalid number"},
    {R"(userName eq 'bjensen')", 12, "double quotes"},
    {R"(userName eq "bjensen)", 12, "unterminated string at position 12"},
    {R"(userName eq "bjensen\")", 12, "unterminated string"},
    {R"(userName eq "a\)", 12, "unterminated string"},
    {R"(userName eq "a\qb")", 14, "invalid escape '\\q'"},
    {R"(userName eq "\u12")", 13, "invalid \\u escape"},
    {R"(userName eq "\uZZZZ")", 13, "invalid \\u escape"},
    {R"(userName eq "\ud800")", 13, "unpaired high surrogate"},
    {R"(userName eq "\ud800\u0041")", 13, "unpaired high surrogate"},
    {R"(userName eq "\udc00")", 13, "unpaired low surrogate"},
    {"userName eq \"a\x01\"", 14, "unescaped control character"},
    {"userName eq \"a\nb\"", 14, "unescaped control character"},
    {"userName eq \"\xFF\"", 13, "invalid UTF-8"},
    {"userName eq \"\xC3\"", 13, "invalid UTF-8"},
    {"userName eq \"\xED\xA0\x80\"", 13, "invalid UTF-8"},
    {"userName eq \"\xC0\xAF\"", 13, "invalid UTF-8"},
    {R"(userName eq "a" xyz)", 16,
     "expected 'and', 'or' or the end of the filter at position 16, found 'xyz'"},
    {R"(userName eq "a" "b")", 16, "found a string"},
    {R"(userName eq "a" and)", 19, "expected an attribute path, 'not' or '(' at position 19, found the end"},
    {R"(userName eq "a" or )", 19, "expected an attribute path"},
    {R"(userName eq "a" and "b")", 20, "expected an attribute path before the string value"},
    {R"("x" eq userName)", 0, "expected an attribute path before the string value"},
    {R"((userName eq "a")", 16, "expected 'and', 'or' or ')' (closing the '(' at offset 0) at position 16"},
    {R"(userName eq "a"))", 15, "unbalanced ')' at position 15"},
    {R"(((a pr))", 7, "(closing the '(' at offset 0)"},
    {R"(a pr))", 4, "unbalanced ')'"},
    {R"(emails[type eq "work")", 21,
     "expected 'and', 'or' or ']' (closing the '[' at offset 6) at position 21"},
    {R"(emails[type eq "work"]])", 22, "unbalanced ']'"},
    {R"x(emails[type eq "work")])x", 21, "(closing the '[' at offset "},
    {R"((emails[type eq "work"))", 22, "(closing the '[' at offset "},
    {R"(emails type eq "work"])", 7, "unknown operator 'type'"},
    {R"(emails[type eq "work" and emails[value pr]])", 32, "value paths cannot be nested"},
    {R"(emails[addresses[type eq "work"]])", 16, "value paths cannot be nested"},
    {R"(emails[])", 7, "empty value filter"},
    {R"(emails[  ])", 9, "empty value filter"},
    {R"(())", 1, "empty parentheses"},
    {R"(not ())", 5, "empty parentheses"},
    {R"(not a pr)", 4, "expected '(' after 'not' at position 4, found 'a'"},
    {R"(not)", 3, "expected '(' after 'not'"},
    {R"(title pr "x")", 9, "'pr' takes no value"},
    {R"(title pr true)", 9, "'pr' takes no value"},
    {R"(title pr 5)", 9, "'pr' takes no value"},
    {R"(title pr -5)", 9, "'pr' takes no value"},
    {R"(title pr null)", 9, "'pr' takes no value"},
    {R"(name.familyName.x eq "a")", 15, "more than one sub-attribute level"},
    {R"(1abc eq "x")", 0, "invalid attribute name '1abc'"},
    {R"(name.1x eq "x")", 5, "invalid sub-attribute name '1x'"},
    {R"(name. eq "x")", 5, "invalid sub-attribute name ''"},
    {R"(.name eq "x")", 0, "invalid attribute name ''"},
    {R"(foo:bar eq "x")", 0, "is not a URN"},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User: eq "x")", 43, "missing attribute name after schema URN"},
    {R"(urn::x:userName eq "x")", 3, "empty segment in schema URN"},
    {R"(a and pr pr)", 2, "unknown operator 'and'"},
    {R"(userName eq 01)", 12, "invalid number '01'"},
    {R"(userName eq 1.)", 12, "invalid number '1.'"},
    {R"(userName eq .5)", 12, "string values must be quoted"},
    {R"(userName eq -)", 12, "invalid number '-'"},
    {R"(userName eq 1e)", 12, "invalid number '1e'"},
    {R"(userName eq 1e+)", 12, "invalid number '1e+'"},
    {R"(userName eq 12abc)", 12, "invalid number '12abc'"},
    {R"(userName eq 1.2.3)", 12, "invalid number"},
    {R"(userName eq 1e999)", 12, "out of range"},
    {R"(userName eq +1)", 12, "expected a value"},
    {R"(userName eq {})", 12, "expected a value"},
    {R"(userName eq [1])", 12, "expected a value"},
    {R"(userName eq a/b)", 12, "string values must be quoted: found 'a'"},
    {R"(emails.value[type eq "work"])", 12, "not the sub-attribute 'emails.value'"},
    {R"(emails[type eq "work"].)", 23, "expected a sub-attribute name after '].'"},
    {R"(emails[type eq "work"].value.x)", 23, "invalid sub-attribute name 'value.x'"},
    {R"(emails[type eq "work"].1x)", 23, "invalid sub-attribute name '1x'"},
    {R"(emails[type eq "work"].value eq)", 31, "missing value after 'eq'"},
    {R"(emails[type eq "work"].value pr 1)", 32, "'pr' takes no value"},
    {R"(emails[type eq "work"]x)", 22, "expected 'and', 'or' or the end of the filter"},
    {R"(emails[type eq "work"] eq "x")", 23, "found 'eq'"},
    {R"(userName eq "a" and not (b pr)", 29, "(closing the '(' at offset 24)"},
    {R"(userName eq "a" || b pr)", 16, "found '|'"},
    {R"x(userName eq "x" and ())x", 21, "empty parentheses"},
    {R"x(userName eq "x" and ()x", 21,
     "expected an attribute path, 'not' or '(' at position 21, found the end"},
    {R"([type eq "x"])", 0, "expected an attribute path, 'not' or '(' at position 0, found '['"},
    {R"()", 0, "empty filter"},
    {R"())", 0, "found ')'"},
    {R"(])", 0, "found ']'"},
    {R"(not (a pr) b)", 11, "expected 'and', 'or' or the end"},
    {R"(a eq null null)", 10, "found 'null'"},
    {R"(a gt)", 4, "missing value after 'gt'"},
    {R"(a pr or)", 7, "expected an attribute path"},
    {R"(a eq (1))", 5,
     "expected a value (a quoted string, a number, true, false or null) after 'eq' at position 5"},
    {R"(a eq ))", 5, "missing value after 'eq' at position 5, found ')'"},
    {std::string("userName eq \"a\"\0", 16), 15, "found '\\x00'"},
    {"userName eq \"a\" and \x7F", 20, "found '\\x7f'"},
    {"a eq \"x\" \xC3\xA9", 9,
     "expected 'and', 'or' or the end of the filter at position 9, found '\xC3\xA9'"},
    {"a eq \"x\" \xC3", 9, "found '\\xc3'"},
    {R"(a eq "x" and b eq "y" or c eq "z" and)", 37, "expected an attribute path"},
    {R"(userName sw J*)", 12, "string values must be quoted"},
};

class FilterParserReject : public ::testing::TestWithParam<reject_case> {};

TEST_P(FilterParserReject, ReportsPositionAndReason) {
    const auto& c = GetParam();
    const auto parsed = parse_filter(c.text);
    ASSERT_FALSE(parsed.has_value()) << "accepted as: " << to_string(*parsed);
    EXPECT_EQ(parsed.error().position, c.position) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(c.message_part), std::string::npos)
        << "message: " << parsed.error().message << "\nwanted: " << c.message_part;
    EXPECT_NE(parsed.error().message.find("position " + std::to_string(c.position)), std::string::npos)
        << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterParserReject, ::testing::ValuesIn(reject_cases));

// -----------------------------------------------------------------------------------------------------------
// Tree shape
// -----------------------------------------------------------------------------------------------------------

filter parse_ok(std::string_view text) {
    auto r = parse_filter(text);
    if (!r) ADD_FAILURE() << text << ": " << r.error().message;
    return r ? std::move(*r) : filter{};
}

template <class T>
const T& root_as(const filter& f) {
    return std::get<T>(f.node(f.root()));
}

TEST(FilterParserTree, ComparisonFields) {
    const filter f = parse_ok(R"(name.familyName co "O'Malley")");
    const auto& c = root_as<comparison_node>(f);
    EXPECT_EQ(c.path, (attribute_path{"", "name", "familyName"}));
    EXPECT_EQ(c.op, compare_op::co);
    EXPECT_EQ(c.value, nlohmann::json("O'Malley"));
    EXPECT_EQ(f.size(), 1u);
    EXPECT_EQ(f.position(f.root()), 0u);
}

TEST(FilterParserTree, UrnSplitsAtTheLastColon) {
    const filter f =
        parse_ok(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x")");
    const auto& c = root_as<comparison_node>(f);
    EXPECT_EQ(c.path.schema_urn, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    EXPECT_EQ(c.path.attribute, "manager");
    EXPECT_EQ(c.path.sub_attribute, "value");
}

TEST(FilterParserTree, CoreUrnQualifiedName) {
    const filter f = parse_ok(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen")");
    const auto& c = root_as<comparison_node>(f);
    EXPECT_EQ(c.path, (attribute_path{"urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""}));
}

TEST(FilterParserTree, AndBindsTighterThanOr) {
    const filter f = parse_ok("a pr or b pr and c pr");
    const auto& top = root_as<logical_node>(f);
    EXPECT_EQ(top.op, logical_op::or_);
    EXPECT_EQ(std::get<presence_node>(f.node(top.lhs)).path.attribute, "a");
    const auto& rhs = std::get<logical_node>(f.node(top.rhs));
    EXPECT_EQ(rhs.op, logical_op::and_);
    EXPECT_EQ(std::get<presence_node>(f.node(rhs.lhs)).path.attribute, "b");
    EXPECT_EQ(std::get<presence_node>(f.node(rhs.rhs)).path.attribute, "c");
    EXPECT_EQ(f, parse_ok("a pr or (b pr and c pr)"));
    EXPECT_NE(f, parse_ok("(a pr or b pr) and c pr"));
}

TEST(FilterParserTree, OperatorsAreLeftAssociative) {
    const filter f = parse_ok("a pr and b pr and c pr");
    const auto& top = root_as<logical_node>(f);
    EXPECT_EQ(std::get<presence_node>(f.node(top.rhs)).path.attribute, "c");
    const auto& lhs = std::get<logical_node>(f.node(top.lhs));
    EXPECT_EQ(std::get<presence_node>(f.node(lhs.lhs)).path.attribute, "a");
    EXPECT_EQ(f, parse_ok("(a pr and b pr) and c pr"));
    EXPECT_NE(f, parse_ok("a pr and (b pr and c pr)"));
}

TEST(FilterParserTree, NotBindsTighterThanAnd) {
    const filter f = parse_ok("not (a pr) and b pr");
    const auto& top = root_as<logical_node>(f);
    EXPECT_EQ(top.op, logical_op::and_);
    EXPECT_TRUE(std::holds_alternative<negation_node>(f.node(top.lhs)));
}

TEST(FilterParserTree, ValuePathWithInnerLogic) {
    const filter f = parse_ok(R"(emails[type eq "work" and value co "@example.com"])");
    const auto& vp = root_as<value_path_node>(f);
    EXPECT_EQ(vp.path, (attribute_path{"", "emails", ""}));
    EXPECT_TRUE(vp.sub_attribute.empty());
    EXPECT_FALSE(vp.tail.has_value());
    const auto& inner = std::get<logical_node>(f.node(vp.inner));
    EXPECT_EQ(inner.op, logical_op::and_);
    EXPECT_EQ(std::get<comparison_node>(f.node(inner.lhs)).path.attribute, "type");
}

TEST(FilterParserTree, ValuePathSubAttributeAndTail) {
    const filter f = parse_ok(R"(emails[type eq "work"].value eq "x@example.com")");
    const auto& vp = root_as<value_path_node>(f);
    EXPECT_EQ(vp.sub_attribute, "value");
    ASSERT_TRUE(vp.tail.has_value());
    const auto& tail = std::get<comparison_node>(f.node(*vp.tail));
    EXPECT_EQ(tail.path, (attribute_path{"", "value", ""}));
    EXPECT_EQ(tail.op, compare_op::eq);
    EXPECT_EQ(tail.value, "x@example.com");
    EXPECT_EQ(f.position(*vp.tail), 23u);

    const filter bare = parse_ok(R"(addresses[type eq "work"].streetAddress)");
    const auto& bvp = root_as<value_path_node>(bare);
    EXPECT_EQ(bvp.sub_attribute, "streetAddress");
    EXPECT_FALSE(bvp.tail.has_value());

    const filter presence = parse_ok(R"(emails[type eq "work"].value pr)");
    EXPECT_TRUE(
        std::holds_alternative<presence_node>(presence.node(*root_as<value_path_node>(presence).tail)));
}

TEST(FilterParserTree, ValueTypes) {
    EXPECT_TRUE(root_as<comparison_node>(parse_ok("a eq 42")).value.is_number_integer());
    EXPECT_EQ(root_as<comparison_node>(parse_ok("a eq -42")).value.get<std::int64_t>(), -42);
    EXPECT_TRUE(root_as<comparison_node>(parse_ok("a eq 18446744073709551615")).value.is_number_unsigned());
    EXPECT_TRUE(root_as<comparison_node>(parse_ok("a eq 1.5")).value.is_number_float());
    EXPECT_TRUE(root_as<comparison_node>(parse_ok("a eq 2e2")).value.is_number_float());
    EXPECT_DOUBLE_EQ(root_as<comparison_node>(parse_ok("a eq 2e2")).value.get<double>(), 200.0);
    EXPECT_EQ(root_as<comparison_node>(parse_ok("a eq true")).value, nlohmann::json(true));
    EXPECT_EQ(root_as<comparison_node>(parse_ok("a eq FALSE")).value, nlohmann::json(false));
    EXPECT_TRUE(root_as<comparison_node>(parse_ok("a eq null")).value.is_null());
    EXPECT_EQ(root_as<comparison_node>(parse_ok(R"(a eq "\ud83d\ude00")")).value, "\xF0\x9F\x98\x80");
    EXPECT_EQ(root_as<comparison_node>(parse_ok(R"(a eq "\u0000")")).value.get<std::string>(),
              std::string(1, '\0'));
    EXPECT_EQ(root_as<comparison_node>(parse_ok(R"(a eq "true")")).value, nlohmann::json("true"));
}

TEST(FilterParserTree, PositionsPointAtNodes) {
    const filter f = parse_ok(R"(title pr and  not (userType eq "x"))");
    const auto& top = root_as<logical_node>(f);
    EXPECT_EQ(f.position(top.lhs), 0u);
    EXPECT_EQ(f.position(top.rhs), 14u);
    EXPECT_EQ(f.position(std::get<negation_node>(f.node(top.rhs)).child), 19u);
}

TEST(FilterParserTree, SubtreeExtractsValueFilter) {
    const filter f = parse_ok(R"(userName pr and emails[type eq "work" or primary eq true])");
    const auto& top = root_as<logical_node>(f);
    const filter inner = f.subtree(std::get<value_path_node>(f.node(top.rhs)).inner);
    EXPECT_EQ(to_string(inner), R"(type eq "work" or primary eq true)");
    EXPECT_EQ(inner, parse_ok(R"(type eq "work" or primary eq true)"));
}

TEST(FilterParserTree, CopiesAndMovesAreEqual) {
    const filter f = parse_ok(R"(a pr and (b eq "x" or emails[type eq "work"].value co "y"))");
    filter copy = f;
    EXPECT_EQ(copy, f);
    filter moved = std::move(copy);
    EXPECT_EQ(moved, f);
    EXPECT_EQ(to_string(moved), to_string(f));
}

TEST(FilterParserTree, HandBuiltFilter) {
    filter f;
    EXPECT_TRUE(f.empty());
    EXPECT_EQ(to_string(f), "");
    const node_index a = f.add(presence_node{{"", "title", ""}});
    const node_index b = f.add(comparison_node{{"", "userType", ""}, compare_op::eq, "Employee"});
    f.add(logical_node{logical_op::and_, a, b});
    EXPECT_EQ(to_string(f), R"(title pr and userType eq "Employee")");
    EXPECT_EQ(f, parse_ok(R"(title pr and userType eq "Employee")"));
    EXPECT_THROW(f.add(negation_node{99}), std::invalid_argument);
    EXPECT_THROW(f.set_root(99), std::out_of_range);
}

TEST(FilterParserTree, ResultValueThrowsOnError) {
    const auto r = parse_filter("userName eq");
    ASSERT_FALSE(r);
    EXPECT_THROW((void)r.value(), std::invalid_argument);
}

// -----------------------------------------------------------------------------------------------------------
// Limits
// -----------------------------------------------------------------------------------------------------------

std::string nested_parens(std::size_t n, std::string_view core = "a pr") {
    return std::string(n, '(') + std::string(core) + std::string(n, ')');
}

std::string nested_nots(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "not (";
    s += "a pr";
    s += std::string(n, ')');
    return s;
}

TEST(FilterParserLimits, DepthCountsParentheses) {
    EXPECT_TRUE(parse_filter(nested_parens(32)));
    const auto r = parse_filter(nested_parens(33));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 32u);
    EXPECT_NE(r.error().message.find("nested deeper than the limit of 32"), std::string::npos);
}

TEST(FilterParserLimits, DepthCountsNegations) {
    EXPECT_TRUE(parse_filter(nested_nots(32)));
    const auto r = parse_filter(nested_nots(33));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 32u * 5u + 4u);
}

TEST(FilterParserLimits, DepthCountsValuePaths) {
    EXPECT_TRUE(parse_filter(nested_parens(31, R"(emails[type eq "work"])")));
    const auto r = parse_filter(nested_parens(32, R"(emails[type eq "work"])"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 32u + 6u);
}

TEST(FilterParserLimits, ChainsDoNotCountAsDepth) {
    std::string chain = "a0 pr";
    for (int i = 1; i < 200; ++i) chain += (i % 3 == 0 ? " or a" : " and a") + std::to_string(i) + " pr";
    EXPECT_TRUE(parse_filter(chain));
}

TEST(FilterParserLimits, CustomDepth) {
    EXPECT_TRUE(parse_filter("a pr", filter_limits{4096, 0}));
    EXPECT_FALSE(parse_filter("(a pr)", filter_limits{4096, 0}));
    EXPECT_TRUE(parse_filter(nested_parens(3), filter_limits{4096, 3}));
    EXPECT_FALSE(parse_filter(nested_parens(4), filter_limits{4096, 3}));
}

TEST(FilterParserLimits, DepthIsCappedAt256) {
    const filter_limits generous{1 << 20, 100000};
    EXPECT_TRUE(parse_filter(nested_parens(256), generous));
    const auto r = parse_filter(nested_parens(257), generous);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 256u);
}

TEST(FilterParserLimits, Length) {
    const std::string text = R"(userName eq "abc")";  // 17 bytes
    EXPECT_TRUE(parse_filter(text, filter_limits{17, 32}));
    const auto r = parse_filter(text, filter_limits{16, 32});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 16u);
    EXPECT_NE(r.error().message.find("longer than the limit of 16 bytes"), std::string::npos);

    const std::string big = "userName eq \"" + std::string(5000, 'x') + "\"";
    const auto d = parse_filter(big);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().position, 4096u);
    EXPECT_TRUE(parse_filter(big, filter_limits{10000, 32}));
}

TEST(FilterParserLimits, DefaultsAreNamed) {
    const filter_limits defaults;
    EXPECT_EQ(defaults.max_length, 4096u);
    EXPECT_EQ(defaults.max_depth, 32u);
}

TEST(FilterParserLimits, VeryLongChainsRenderAndCompareWithoutDeepRecursion) {
    std::string chain = R"(id eq "0")";
    for (int i = 1; i < 50000; ++i) chain += R"( or id eq ")" + std::to_string(i) + "\"";
    const auto f = parse_filter(chain, filter_limits{chain.size(), 32});
    ASSERT_TRUE(f);
    EXPECT_EQ(to_string(*f), chain);
    EXPECT_EQ(*f, *f);
}

// -----------------------------------------------------------------------------------------------------------
// Robustness: random and mutated inputs never throw, and whatever parses round-trips.
// -----------------------------------------------------------------------------------------------------------

void check_never_throws(const std::string& text) {
    boost::system::result<filter, filter_error> r = filter_error{};
    ASSERT_NO_THROW(r = parse_filter(text)) << text;
    if (r) {
        const std::string rendered = to_string(*r);
        const auto again = parse_filter(rendered, filter_limits{1 << 20, 32});
        ASSERT_TRUE(again) << text << " -> " << rendered << ": " << again.error().message;
        EXPECT_EQ(*again, *r) << text << " -> " << rendered;
    } else {
        EXPECT_LE(r.error().position, text.size()) << text;
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_NO_THROW((void)nlohmann::json(r.error().message).dump()) << "message is not UTF-8: " << text;
    }
}

TEST(FilterParserFuzz, TokenSoup) {
    const std::vector<std::string> tokens = {"userName",
                                             "emails",
                                             "name.familyName",
                                             "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                                             " ",
                                             " ",
                                             " ",
                                             "eq",
                                             "ne",
                                             "co",
                                             "pr",
                                             "gt",
                                             "and",
                                             "or",
                                             "not",
                                             "(",
                                             ")",
                                             "[",
                                             "]",
                                             ".",
                                             ":",
                                             "\"x\"",
                                             "\"",
                                             "\\",
                                             "\\u",
                                             "d83d",
                                             "true",
                                             "null",
                                             "12",
                                             "-3.5e2",
                                             "$ref",
                                             "value",
                                             "type",
                                             "\t",
                                             "\xC3\xA9",
                                             "\xFF",
                                             "0",
                                             "e",
                                             "+",
                                             "'"};
    std::mt19937 rng(20240501);
    std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
    std::uniform_int_distribution<int> len(1, 14);
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const int n = len(rng);
        for (int k = 0; k < n; ++k) text += tokens[pick(rng)];
        check_never_throws(text);
        if (HasFatalFailure()) return;
    }
}

TEST(FilterParserFuzz, MutatedValidFilters) {
    std::mt19937 rng(7);
    for (const auto& c : accept_cases) {
        for (int i = 0; i < 60; ++i) {
            std::string text = c.text;
            if (text.empty()) continue;
            std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
            switch (i % 3) {
                case 0:
                    text.erase(at(rng), 1);
                    break;
                case 1:
                    text.insert(at(rng), 1, "()[]\" .:\\a"[i % 10]);
                    break;
                default:
                    text[at(rng)] = static_cast<char>(rng() & 0xFF);
                    break;
            }
            check_never_throws(text);
            if (HasFatalFailure()) return;
        }
    }
}

TEST(FilterParserFuzz, RandomBytes) {
    std::mt19937 rng(99);
    std::uniform_int_distribution<int> len(0, 64);
    for (int i = 0; i < 5000; ++i) {
        std::string text(static_cast<std::size_t>(len(rng)), '\0');
        for (auto& ch : text) ch = static_cast<char>(rng() & 0xFF);
        check_never_throws(text);
        if (HasFatalFailure()) return;
    }
}

// -----------------------------------------------------------------------------------------------------------
// Attribute paths on their own
// -----------------------------------------------------------------------------------------------------------

struct path_case {
    std::string text;
    attribute_path expected;
};

std::ostream& operator<<(std::ostream& os, const path_case& c) { return os << c.text; }

class AttributePathParse : public ::testing::TestWithParam<path_case> {};

TEST_P(AttributePathParse, Splits) {
    const auto& c = GetParam();
    const auto p = parse_attribute_path(c.text);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(*p, c.expected);
    EXPECT_EQ(p->to_string(), c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AttributePathParse,
    ::testing::Values(
        path_case{"userName", {"", "userName", ""}}, path_case{"name.givenName", {"", "name", "givenName"}},
        path_case{"$ref", {"", "$ref", ""}}, path_case{"members.$ref", {"", "members", "$ref"}},
        path_case{"urn:ietf:params:scim:schemas:core:2.0:User:userName",
                  {"urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""}},
        path_case{"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
                  {"urn:ietf:params:scim:schemas:core:2.0:User", "name", "familyName"}},
        path_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                  {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"}},
        path_case{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                  {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "employeeNumber", ""}},
        path_case{"a-b_c9", {"", "a-b_c9", ""}}));

TEST(AttributePathParse, RejectsWithOffsets) {
    EXPECT_EQ(parse_attribute_path("").error().position, 0u);
    EXPECT_EQ(parse_attribute_path("a.b.c").error().position, 3u);
    EXPECT_EQ(parse_attribute_path("a.b.c", 100).error().position, 103u);
    EXPECT_NE(parse_attribute_path("a.b.c", 100).error().message.find("at position 103"), std::string::npos);
    EXPECT_FALSE(parse_attribute_path("x:userName"));
    EXPECT_FALSE(parse_attribute_path("urn:"));
    EXPECT_FALSE(parse_attribute_path("user name"));
    EXPECT_FALSE(
        parse_attribute_path("ref"
                             "$"));
    EXPECT_TRUE(is_attribute_name("$Ref"));
    EXPECT_FALSE(is_attribute_name("$other"));
    EXPECT_FALSE(is_attribute_name("_a"));
}

}  // namespace
}  // namespace dirsync::scim
