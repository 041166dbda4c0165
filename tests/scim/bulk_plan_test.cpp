#include "scim/bulk_plan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using nlohmann::json;

bulk_operation post(std::string bulk_id, json data = json::object()) {
    bulk_operation op;
    op.method = "POST";
    op.verb = bulk_method::post;
    op.resource = bulk_resource::groups;
    op.bulk_id = std::move(bulk_id);
    op.data = std::move(data);
    return op;
}

bulk_operation patch(std::string id, json data = json::object()) {
    bulk_operation op;
    op.method = "PATCH";
    op.verb = bulk_method::patch;
    op.resource = bulk_resource::groups;
    op.id = std::move(id);
    op.data = std::move(data);
    return op;
}

json members(std::initializer_list<const char*> values) {
    json out = json::array();
    for (auto v : values) out.push_back({{"value", v}});
    return json{{"displayName", "G"}, {"members", out}};
}

/// The plan as "index" or "index!" (circular), in order.
std::vector<std::string> steps(const std::vector<bulk_operation>& ops) {
    std::vector<std::string> out;
    for (const auto& s : plan_bulk(ops)) out.push_back(std::to_string(s.operation) + (s.circular ? "!" : ""));
    return out;
}

using v = std::vector<std::string>;

TEST(BulkIdReference, WholeValueWithThePrefix) {
    EXPECT_EQ(bulk_id_reference("bulkId:qwerty"), "qwerty");
    EXPECT_EQ(bulk_id_reference("bulkId:a:b"), "a:b");
    EXPECT_FALSE(bulk_id_reference("bulkId:"));
    EXPECT_FALSE(bulk_id_reference("bulkid:qwerty"));
    EXPECT_FALSE(bulk_id_reference(" bulkId:qwerty"));
    EXPECT_FALSE(bulk_id_reference("qwerty"));
}

TEST(ReferencedBulkIds, PathAndEveryStringOfTheData) {
    auto op = patch("bulkId:g", {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                                 {"Operations",
                                  {{{"op", "add"},
                                    {"path", "members"},
                                    {"value", {{{"value", "bulkId:u1"}}, {{"value", "bulkId:u2"}}}}},
                                   {{"op", "replace"}, {"value", {{"manager", {{"value", "bulkId:u1"}}}}}},
                                   {{"op", "remove"}, {"path", "members[value eq \"bulkId:u3\"]"}}}}});
    EXPECT_EQ(referenced_bulk_ids(op), v({"g", "u1", "u2"}));
    EXPECT_TRUE(referenced_bulk_ids(post("x", {{"bulkId:key", "plain"}})).empty());  // keys are not values
}

TEST(PlanBulk, RequestOrderWithoutReferences) {
    EXPECT_EQ(steps({post("a"), patch("1"), post("b")}), v({"0", "1", "2"}));
}

TEST(PlanBulk, BackwardReferencesKeepTheOrder) {
    EXPECT_EQ(steps({post("u"), post("g", members({"bulkId:u"})), patch("bulkId:g")}), v({"0", "1", "2"}));
}

TEST(PlanBulk, ForwardReferenceRunsThePostFirst) {
    // 0 references 2, 2 references 3; 1 is independent and keeps its place after 0's chain.
    std::vector<bulk_operation> ops = {post("g", members({"bulkId:u"})), patch("other"),
                                       post("u", {{"manager", {{"value", "bulkId:m"}}}}), post("m")};
    EXPECT_EQ(steps(ops), v({"3", "2", "0", "1"}));
    EXPECT_EQ(steps({patch("bulkId:g"), post("g")}), v({"1", "0"}));
}

TEST(PlanBulk, CyclesAreMarkedAndEveryOperationAppearsOnce) {
    // 0 <-> 1 is a cycle; 2 depends on the cycle but is not part of it; 3 references itself.
    std::vector<bulk_operation> ops = {post("a", members({"bulkId:b"})), post("b", members({"bulkId:a"})),
                                       patch("bulkId:a"), post("self", members({"bulkId:self"})), post("ok")};
    EXPECT_EQ(steps(ops), v({"0!", "1!", "2", "3!", "4"}));
}

TEST(PlanBulk, NodeReachingACycleThroughAFinishedMemberIsInTheCycle) {
    // r -> a, a -> r, r -> b, b -> a: b is in the same strongly connected component as a and r.
    std::vector<bulk_operation> ops = {post("r", members({"bulkId:a", "bulkId:b"})),
                                       post("a", members({"bulkId:r"})), post("b", members({"bulkId:a"}))};
    EXPECT_EQ(steps(ops), v({"0!", "1!", "2!"}));
}

TEST(PlanBulk, UnknownAndMalformedReferencesAddNoOrdering) {
    auto broken = post("x");
    broken.failure = invalid_value("Operations[1]: bad");
    EXPECT_EQ(steps({patch("bulkId:x"), broken, patch("bulkId:nope")}), v({"0", "1", "2"}));
}

TEST(PlanBulk, LongChainNeedsNoRecursion) {
    // Each POST references the next one: the plan runs them last to first.
    constexpr int n = 20000;
    std::vector<bulk_operation> ops;
    for (int i = 0; i < n; ++i)
        ops.push_back(
            post("p" + std::to_string(i),
                 i + 1 < n ? members({("bulkId:p" + std::to_string(i + 1)).c_str()}) : json::object()));
    auto plan = plan_bulk(ops);
    ASSERT_EQ(plan.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        EXPECT_EQ(plan[i].operation, static_cast<std::size_t>(n - 1 - i));
        EXPECT_FALSE(plan[i].circular);
    }
}

TEST(BulkIdTable, ResolvesCreatedIdsAndRefusesTheRest) {
    std::vector<bulk_operation> ops = {post("u"), post("failed"), patch("x")};
    bulk_id_table table(ops);
    EXPECT_EQ(table.defined_by("u"), 0u);
    EXPECT_FALSE(table.defined_by("x"));
    table.created("u", "id-of-u");
    EXPECT_EQ(*table.resolve("u"), "id-of-u");
    for (const char* ref : {"failed", "unknown"}) {
        auto r = table.resolve(ref);
        ASSERT_FALSE(r) << ref;
        EXPECT_EQ(r.error().status, 409u);
        EXPECT_NE(r.error().detail.find(ref), std::string::npos) << r.error().detail;
    }

    auto op = patch("bulkId:u", {{"Operations", {{{"op", "add"}, {"value", {{"manager", "bulkId:u"}}}}}},
                                 {"note", "see bulkId:u"}});
    ASSERT_TRUE(table.resolve_references(op));
    EXPECT_EQ(op.id, "id-of-u");
    EXPECT_EQ(op.data["Operations"][0]["value"]["manager"], "id-of-u");
    EXPECT_EQ(op.data["note"], "see bulkId:u");

    auto bad = patch("plain", members({"bulkId:u", "bulkId:failed"}));
    auto r = table.resolve_references(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().status, 409u);
}

}  // namespace
}  // namespace dirsync::scim
