#include "scim/group_resource.hpp"

#include <gtest/gtest.h>

#include "scim/user_resource.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

constexpr const char* entra_urn = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

TEST(GroupResource, CanonicalizeKeepsUnknownSchemasAndTakesMembersOut) {
    auto g = canonicalize_group(json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "id": "ignored", "meta": {"resourceType": "Group"},
        "DisplayName": "Eng", "externalId": "e-1", "acmeColour": "blue",
        "Members": [{"Value": "u1", "Display": "Alice", "TYPE": "user"}, "u2", null,
                    {"$ref": "https://x/scim/v2/Groups/g9"}]
    })"));
    ASSERT_TRUE(g) << g.error().detail;
    EXPECT_EQ(g->resource["displayName"], "Eng");
    EXPECT_EQ(g->resource["externalId"], "e-1");
    EXPECT_EQ(g->resource["acmeColour"], "blue");
    EXPECT_FALSE(g->resource.contains("id"));
    EXPECT_FALSE(g->resource.contains("meta"));
    EXPECT_FALSE(g->resource.contains("members"));
    EXPECT_FALSE(g->resource.contains("Members"));
    EXPECT_EQ(g->resource["schemas"],
              json::array({"urn:ietf:params:scim:schemas:core:2.0:Group", entra_urn}));
    ASSERT_EQ(g->members.size(), 3u);
    EXPECT_EQ(g->members[0].id, "u1");
    EXPECT_EQ(g->members[0].display, "Alice");
    EXPECT_EQ(g->members[0].type, directory::member_type::user);
    EXPECT_EQ(g->members[1].id, "u2");
    EXPECT_FALSE(g->members[1].type);
    EXPECT_EQ(g->members[2].id, "g9");

    auto qualified = canonicalize_group(json::parse(R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "X",
        "urn:ietf:params:scim:schemas:core:2.0:Group:members": [{"value": "u1"}]})"));
    ASSERT_TRUE(qualified);
    EXPECT_EQ(qualified->members.size(), 1u);
    EXPECT_FALSE(qualified->resource.contains("urn:ietf:params:scim:schemas:core:2.0:Group:members"));
}

TEST(GroupResource, CanonicalizeRefusals) {
    for (
        const char* bad : {
            R"([])",
            R"({"displayName": "X"})",
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "displayName": "X"})",
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": {"a": 1}})",
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "members": [{"type": "User"}]})",
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "members": [{"value": "a", "type": 1}]})",
            R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "members": [[]]})",
        }) {
        auto g = canonicalize_group(json::parse(bad));
        EXPECT_FALSE(g) << bad << " -> " << (g ? g->resource.dump() : "");
        if (!g) {
            EXPECT_EQ(g.error().status, 400u);
        }
    }
    // A missing displayName is the directory's to refuse (it is required there).
    EXPECT_TRUE(
        canonicalize_group(json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]})")));
}

TEST(GroupResource, RenderAddsIdMetaAndMemberReferences) {
    directory::group g;
    g.id = "g1";
    g.version = 4;
    g.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "Eng"}};
    auto bare = render_group(g, "https://h/scim/v2/Groups");
    EXPECT_EQ(bare["id"], "g1");
    EXPECT_EQ(bare["meta"]["resourceType"], "Group");
    EXPECT_EQ(bare["meta"]["location"], "https://h/scim/v2/Groups/g1");
    EXPECT_EQ(bare["meta"]["version"], "W/\"4\"");
    EXPECT_FALSE(bare.contains("members"));
    EXPECT_EQ(group_etag(g), "W/\"4\"");

    g.members = std::vector<directory::group_member>{{"u1", directory::member_type::user, "Alice"},
                                                     {"g2", directory::member_type::group, std::nullopt}};
    auto full = render_group(g, "https://h/scim/v2/Groups");
    EXPECT_EQ(full["members"], json::parse(R"([
        {"value": "u1", "display": "Alice", "type": "User", "$ref": "https://h/scim/v2/Users/u1"},
        {"value": "g2", "type": "Group", "$ref": "https://h/scim/v2/Groups/g2"}])"));
    g.members->clear();
    EXPECT_FALSE(render_group(g, "https://h/scim/v2/Groups").contains("members"));
}

TEST(GroupResource, UserGroupsAreRenderedReadOnly) {
    directory::user u;
    u.id = "u1";
    u.resource = json{{"userName", "a"}};
    EXPECT_FALSE(render_user(u, "https://h/scim/v2/Users").contains("groups"));
    u.groups = std::vector<directory::user_group>{{"g1", "Eng", true}, {"g0", "All", false}};
    auto j = render_user(u, "https://h/scim/v2/Users");
    EXPECT_EQ(j["groups"], json::parse(R"([
        {"value": "g1", "$ref": "https://h/scim/v2/Groups/g1", "display": "Eng", "type": "direct"},
        {"value": "g0", "$ref": "https://h/scim/v2/Groups/g0", "display": "All", "type": "indirect"}])"));
    // Clients can't write it: the canonicalizer drops it.
    json in = j;
    in["schemas"] = json::array({"urn:ietf:params:scim:schemas:core:2.0:User"});
    auto c = canonicalize_user(in, resource::user_resource_schema());
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->contains("groups"));
}

}  // namespace
}  // namespace dirsync::scim
