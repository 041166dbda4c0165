#include "scim/user_password.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace dirsync::scim {
namespace {

using json = nlohmann::json;

std::string expand(std::string text) {
    const std::string core(resource::core_user_urn);
    for (auto at = text.find("$C"); at != std::string::npos; at = text.find("$C", at + core.size()))
        text.replace(at, 2, core);
    return text;
}

// What the request asked for: "" none, "clear", or "set:<cleartext>".
std::string describe(const std::optional<password_write>& p) {
    if (!p) return "";
    return p->cleartext ? "set:" + *p->cleartext : "clear";
}

struct body_case {
    const char* name;
    const char* body;
    const char* password;  // as describe() writes it
    const char* rest;      // the body afterwards
};

const body_case body_cases[] = {
    {"none", R"({"userName":"u"})", "", R"({"userName":"u"})"},
    {"plain", R"({"userName":"u","password":"p1"})", "set:p1", R"({"userName":"u"})"},
    {"any_case", R"({"PassWord":"p1"})", "set:p1", R"({})"},
    {"qualified", R"({"$C:password":"p1","x":1})", "set:p1", R"({"x":1})"},
    {"qualified_any_case", R"({"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:PASSWORD":"p1"})", "set:p1",
     R"({})"},
    {"inside_the_core_object", R"({"$C":{"password":"p1","userName":"u"}})", "set:p1",
     R"({"$C":{"userName":"u"}})"},
    {"null_clears", R"({"password":null})", "clear", R"({})"},
    {"empty_clears", R"({"password":""})", "clear", R"({})"},
    {"not_in_other_extensions", R"({"urn:x:y":{"password":"p"}})", "", R"({"urn:x:y":{"password":"p"}})"},
};

class TakePassword : public ::testing::TestWithParam<body_case> {};

TEST_P(TakePassword, FromABody) {
    const auto& c = GetParam();
    json body = json::parse(expand(c.body));
    auto p = take_password(body);
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(describe(*p), c.password);
    EXPECT_EQ(body, json::parse(expand(c.rest)));
}

INSTANTIATE_TEST_SUITE_P(Cases, TakePassword, ::testing::ValuesIn(body_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TakePasswordErrors, WrongTypesAndSizesNeverQuoteTheValue) {
    for (const char* bad :
         {R"({"password":42})", R"({"password":["x"]})", R"({"password":{"v":"secret"}})"}) {
        json body = json::parse(bad);
        auto p = take_password(body);
        ASSERT_FALSE(p) << bad;
        EXPECT_EQ(p.error().scim_type, "invalidValue");
        EXPECT_EQ(p.error().detail.find("secret"), std::string::npos);
    }
    json big = {{"password", std::string(max_password_bytes + 1, 's')}};
    auto p = take_password(big);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().detail, "password is longer than 1024 bytes");
    json fits = {{"password", std::string(max_password_bytes, 's')}};
    EXPECT_TRUE(take_password(fits));
}

struct patch_case {
    const char* name;
    const char* operations;
    const char* password;          // as describe() writes it
    const char* operations_after;  // "" when none is left
};

const patch_case patch_cases[] = {
    {"no_password", R"([{"op":"replace","path":"title","value":"t"}])", "",
     R"([{"op":"replace","path":"title","value":"t"}])"},
    {"replace_path", R"([{"op":"replace","path":"password","value":"p1"}])", "set:p1", ""},
    {"add_qualified_path", R"([{"op":"Add","path":"$C:password","value":"p1"}])", "set:p1", ""},
    {"remove_clears", R"([{"op":"remove","path":"PASSWORD"}])", "clear", ""},
    {"replace_null_clears", R"([{"op":"replace","path":"password","value":null}])", "clear", ""},
    {"path_less_okta", R"([{"op":"replace","value":{"password":"p1","active":true}}])", "set:p1",
     R"([{"op":"replace","value":{"active":true}}])"},
    {"path_less_only_password", R"([{"op":"replace","value":{"password":"p1"}}])", "set:p1", ""},
    {"path_less_array", R"([{"op":"add","value":[{"password":"p1"},{"title":"t"}]}])", "set:p1",
     R"([{"op":"add","value":[{},{"title":"t"}]}])"},
    {"core_schema_path", R"([{"op":"add","path":"$C","value":{"password":"p1"}}])", "set:p1", ""},
    {"last_one_wins",
     R"([{"op":"replace","path":"password","value":"p1"},{"op":"replace","path":"title","value":"t"},
         {"op":"remove","path":"password"}])",
     "clear", R"([{"op":"replace","path":"title","value":"t"}])"},
    {"sub_path_is_left_for_patch", R"([{"op":"add","path":"password.x","value":"p"}])", "",
     R"([{"op":"add","path":"password.x","value":"p"}])"},
    {"malformed_operations_are_kept",
     R"([{"op":"move","path":"password"},{"op":"remove","path":"password"}])", "clear",
     R"([{"op":"move","path":"password"}])"},
    {"remove_without_path_is_kept", R"([{"op":"remove"}])", "", R"([{"op":"remove"}])"},
};

class TakePasswordOperations : public ::testing::TestWithParam<patch_case> {};

TEST_P(TakePasswordOperations, FromAPatchOp) {
    const auto& c = GetParam();
    json request =
        json::parse(expand(std::string(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                                     "Operations":)") +
                           c.operations + "}"));
    auto p = take_password_operations(request, resource::user_resource_schema());
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(describe(p->password), c.password);
    const std::string after = c.operations_after;
    EXPECT_EQ(p->operations_left, !after.empty());
    EXPECT_EQ(request["Operations"], after.empty() ? json::array() : json::parse(expand(after)));
}

INSTANTIATE_TEST_SUITE_P(Cases, TakePasswordOperations, ::testing::ValuesIn(patch_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TakePasswordOperationsErrors, NameTheOperation) {
    json request = json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"title","value":"t"},{"op":"replace","path":"password","value":1}]})");
    auto p = take_password_operations(request, resource::user_resource_schema());
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().detail,
              "Operations[1]: password must be a string (it is stored only as a salted hash)");
}

TEST(TakePasswordOperationsErrors, NotAPatchOpIsLeftAlone) {
    json request = json::parse(R"({"Operations":[{"op":"replace","path":"password","value":"p"}]})");
    const json before = request;
    auto p = take_password_operations(request, resource::user_resource_schema());
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->password);
    EXPECT_TRUE(p->operations_left);
    EXPECT_EQ(request, before);
}

}  // namespace
}  // namespace dirsync::scim
