#include "scim/group_patch.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "directory/membership_plan.hpp"
#include "resource/schema.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

json request(const std::string& operations) {
    return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                {"Operations", json::parse(operations)}};
}

const json& stored_group() {
    static const json g = json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Eng",
      "members": [{"value": "m1", "display": "Alice", "type": "User"}, {"value": "m2", "display": "Bob"}],
      "meta": {"resourceType": "Group"}
    })");
    return g;
}

/// The member ids: a display a writer sends is not stored (reads name each member as it is named now).
using member_map = std::set<std::string>;

/// The members after apply_patch on the whole resource (the reference semantics).
member_map by_engine(const json& req) {
    auto r = apply_patch(stored_group(), req, resource::group_resource_schema());
    EXPECT_TRUE(r) << r.error().detail;
    member_map out;
    if (!r) return out;
    if (auto m = r->find("members"); m != r->end() && m->is_array())
        for (const auto& v : *m) out.insert(v["value"].get<std::string>());
    return out;
}

/// The members after plan_group_patch and the directory's fold, applied to the stored set as the store would.
member_map by_plan(const json& req) {
    auto plan = plan_group_patch(req);
    EXPECT_TRUE(plan) << plan.error().detail;
    member_map stored = {"m1", "m2"};
    if (!plan) return stored;
    directory::stored_members visit = [&](const std::function<void(const directory::group_member&)>& f) {
        f({"m1", directory::member_type::user, "Alice"});
        f({"m2", directory::member_type::user, "Bob"});
    };
    auto delta = directory::fold_member_steps(plan->member_steps, visit);
    member_map out;
    if (!delta.replace) out = stored;
    for (const auto& id : delta.drop) out.erase(id);
    for (const auto& p : delta.put) out.insert(p.id);
    return out;
}

struct same_case {
    const char* name;
    const char* operations;
};

class SameAsEngine : public ::testing::TestWithParam<same_case> {};

TEST_P(SameAsEngine, Members) {
    const json req = request(GetParam().operations);
    EXPECT_EQ(by_plan(req), by_engine(req)) << GetParam().operations;
}

INSTANTIATE_TEST_SUITE_P(
    Operations, SameAsEngine,
    ::testing::Values(
        same_case{"entra_add", R"([{"op":"Add","path":"members","value":[{"$ref":null,"value":"m3"}]}])"},
        same_case{"add_duplicates",
                  R"([{"op":"add","path":"members","value":[{"value":"m3"},{"value":"m3"}]}])"},
        same_case{"two_adds",
                  R"([{"op":"add","path":"members","value":[{"value":"m3"}]},
                      {"op":"add","path":"members","value":[{"value":"m4"}]}])"},
        same_case{"re_add_keeps_display", R"([{"op":"add","path":"members","value":[{"value":"m1"}]}])"},
        same_case{"re_add_sets_display",
                  R"([{"op":"add","path":"members","value":[{"value":"m1","display":"A"}]}])"},
        same_case{"add_with_display",
                  R"([{"op":"add","path":"members","value":[{"value":"m3","display":"C"}]}])"},
        same_case{"add_case_keys", R"([{"OP":"ADD","Path":"Members","Value":[{"Value":"m4"}]}])"},
        same_case{"add_bare_string", R"([{"op":"add","path":"members","value":"m5"}])"},
        same_case{"entra_remove_one",
                  R"([{"op":"Remove","path":"members","value":[{"$ref":null,"value":"m1"}]}])"},
        same_case{"entra_remove_listed",
                  R"([{"op":"Remove","path":"members","value":[{"value":"m1"},{"value":"m2"}]}])"},
        same_case{"remove_absent", R"([{"op":"Remove","path":"members","value":[{"value":"m9"}]}])"},
        same_case{"remove_empty_list", R"([{"op":"Remove","path":"members","value":[]}])"},
        same_case{"okta_remove_filter", R"([{"op":"remove","path":"members[value eq \"m2\"]"}])"},
        same_case{"remove_or_filter",
                  R"([{"op":"remove","path":"members[value eq \"m2\" or value eq \"m1\"]"}])"},
        same_case{"remove_by_display", R"([{"op":"remove","path":"members[display eq \"bob\"]"}])"},
        same_case{"remove_all", R"([{"op":"remove","path":"members"}])"},
        same_case{"replace",
                  R"([{"op":"replace","path":"members","value":[{"value":"m9"},{"value":"m1"}]}])"},
        same_case{"replace_empty", R"([{"op":"replace","path":"members","value":[]}])"},
        same_case{"okta_remove_and_add",
                  R"([{"op":"remove","path":"members[value eq \"m1\"]"},
                      {"op":"add","path":"members","value":[{"value":"m3","display":"C"}]}])"},
        same_case{"remove_then_re_add",
                  R"([{"op":"remove","path":"members","value":[{"value":"m1"}]},
                      {"op":"add","path":"members","value":[{"value":"m1"}]}])"},
        same_case{"pathless_add", R"([{"op":"add","value":{"members":[{"value":"m3"}],"displayName":"X"}}])"},
        same_case{"pathless_replace", R"([{"op":"replace","value":{"Members":[{"value":"m3"}]}}])"},
        same_case{"urn_path", R"([{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:Group:members",
                                   "value":[{"value":"m3"}]}])"},
        same_case{"filter_add",
                  R"([{"op":"add","path":"members[value eq \"m3\"]","value":{"display":"C"}}])"},
        same_case{"filter_replace",
                  R"([{"op":"replace","path":"members[value eq \"m1\"]","value":{"display":"A2"}}])"}),
    [](const ::testing::TestParamInfo<same_case>& info) { return std::string(info.param.name); });

TEST(GroupPatch, OtherAttributesGoThroughTheEngineWithoutMembers) {
    auto plan = plan_group_patch(request(R"([
        {"op":"Replace","path":"displayName","value":"New"},
        {"op":"add","path":"members","value":[{"value":"m3"}]},
        {"op":"replace","value":{"id":"g1","displayName":"Newer","members":[{"value":"m4"}]}}])"));
    ASSERT_TRUE(plan) << plan.error().detail;
    ASSERT_TRUE(plan->resource_patch);
    EXPECT_EQ((*plan->resource_patch)["Operations"].size(), 2u);
    EXPECT_EQ(plan->resource_operations, (std::vector<std::size_t>{0, 2}));
    EXPECT_FALSE((*plan->resource_patch)["Operations"][1]["value"].contains("members"));
    EXPECT_EQ(plan->member_steps.size(), 3u);  // add; remove_all + add (the path-less replace)

    json rendered = stored_group();
    rendered.erase("members");
    auto patched = apply_group_resource_patch(*plan, rendered);
    ASSERT_TRUE(patched) << patched.error().detail;
    EXPECT_EQ((*patched)["displayName"], "Newer");
    EXPECT_FALSE(patched->contains("id"));
    EXPECT_FALSE(patched->contains("members"));

    auto only_members =
        plan_group_patch(request(R"([{"op":"add","path":"members","value":[{"value":"m3"}]}])"));
    ASSERT_TRUE(only_members);
    EXPECT_FALSE(only_members->resource_patch);
}

TEST(GroupPatch, ErrorsNameTheOriginalOperation) {
    auto plan = plan_group_patch(request(R"([
        {"op":"add","path":"members","value":[{"value":"m3"}]},
        {"op":"add","path":"members","value":[{"value":"m4"}]},
        {"op":"replace","path":"id","value":"x"}])"));
    ASSERT_TRUE(plan);
    json rendered = stored_group();
    rendered.erase("members");
    auto r = apply_group_resource_patch(*plan, rendered);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().scim_type, "mutability");
    EXPECT_EQ(r.error().detail.rfind("Operations[2]: ", 0), 0u) << r.error().detail;

    auto removed_name = plan_group_patch(request(R"([{"op":"remove","path":"displayName"}])"));
    ASSERT_TRUE(removed_name);
    ASSERT_TRUE(apply_group_resource_patch(*removed_name, rendered));  // the directory refuses it (required)
}

TEST(GroupPatch, BadRequests) {
    struct bad {
        const char* operations;
        const char* scim_type;
        const char* detail_prefix;
    };
    for (const auto& b : std::vector<bad>{
             {R"([{"op":"add","path":"members"}])", "invalidValue", "Operations[0]: "},
             {R"([{"op":"move","path":"members","value":[]}])", "invalidSyntax", "Operations[0]: "},
             {R"([{"op":"add","path":"members","value":[{"value":"a"}]},
                 {"op":"add","path":"members","value":[{"display":"no value"}]}])",
              "invalidValue", "Operations[1]: "},
             {R"([{"op":"add","path":"members","value":[{"value":"a","type":"Robot"}]}])", "invalidValue",
              ""},
             {R"([{"op":"add","path":"members","value":[{"value":7}]}])", "invalidValue", ""},
             {R"([{"op":"replace","path":"members[value eq \"m1\"].display","value":"A"}])", "mutability",
              ""},
             {R"([{"op":"remove","path":"members[value eq \"m1\"].value"}])", "mutability", ""},
             {R"([{"op":"add","path":"members[type eq \"User\"]","value":{"value":"m1"}}])", "noTarget", ""},
             {R"([{"op":"add","path":"members[value eq \"m1\"]","value":{"value":"m2"}}])", "mutability", ""},
             {R"([{"op":"add","path":"members[value eq","value":{}}])", "invalidPath", ""},
         }) {
        auto r = plan_group_patch(request(b.operations));
        ASSERT_FALSE(r) << b.operations;
        EXPECT_EQ(r.error().scim_type, b.scim_type) << b.operations << " -> " << r.error().detail;
        EXPECT_EQ(r.error().detail.rfind(b.detail_prefix, 0), 0u) << r.error().detail;
    }
    EXPECT_FALSE(plan_group_patch(json{{"Operations", json::array()}}));
    EXPECT_FALSE(plan_group_patch(request("[]")));
    json many = json::array();
    for (int i = 0; i < 3; ++i) many.push_back(json{{"op", "add"}, {"path", "members"}, {"value", "x"}});
    EXPECT_FALSE(plan_group_patch(request(many.dump()), patch_limits{2}));
}

}  // namespace
}  // namespace dirsync::scim
