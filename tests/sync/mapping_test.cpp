#include "sync/mapping.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "entry_fixture.hpp"

namespace dirsync::sync {
namespace {

using testing::jdoe;
using testing::make_entry;

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : "|") + v;
    return out;
}

struct eval_case {
    const char* expression;
    cardinality mode;
    const char* expected;  ///< values joined with '|'; "" for none
    const char* missing = nullptr;
};

constexpr auto one = cardinality::single;
constexpr auto many = cardinality::multiple;

class Evaluate : public ::testing::TestWithParam<eval_case> {};

TEST_P(Evaluate, AgainstTheSamplePerson) {
    const auto& c = GetParam();
    auto compiled = expression::compile(c.expression);
    ASSERT_TRUE(compiled.has_value())
        << c.expression << ": " << compiled.error().message << " at " << compiled.error().position;
    auto result = compiled->evaluate(jdoe(), c.mode);
    EXPECT_EQ(joined(result.values), c.expected) << c.expression;
    if (c.missing == nullptr)
        EXPECT_FALSE(result.missing_required.has_value()) << c.expression << ": " << *result.missing_required;
    else
        EXPECT_EQ(result.missing_required, std::optional<std::string>(c.missing)) << c.expression;
}

INSTANTIATE_TEST_SUITE_P(
    Mapping, Evaluate,
    ::testing::Values(
        // references and literals
        eval_case{"{uid}", one, "jdoe"}, eval_case{"{UID}", one, "jdoe"}, eval_case{"{ uid }", one, "jdoe"},
        eval_case{"{givenName} {sn}", one, "John Doe"}, eval_case{"{givenName}{sn}", one, "JohnDoe"},
        eval_case{"{givenName} {nickName}", one, "John"}, eval_case{"{nickName} {sn}", one, "Doe"},
        eval_case{"{nickName}", one, ""}, eval_case{"{nickName} {displayName}", one, ""},
        eval_case{"({nickName})", one, ""}, eval_case{"prefix-{uid}", one, "prefix-jdoe"},
        eval_case{"{uid}@example.com", one, "jdoe@example.com"}, eval_case{"constant", one, "constant"},
        eval_case{"  spaced constant ", one, "  spaced constant "}, eval_case{"", one, ""},
        eval_case{"{{literal}}", one, "{literal}"}, eval_case{"{{{uid}}}", one, "{jdoe}"},
        eval_case{"a}}b", one, "a}b"}, eval_case{"{dn}", one, "uid=jdoe,ou=people,dc=example,dc=com"},
        eval_case{"{cn;lang-en}", one, ""}, eval_case{"{2.5.4.3}", one, ""},
        eval_case{"caf\xc3\xa9 {uid}", one, "caf\xc3\xa9 jdoe"},
        // multi-valued attributes
        eval_case{"{mail}", one, "John.Doe@Example.com"},
        eval_case{"{mail}", many, "John.Doe@Example.com|jd@example.com"},
        eval_case{"{mail|first}", many, "John.Doe@Example.com"}, eval_case{"{cn}", one, "John Doe"},
        eval_case{"{cn}", many, "John Doe|Johnny"},
        eval_case{"{mail}-{uid}", many, "John.Doe@Example.com-jdoe|jd@example.com-jdoe"},
        eval_case{"{uid}-{mail}", many, "jdoe-John.Doe@Example.com"},
        eval_case{"{nickName}-{mail}", many, ""}, eval_case{"{uid}", many, "jdoe"},
        eval_case{"constant", many, "constant"}, eval_case{"{objectClass|replace \"^.*$\" \"x\"}", many, "x"},
        eval_case{"{objectClass}", many, "top|person|inetOrgPerson"},
        // filters
        eval_case{"{mail|lower}", one, "john.doe@example.com"},
        eval_case{"{mail|upper}", one, "JOHN.DOE@EXAMPLE.COM"},
        eval_case{"{mail|lower}", many, "john.doe@example.com|jd@example.com"},
        eval_case{"{title}", one, "Engineer"}, eval_case{"[{title}]", one, "[  Engineer  ]"},
        eval_case{"[{title|trim}]", one, "[Engineer]"},
        eval_case{"{cn|join \", \"}", one, "John Doe, Johnny"},
        eval_case{"{cn|join \"\"}", one, "John DoeJohnny"},
        eval_case{"{cn|join \", \"}", many, "John Doe, Johnny"},
        eval_case{"{cn|first|upper}", one, "JOHN DOE"},
        eval_case{"{ mail | lower | first }", many, "john.doe@example.com"},
        eval_case{"{nickName|default \"none\"}", one, "none"},
        eval_case{"{nickName|default \"{uid}@example.com\"}", one, "jdoe@example.com"},
        eval_case{"{nickName|default \"{displayName|default \\\"{sn}\\\"}\"}", one, "Doe"},
        eval_case{"{uid|default \"x\"}", one, "jdoe"}, eval_case{"{nickName|default \"\"}", one, ""},
        eval_case{"{nickName|join \",\"}", one, ""},
        eval_case{"{title|trim|default \"none\"}", one, "Engineer"},
        eval_case{"{nickName|default \"say \\\"hi\\\"\"}", one, "say \"hi\""},
        eval_case{"{nickName|default \"a\\\\b\"}", one, "a\\b"},
        eval_case{"{nickName|default \"a\\nb\"}", one, "a\\nb"},
        eval_case{"{mail|replace \"@.*$\" \"\"}", one, "John.Doe"},
        eval_case{"{mail|replace \"^([^.]+)\\.([^@]+)@.*\" \"$2, $1\"}", one, "Doe, John"},
        eval_case{"{uid|replace \"j\" \"J\"}", one, "Jdoe"},
        eval_case{"{uid|replace \"o\" \"0\"}", one, "jd0e"},
        eval_case{"{cn|replace \"o\" \"0\"}", one, "J0hn D0e"},
        eval_case{"{employeeNumber|replace \"\\d\" \"#\"}", one, "####"},
        eval_case{"{uid|replace \"j\" \"$$\"}", one, "$doe"},
        eval_case{"{uid|replace \"j\" \"[$&]\"}", one, "[j]doe"},
        eval_case{"{uid|replace \".*\" \"\"}", one, ""},
        eval_case{"{mail|lower|replace \"@example\\.com$\" \"@corp.example\"}", many,
                  "john.doe@corp.example|jd@corp.example"},
        eval_case{"{ou|lower|replace \" \" \"-\"}", one, "engineering"},
        eval_case{"{manager|rdn}", one, "Jane Roe"}, eval_case{"{dn|rdn}", one, "jdoe"},
        eval_case{"{uid|rdn}", one, ""}, eval_case{"{uid|base64}", one, "amRvZQ=="},
        eval_case{"{sn|base64}", one, "RG9l"}, eval_case{"{givenName|base64}", one, "Sm9obg=="},
        eval_case{"{uid|guid}", one, ""},
        // required
        eval_case{"{uid!}", one, "jdoe"}, eval_case{"{uid !}", one, "jdoe"},
        eval_case{"{nickName!}", one, "", "nickName"}, eval_case{"{uid} {nickName!}", one, "", "nickName"},
        eval_case{"{nickName!} {title2!}", one, "", "nickName"},
        eval_case{"{nickName!|default \"x\"}", one, "x"},
        eval_case{"{nickName|default \"{other!}\"}", one, "", "other"},
        eval_case{"{uid|default \"{other!}\"}", one, "jdoe"}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST(Mapping, RequiredAfterFiltersThatEmptyTheValue) {
    // `!` goes right after the name; a pipeline that empties the value makes a required reference missing.
    auto compiled = expression::compile("{title! | replace \"^.*$\" \"\"}");
    ASSERT_TRUE(compiled.has_value()) << compiled.error().message;
    auto result = compiled->evaluate(jdoe());
    EXPECT_TRUE(result.values.empty());
    EXPECT_EQ(result.missing_required, std::optional<std::string>("title"));
}

TEST(Mapping, CaseFiltersHandleNonAscii) {
    auto e =
        make_entry("cn=x", {{"cn", {"\xc3\x89LODIE \xc3\x9f"}}, {"sn", {"\xc3\xa9lodie \xc3\xbf \xc3\xb7"}}});
    EXPECT_EQ(expression::compile("{cn|lower}")->evaluate(e).values,
              std::vector<std::string>{"\xc3\xa9lodie \xc3\x9f"});
    EXPECT_EQ(expression::compile("{sn|upper}")->evaluate(e).values,
              std::vector<std::string>{"\xc3\x89LODIE \xc5\xb8 \xc3\xb7"});
}

TEST(Mapping, GuidAndBase64OfBinaryValues) {
    std::string guid_bytes("\x33\x22\x11\x00\x55\x44\x77\x66\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
    auto e = make_entry("cn=x", {{"objectGUID", {guid_bytes}}, {"photo", {std::string("\x00\xff\x10", 3)}}});
    EXPECT_EQ(expression::compile("{objectGUID|guid}")->evaluate(e).values,
              std::vector<std::string>{"00112233-4455-6677-8899-aabbccddeeff"});
    EXPECT_EQ(expression::compile("{objectGUID|base64}")->evaluate(e).values,
              std::vector<std::string>{"MyIRAFVEd2aImaq7zN3u/w=="});
    EXPECT_EQ(expression::compile("{photo|base64}")->evaluate(e).values, std::vector<std::string>{"AP8Q"});
    EXPECT_TRUE(expression::compile("{photo|guid}")->evaluate(e).values.empty());
}

TEST(Mapping, EmptyAttributeValuesAreAbsentValues) {
    auto e = make_entry("cn=x", {{"a", {""}}, {"b", {"", "second"}}});
    EXPECT_TRUE(expression::compile("{a}")->evaluate(e).values.empty());
    EXPECT_EQ(expression::compile("{a!}")->evaluate(e).missing_required, std::optional<std::string>("a"));
    EXPECT_EQ(expression::compile("{b}")->evaluate(e).values, std::vector<std::string>{"second"});
    EXPECT_EQ(expression::compile("{a|default \"d\"}")->evaluate(e).values, std::vector<std::string>{"d"});
}

TEST(Mapping, ReplaceLeavesVeryLongValuesAlone) {
    std::string long_value(5000, 'a');
    auto e = make_entry("cn=x", {{"description", {long_value}}, {"short", {"aaa"}}});
    auto compiled = expression::compile("{description|replace \"a\" \"b\"}");
    ASSERT_TRUE(compiled.has_value());
    EXPECT_EQ(compiled->evaluate(e).values, std::vector<std::string>{long_value});
    EXPECT_EQ(expression::compile("{short|replace \"a\" \"b\"}")->evaluate(e).values,
              std::vector<std::string>{"bbb"});
}

TEST(Mapping, AttributesAreListedForTheReader) {
    auto compiled = expression::compile("{givenName} {SN|default \"{uid}\"} {dn} {cn;lang-en}");
    ASSERT_TRUE(compiled.has_value());
    EXPECT_EQ(compiled->attributes(), (std::vector<std::string>{"cn;lang-en", "givenname", "sn", "uid"}));
    EXPECT_FALSE(compiled->is_constant());
    auto constant = expression::compile("just {{text}}");
    ASSERT_TRUE(constant.has_value());
    EXPECT_TRUE(constant->attributes().empty());
    EXPECT_TRUE(constant->is_constant());
    EXPECT_EQ(constant->text(), "just {{text}}");
    EXPECT_TRUE(expression::compile("{dn}")->attributes().empty());
}

TEST(Mapping, CompiledOnceEvaluatedManyTimes) {
    auto compiled = expression::compile("{uid|replace \"(\\w)(\\w*)\" \"$2$1\"}");
    ASSERT_TRUE(compiled.has_value());
    auto copy = *compiled;
    for (int i = 0; i < 100; ++i) {
        auto e = make_entry("cn=x", {{"uid", {"user" + std::to_string(i)}}});
        EXPECT_EQ(copy.evaluate(e).values, std::vector<std::string>{"ser" + std::to_string(i) + "u"});
    }
}

// -----------------------------------------------------------------------------------------------------------
// Errors point at the offending character

struct error_case {
    const char* expression;
    std::size_t position;
    const char* message;
};

class CompileError : public ::testing::TestWithParam<error_case> {};

TEST_P(CompileError, IsReportedAtThePosition) {
    const auto& c = GetParam();
    auto compiled = expression::compile(c.expression);
    ASSERT_FALSE(compiled.has_value()) << c.expression;
    EXPECT_EQ(compiled.error().position, c.position) << c.expression << ": " << compiled.error().message;
    EXPECT_NE(compiled.error().message.find(c.message), std::string::npos)
        << c.expression << ": " << compiled.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Mapping, CompileError,
    ::testing::Values(
        error_case{"{uid", 0, "unclosed '{'"}, error_case{"x {uid|lower", 2, "unclosed '{'"},
        error_case{"{", 0, "unclosed '{'"}, error_case{"{}", 0, "empty reference '{}'"},
        error_case{"{ }", 0, "empty reference"}, error_case{"}", 0, "write }} for a literal '}'"},
        error_case{"a}b", 1, "must be doubled"}, error_case{"{uid}}", 5, "must be doubled"},
        error_case{"{u id}", 3, "expected '|' or '}' in the reference but found 'i'"},
        error_case{"{uid x}", 5, "expected '|' or '}'"}, error_case{"{uid!!}", 5, "expected '|' or '}'"},
        error_case{"{-uid}", 1, "'-uid' is not an attribute name"},
        error_case{"{1uid}", 1, "is not an attribute name"},
        error_case{"{uid;}", 1, "is not an attribute name"},
        error_case{"{1.}", 1, "is not an attribute name"},
        error_case{"{@uid}", 1, "expected an attribute name after '{' but found '@'"},
        error_case{"{uid|lowr}", 5,
                   "unknown filter 'lowr' (filters: lower, upper, trim, first, join, default, "
                   "replace, rdn, guid, base64)"},
        error_case{"{uid|}", 5, "expected a filter name after '|'"},
        error_case{"{uid| }", 6, "expected a filter name"},
        error_case{"{uid|join}", 5, "filter 'join' takes 1 argument (join \"separator\"), got 0"},
        error_case{"{uid|lower \"x\"}", 5, "filter 'lower' takes no argument (lower), got 1"},
        error_case{"{uid|replace \"a\"}", 5,
                   "filter 'replace' takes 2 arguments (replace \"regex\" \"replacement\"), "
                   "got 1"},
        error_case{"{uid|default}", 5, "filter 'default' takes 1 argument"},
        error_case{"{uid|replace \"(\" \"x\"}", 13, "invalid regular expression"},
        error_case{"{uid|replace \"[a-\" \"x\"}", 13, "invalid regular expression"},
        error_case{"{uid|default \"x}", 13, "unterminated string"},
        error_case{"{uid|lower \"a}", 11, "unterminated string"},
        error_case{"{uid|default \"{nick\"}", 14, "unclosed '{'"},
        error_case{"{uid|default \"ab{x|bad}\"}", 19, "unknown filter 'bad'"},
        error_case{"{uid|default \"\\\"{x|bad}\"}", 19, "unknown filter 'bad'"},
        error_case{"{uid|default \"}\"}", 14, "must be doubled"},
        error_case{"{uid|default \"x\" \"y\"}", 5, "takes 1 argument"},
        error_case{"{title|replace \".*\" \"\"!}", 22, "expected '|' or '}'"}));

TEST(Mapping, DefaultArgumentsNestOnlySoDeep) {
    // Each level quotes the previous expression as the argument of default.
    auto quote = [](const std::string& text) {
        std::string out = "\"";
        for (char c : text) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        return out + "\"";
    };
    std::string e = "{a}";
    for (int level = 0; level < 7; ++level) e = "{b|default " + quote(e) + "}";
    EXPECT_TRUE(expression::compile(e).has_value());
    e = "{b|default " + quote(e) + "}";
    auto deep = expression::compile(e);
    ASSERT_FALSE(deep.has_value());
    EXPECT_NE(deep.error().message.find("nest too deeply"), std::string::npos) << deep.error().message;
}

}  // namespace
}  // namespace dirsync::sync
