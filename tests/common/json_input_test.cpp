#include "common/json_input.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

using json = nlohmann::json;

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonInput, ParsesWhatTheDomParserParses) {
    const std::string text =
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","active":true,)"
        R"("n":-3,"u":18446744073709551615,"f":1.5e3,"z":null,"emails":[{"value":"b@example.com"}],)"
        R"("name":{"givenName":"Barbara"},"s":"caf\u00e9 \ud83d\ude00"})";
    auto parsed = parse_json_input(text, {});
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, json::parse(text));
}

TEST(JsonInput, TopLevelScalarsAndEmptyContainers) {
    for (const char* text : {"1", "\"x\"", "null", "true", "[]", "{}", "[[],{}]", " {\"a\":{}} "}) {
        auto parsed = parse_json_input(text, {});
        ASSERT_TRUE(parsed) << text;
        EXPECT_EQ(*parsed, json::parse(text)) << text;
    }
}

TEST(JsonInput, DepthUpToTheLimitIsAccepted) {
    json_input_limits limits{8};
    EXPECT_TRUE(parse_json_input(nested_arrays(8), limits));
    EXPECT_TRUE(parse_json_input(R"({"a":{"b":{"c":[[[[{"d":1}]]]]}}})", limits));
}

TEST(JsonInput, DeeperThanTheLimitIsRefusedWithoutRecursion) {
    json_input_limits limits{8};
    auto nine = parse_json_input(nested_arrays(9), limits);
    ASSERT_FALSE(nine);
    EXPECT_EQ(nine.error().problem, json_input_problem::too_deep);
    EXPECT_NE(nine.error().message.find("8 levels"), std::string::npos) << nine.error().message;

    // Far deeper than any stack would take if a level cost a frame.
    auto huge = parse_json_input(nested_arrays(1'000'000), {});
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error().problem, json_input_problem::too_deep);

    std::string objects;
    for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
    objects += "1" + std::string(100'000, '}');
    auto deep_objects = parse_json_input(objects, {});
    ASSERT_FALSE(deep_objects);
    EXPECT_EQ(deep_objects.error().problem, json_input_problem::too_deep);
}

TEST(JsonInput, NumberOutOfRangeNamesItsAttribute) {
    struct {
        const char* text;
        const char* attribute;
    } cases[] = {
        {R"({"x": 1e999})", "x"},
        {R"({"name":{"givenName":-1e400}})", "name.givenName"},
        {R"({"emails":[{"value":"a"},{"n":2E+999}]})", "emails.n"},
        {R"({"list":[1, 1e999]})", "list"},
        {R"(1e999)", ""},
    };
    for (const auto& c : cases) {
        auto parsed = parse_json_input(c.text, {});
        ASSERT_FALSE(parsed) << c.text;
        EXPECT_EQ(parsed.error().problem, json_input_problem::number_out_of_range) << c.text;
        EXPECT_EQ(parsed.error().attribute, c.attribute) << c.text;
        if (*c.attribute != '\0') {
            EXPECT_NE(parsed.error().message.find(std::string("\"") + c.attribute + "\""), std::string::npos)
                << parsed.error().message;
        }
    }
}

TEST(JsonInput, TheMessageNeverRepeatsAHugeNumberOrName) {
    std::string digits(900'000, '9');
    auto number = parse_json_input("{\"x\": " + digits + "e999}", {});
    ASSERT_FALSE(number);
    EXPECT_LT(number.error().message.size(), 200u);

    std::string name(100'000, 'n');
    auto dup = parse_json_input("{\"" + name + "\":1,\"" + name + "\":2}", {});
    ASSERT_FALSE(dup);
    EXPECT_LT(dup.error().message.size(), 300u);
    EXPECT_LT(dup.error().attribute.size(), 200u);
}

TEST(JsonInput, NamesThatCollideCaseInsensitivelyAreRefused) {
    for (const char* text :
         {R"({"userName":"a","userName":"b"})", R"({"userName":"a","USERNAME":"b"})",
          R"({"name":{"givenName":"a","GivenName":"b"}})", R"({"emails":[{"value":"a","Value":"b"}]})"}) {
        auto parsed = parse_json_input(text, {});
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().problem, json_input_problem::duplicate_key) << text;
    }
    auto nested = parse_json_input(R"({"name":{"givenName":"a","GIVENNAME":"b"}})", {});
    ASSERT_FALSE(nested);
    EXPECT_EQ(nested.error().attribute, "name.GIVENNAME");
}

TEST(JsonInput, TheSameNameInDifferentObjectsIsFine) {
    auto parsed =
        parse_json_input(R"({"value":1,"emails":[{"value":"a"},{"value":"b"}],"x":{"value":2}})", {});
    ASSERT_TRUE(parsed);
    EXPECT_EQ((*parsed)["emails"][1]["value"], "b");
}

TEST(JsonInput, SyntaxErrorsCarryTheirOffset) {
    for (const char* text : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\xff\"", "{'a':1}", "nul"}) {
        auto parsed = parse_json_input(text, {});
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().problem, json_input_problem::syntax) << text;
        EXPECT_NE(parsed.error().message.find("at byte"), std::string::npos) << parsed.error().message;
    }
}

}  // namespace
}  // namespace dirsync::common
