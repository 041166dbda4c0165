#include "directory/membership_plan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dirsync::directory {
namespace {

member_ref ref(std::string id, std::optional<std::string> display = std::nullopt) {
    return member_ref{std::move(id), std::nullopt, std::move(display)};
}

std::vector<std::string> put_ids(const membership_delta& d) {
    std::vector<std::string> out;
    for (const auto& p : d.put) out.push_back(p.id);
    return out;
}

/// A stored set to fold against; counts visits (only remove_matching reads it).
struct stored_set {
    std::vector<group_member> members;
    int visits = 0;
    stored_members visitor() {
        return [this](const std::function<void(const group_member&)>& visit) {
            ++visits;
            for (const auto& m : members) visit(m);
        };
    }
};

struct fold_case {
    const char* name;
    std::vector<member_step> steps;
    bool replace;
    std::vector<std::string> put;
    std::vector<std::string> drop;
};

class FoldTest : public ::testing::TestWithParam<fold_case> {};

TEST_P(FoldTest, NetEffect) {
    const auto& c = GetParam();
    stored_set stored{{{"s1", member_type::user, "S1"}, {"s2", member_type::group, std::nullopt}}};
    auto d = fold_member_steps(c.steps, stored.visitor());
    EXPECT_EQ(d.replace, c.replace);
    EXPECT_EQ(put_ids(d), c.put);
    EXPECT_EQ(d.drop, c.drop);
}

bool is_group(const group_member& m) { return m.type == member_type::group; }

INSTANTIATE_TEST_SUITE_P(
    Steps, FoldTest,
    ::testing::Values(
        fold_case{"add", {member_step::add({ref("a"), ref("b")})}, false, {"a", "b"}, {}},
        fold_case{"add_twice_merges",
                  {member_step::add({ref("a")}), member_step::add({ref("a")})},
                  false,
                  {"a"},
                  {}},
        fold_case{"remove", {member_step::remove({ref("s1")})}, false, {}, {"s1"}},
        fold_case{"add_then_remove",
                  {member_step::add({ref("a")}), member_step::remove({ref("a")})},
                  false,
                  {},
                  {"a"}},
        fold_case{"remove_then_add",
                  {member_step::remove({ref("a")}), member_step::add({ref("a")})},
                  false,
                  {"a"},
                  {}},
        fold_case{"replace", {member_step::remove_all(), member_step::add({ref("a")})}, true, {"a"}, {}},
        fold_case{"clear", {member_step::remove_all()}, true, {}, {}},
        fold_case{"add_before_clear_is_lost",
                  {member_step::add({ref("a")}), member_step::remove_all()},
                  true,
                  {},
                  {}},
        fold_case{"remove_after_replace",
                  {member_step::remove_all(), member_step::add({ref("a"), ref("b")}),
                   member_step::remove({ref("a")})},
                  true,
                  {"b"},
                  {}},
        fold_case{"remove_matching_stored", {member_step::remove_matching(is_group)}, false, {}, {"s2"}},
        fold_case{"remove_matching_sees_adds",
                  {member_step::add({member_ref{"g", member_type::group, std::nullopt}}),
                   member_step::remove_matching(is_group)},
                  false,
                  {},
                  {"g", "s2"}},
        fold_case{
            "remove_matching_after_clear_ignores_stored",
            {member_step::remove_all(), member_step::add({ref("a")}), member_step::remove_matching(is_group)},
            true,
            {"a"},
            {}}),
    [](const ::testing::TestParamInfo<fold_case>& info) { return std::string(info.param.name); });

TEST(MembershipPlan, StoredMembersAreReadOnlyForRemoveMatching) {
    stored_set stored{{{"s1", member_type::user, std::nullopt}}};
    std::vector<member_step> steps = {member_step::add({ref("a")}), member_step::remove({ref("s1")}),
                                      member_step::remove_all(), member_step::add({ref("b")})};
    fold_member_steps(steps, stored.visitor());
    EXPECT_EQ(stored.visits, 0);
}

TEST(MembershipPlan, AddingTwiceMergesTypeAndDisplay) {
    std::vector<member_step> steps = {member_step::add({ref("a", "A")}), member_step::add({ref("a")})};
    auto d = fold_member_steps(steps, {});
    ASSERT_EQ(d.put.size(), 1u);
    EXPECT_EQ(d.put[0].display, "A");  // merged: the later add without display keeps it
}

TEST(MembershipPlan, RemoveMatchingSeesStoredMembersByTheirStoredName) {
    // The store names a member by its current displayName; a display a writer sends is not kept, so it does
    // not rename a stored member for the match either.
    stored_set stored{{{"s1", member_type::user, "Ann"}}};
    const auto named = [](std::string name) {
        return member_step::remove_matching([name](const group_member& m) { return m.display == name; });
    };
    std::vector<member_step> renamed = {member_step::add({ref("s1", "new")}), named("new")};
    auto d = fold_member_steps(renamed, stored.visitor());
    EXPECT_EQ(put_ids(d), std::vector<std::string>{"s1"});
    std::vector<member_step> current = {member_step::add({ref("s1", "new")}), named("Ann")};
    d = fold_member_steps(current, stored.visitor());
    EXPECT_TRUE(d.put.empty());
    EXPECT_EQ(d.drop, std::vector<std::string>{"s1"});
    std::vector<member_step> added = {member_step::add({ref("n1", "Neu")}), named("Neu")};
    d = fold_member_steps(added, stored.visitor());
    EXPECT_TRUE(d.put.empty());  // a member added by this change answers to the display sent with it
}

}  // namespace
}  // namespace dirsync::directory
