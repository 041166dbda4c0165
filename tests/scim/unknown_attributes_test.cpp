#include "scim/unknown_attributes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using json = nlohmann::json;

constexpr const char* ext_urn = "urn:example:acme:2.0:User";

const resource::resource_schema& schemas() {
    static const resource::resource_schema rs = [] {
        resource::schema ext;
        ext.id = ext_urn;
        ext.name = "AcmeUser";
        resource::attribute badge;
        badge.name = "badge";
        ext.attributes.push_back(badge);
        resource::attribute clearance;
        clearance.name = "clearance";
        clearance.type = resource::attribute_type::complex;
        clearance.multi_valued = true;
        resource::attribute level;
        level.name = "level";
        level.type = resource::attribute_type::integer;
        clearance.sub_attributes.push_back(level);
        ext.attributes.push_back(clearance);
        return resource::resource_schema{resource::core_user_schema(),
                                         {resource::enterprise_user_schema(), ext}};
    }();
    return rs;
}

std::string expand(std::string text) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"$C", std::string(resource::core_user_urn)},
                            {"$E", std::string(resource::enterprise_user_urn)},
                            {"$A", ext_urn}})
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    return text;
}

struct unknown_case {
    const char* name;
    const char* resource;               // canonical; $C core, $E enterprise, $A the test extension
    std::vector<std::string> expected;  // paths in key order (nlohmann sorts keys); URNs prefixed "schema "
};

const unknown_case unknown_cases[] = {
    {"nothing_unknown",
     R"({"schemas":["$C","$E","$A"],"userName":"u","name":{"givenName":"g"},"emails":[{"value":"e","type":"work"}],
         "$E":{"employeeNumber":"1","manager":{"value":"m"}},"$A":{"badge":"b","clearance":[{"level":1}]}})",
     {}},
    {"top_level_attribute", R"({"schemas":["$C"],"userName":"u","shoeSize":9})", {"shoeSize"}},
    {"sub_attribute_of_core_complex",
     R"({"schemas":["$C"],"name":{"givenName":"g","nickname":"n"}})",
     {"name.nickname"}},
    {"sub_attribute_in_each_value_reported_once",
     R"({"schemas":["$C"],"emails":[{"value":"a","label":"x"},{"value":"b","label":"y"}]})",
     {"emails.label"}},
    {"listed_unknown_schema",
     R"({"schemas":["$C","urn:other:1.0:User"],"userName":"u"})",
     {"schema urn:other:1.0:User"}},
    {"unknown_schema_key",
     R"({"schemas":["$C"],"urn:other:1.0:User":{"x":1}})",
     {"schema urn:other:1.0:User"}},
    {"listed_and_keyed_once",
     R"({"schemas":["$C","urn:other:1.0:User"],"urn:other:1.0:User":{"x":1}})",
     {"schema urn:other:1.0:User"}},
    {"extension_attribute", R"({"schemas":["$C","$A"],"$A":{"badge":"b","shoe":9}})", {"$A:shoe"}},
    {"extension_sub_attribute",
     R"({"schemas":["$C","$A"],"$A":{"clearance":[{"level":1,"zone":"z"}]}})",
     {"$A:clearance.zone"}},
    {"enterprise_sub_attribute",
     R"({"schemas":["$C","$E"],"$E":{"manager":{"value":"m","email":"x"}}})",
     {"$E:manager.email"}},
    {"entra_group_marker_is_not_unknown",
     R"({"schemas":["$C","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"]})",
     {}},
    {"non_urn_key_is_an_attribute", R"({"schemas":["$C"],"http://x/y":1})", {"http://x/y"}},
    {"in_document_order",
     R"({"a":1,"name":{"z":1},"schemas":["$C","urn:b:c"]})",
     {"a", "name.z", "schema urn:b:c"}},
};

class UnknownAttributes : public ::testing::TestWithParam<unknown_case> {};

TEST_P(UnknownAttributes, AreFound) {
    const auto& c = GetParam();
    std::vector<std::string> found;
    for (const auto& u : unknown_attributes(json::parse(expand(c.resource)), schemas()))
        found.push_back((u.schema ? "schema " : "") + u.path);
    std::vector<std::string> expected;
    for (const auto& e : c.expected) expected.push_back(expand(e));
    EXPECT_EQ(found, expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, UnknownAttributes, ::testing::ValuesIn(unknown_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RefuseUnknownAttributes, OnlyWhatTheWriteAddsIsRefused) {
    const json stored = json::parse(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:x:y"],
                                        "userName":"u","legacy":1,"urn:x:y":{"a":1}})");
    EXPECT_FALSE(refuse_unknown_attributes(stored, &stored, schemas()));
    json more = stored;
    more["LEGACY"] = 2;  // case-insensitively the same
    EXPECT_FALSE(refuse_unknown_attributes(more, &stored, schemas()));
    more["fresh"] = 1;
    auto e = refuse_unknown_attributes(more, &stored, schemas());
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, 400u);
    EXPECT_EQ(e->scim_type, "invalidValue");
    EXPECT_NE(e->detail.find("unknown attribute 'fresh'"), std::string::npos) << e->detail;
    auto on_create = refuse_unknown_attributes(stored, nullptr, schemas());
    ASSERT_TRUE(on_create);
    EXPECT_NE(on_create->detail.find("unknown attribute 'legacy'"), std::string::npos) << on_create->detail;
}

struct path_case {
    const char* name;
    const char* operations;
    const char* refused;  // substring of the detail; empty: accepted
};

const path_case path_cases[] = {
    {"known_core", R"([{"op":"replace","path":"name.givenName","value":"g"}])", ""},
    {"known_extension", R"([{"op":"add","path":"$A:clearance[level eq 1].level","value":2}])", ""},
    {"whole_known_extension", R"([{"op":"remove","path":"$A"}])", ""},
    {"core_qualified", R"([{"op":"replace","path":"$C:userName","value":"x"}])", ""},
    {"path_less_is_left_to_the_result", R"([{"op":"add","value":{"shoe":1}}])", ""},
    {"filter_names_are_not_checked", R"([{"op":"remove","path":"emails[label eq \"x\"]"}])", ""},
    {"unknown_top_level", R"([{"op":"add","path":"shoe","value":1}])",
     "Operations[0]: unknown attribute 'shoe'"},
    {"unknown_remove", R"([{"op":"replace","path":"userName","value":"u"},{"op":"remove","path":"shoe"}])",
     "Operations[1]: unknown attribute 'shoe'"},
    {"unknown_sub_attribute", R"([{"op":"add","path":"name.nick","value":"n"}])",
     "unknown attribute 'name.nick'"},
    {"unknown_extension_attribute", R"([{"op":"add","path":"$A:shoe","value":1}])",
     "unknown attribute '$A:shoe'"},
    {"unknown_extension_sub", R"([{"op":"add","path":"$E:manager.email","value":1}])",
     "unknown attribute '$E:manager.email'"},
    {"unknown_schema", R"([{"op":"add","path":"urn:other:1.0:User:x","value":1}])",
     "unknown schema 'urn:other:1.0:User:x'"},
    {"malformed_paths_are_left_to_patch", R"([{"op":"add","path":"a..b","value":1}])", ""},
};

class RefuseUnknownPaths : public ::testing::TestWithParam<path_case> {};

TEST_P(RefuseUnknownPaths, Decides) {
    const auto& c = GetParam();
    const json request =
        json::parse(expand(std::string(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                                            "Operations":)") +
                           c.operations + "}"));
    auto e = refuse_unknown_paths(request, schemas());
    if (std::string(c.refused).empty()) {
        EXPECT_FALSE(e) << e->detail;
    } else {
        ASSERT_TRUE(e);
        EXPECT_EQ(e->scim_type, "invalidValue");
        EXPECT_NE(e->detail.find(expand(c.refused)), std::string::npos) << e->detail;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, RefuseUnknownPaths, ::testing::ValuesIn(path_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RefuseUnknownPathsRequest, NotAPatchOpIsLeftToTheEngine) {
    EXPECT_FALSE(refuse_unknown_paths(json::array(), schemas()));
    EXPECT_FALSE(refuse_unknown_paths(json::parse(R"({"Operations":[{"op":"add","path":"shoe","value":1}]})"),
                                      schemas()));
}

}  // namespace
}  // namespace dirsync::scim
