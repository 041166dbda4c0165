#include "resource/canonical.hpp"

#include <gtest/gtest.h>

namespace dirsync::resource {
namespace {

using nlohmann::json;

TEST(Canonicalize, SpellsNamesAsTheSchemaAndTypesValues) {
    auto c = canonicalize(json::parse(R"({
        "Schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "USERNAME": "bjensen", "Active": "True", "id": "ignored", "meta": {"version": "W/\"1\""},
        "name": {"GivenName": "Barbara", "familyName": null},
        "emails": {"Value": "b@example.com", "primary": "true"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": 42,
        "x-unknown": {"kept": true}})"),
                          user_resource_schema());
    ASSERT_TRUE(c) << c.error().message;
    const json expected = json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "userName": "bjensen", "active": true, "name": {"givenName": "Barbara"},
        "emails": [{"value": "b@example.com", "primary": true}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "42"},
        "x-unknown": {"kept": true}})");
    EXPECT_EQ(*c, expected) << c->dump(2);
}

TEST(Canonicalize, CanonicalInputComesBackUnchanged) {
    // The directory relies on this: it checks what it stores by canonicalising it again.
    const json canonical = json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:other:Thing"],
        "userName": "bjensen", "active": false, "name": {"givenName": "Barbara"},
        "emails": [{"value": "b@example.com", "type": "work", "primary": true}, {"value": "c@example.com"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m1"}},
        "urn:other:Thing": {"a": 1}})");
    auto c = canonicalize(canonical, user_resource_schema());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(*c, canonical);
    auto again = canonicalize(*c, user_resource_schema(), {.drop_elements_without_value = true});
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, canonical);
}

TEST(Canonicalize, ElementsWithoutValueAreDroppedOnlyWhenAsked) {
    const json mapped = json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a",
        "emails": [{"type": "work", "primary": true}, {"type": "home", "value": "h@example.com"}]})");
    auto kept = canonicalize(mapped, user_resource_schema());
    ASSERT_TRUE(kept);
    EXPECT_EQ((*kept)["emails"].size(), 2u);
    auto dropped = canonicalize(mapped, user_resource_schema(), {.drop_elements_without_value = true});
    ASSERT_TRUE(dropped);
    EXPECT_EQ((*dropped)["emails"], json::parse(R"([{"type": "home", "value": "h@example.com"}])"));
    auto none_left = canonicalize(json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "a", "emails": [{"type": "work"}]})"),
                                  user_resource_schema(), {.drop_elements_without_value = true});
    ASSERT_TRUE(none_left);
    EXPECT_FALSE(none_left->contains("emails"));
}

TEST(Canonicalize, ProblemsSayWhatAndWhere) {
    auto not_object = canonicalize(json::array(), user_resource_schema());
    ASSERT_FALSE(not_object);
    EXPECT_EQ(not_object.error().what, invalid_resource::kind::syntax);
    EXPECT_EQ(not_object.error().message, "a User must be a JSON object");

    auto wrong_type = canonicalize(
        json::parse(
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "name": {"givenName": true}})"),
        user_resource_schema());
    ASSERT_FALSE(wrong_type);
    EXPECT_EQ(wrong_type.error().what, invalid_resource::kind::value);
    EXPECT_EQ(wrong_type.error().message, "name.givenName must be a string, not a boolean");

    auto no_core =
        canonicalize(json::parse(R"({"schemas": ["urn:x:y"], "userName": "a"})"), user_resource_schema());
    ASSERT_FALSE(no_core);
    EXPECT_EQ(no_core.error().message, "schemas must include \"urn:ietf:params:scim:schemas:core:2.0:User\"");

    auto password = canonicalize(
        json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "password": "x"})"),
        user_resource_schema());
    ASSERT_FALSE(password);
    EXPECT_NE(password.error().message.find("password is not accepted in a stored resource"),
              std::string::npos);

    auto group = canonicalize(json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]})"),
                              group_resource_schema());
    ASSERT_FALSE(group);
    EXPECT_EQ(group.error().message, "schemas must include \"urn:ietf:params:scim:schemas:core:2.0:Group\"");
}

TEST(Canonicalize, WithoutTypeConversionsClientSpellingsOfTypesAreRefused) {
    const canonical_options strict{.convert_types = false};
    const auto refused = [&](const char* text) {
        auto c = canonicalize(json::parse(text), user_resource_schema(), strict);
        return c ? std::string("accepted") : c.error().message;
    };
    EXPECT_EQ(refused(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": "True"})"),
              "active must be a boolean, not a string");
    EXPECT_EQ(refused(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 42})"),
              "userName must be a string, not an integer");
    EXPECT_EQ(
        refused(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "emails": {"value": "a"}})"),
        "emails must be an array, not an object");
    EXPECT_EQ(refused(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a",
                          "emails": [{"value": "a", "primary": true}], "active": false})"),
              "accepted");
}

}  // namespace
}  // namespace dirsync::resource
