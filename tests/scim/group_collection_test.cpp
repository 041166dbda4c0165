#include "scim/group_collection.hpp"

#include <gtest/gtest.h>

#include "scim/attribute_projection.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

class GroupSourceTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "s.db")};
    directory::tenant_directory dir{db_};
    directory::actor who{"cli", "test"};
    std::string group_id;

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}});
        directory::user_write u;
        u.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", "a"}};
        auto user = dir.create_user(who, "acme", u);
        ASSERT_TRUE(user);
        directory::group_write g;
        g.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "G"}};
        g.members.push_back({user->id, std::nullopt, std::nullopt});
        auto created = dir.create_group(who, "acme", g);
        ASSERT_TRUE(created);
        group_id = created->id;
    }

    /// What the source opened for this query renders (before projection): members only if it read them.
    json found(const std::string& query) {
        auto params = http::query_params::parse(query);
        auto shape = projection::from_query(resource::group_resource_schema(), *params);
        EXPECT_TRUE(shape);
        std::optional<filter> f;
        if (auto text = params->get("filter")) f = *parse_filter(*text);
        auto target = group_search_target(dir, "acme", "https://h/scim/v2/Groups");
        auto source = target.open(search_needs{*shape, f ? &*f : nullptr, nullptr});
        auto j = source->find(group_id);
        EXPECT_TRUE(j);
        return j ? *j : json();
    }
};

TEST_F(GroupSourceTest, MembersAreReadOnlyWhenNeeded) {
    EXPECT_TRUE(found("").contains("members"));
    EXPECT_TRUE(found("attributes=members.value").contains("members"));
    EXPECT_FALSE(found("excludedAttributes=members").contains("members"));
    EXPECT_FALSE(
        found("excludedAttributes=urn:ietf:params:scim:schemas:core:2.0:Group:members").contains("members"));
    EXPECT_FALSE(found("attributes=displayName").contains("members"));
    EXPECT_TRUE(found("excludedAttributes=members&filter=members.value%20pr").contains("members"));
}

TEST(GroupCollection, FilterMentionsMembers) {
    EXPECT_TRUE(filter_mentions_members(*parse_filter("members[value eq \"x\"]")));
    EXPECT_TRUE(filter_mentions_members(*parse_filter("displayName eq \"a\" or not (Members.display pr)")));
    EXPECT_FALSE(filter_mentions_members(*parse_filter("displayName eq \"members\"")));
}

}  // namespace
}  // namespace dirsync::scim
