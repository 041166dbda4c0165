#include "scim/bulk_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::scim {
namespace {

using nlohmann::json;

json envelope(json operations) {
    return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                {"Operations", std::move(operations)}};
}

const json user_data = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", "alice"}};

TEST(BulkRequest, ReadsEveryMethodAndPath) {
    auto body = envelope(json::array({
        {{"method", "post"}, {"path", "/Users"}, {"bulkId", "u1"}, {"data", user_data}},
        {{"method", "Put"}, {"path", "/users/abc"}, {"version", "W/\"3\""}, {"data", user_data}},
        {{"method", "PATCH"}, {"path", "/Groups/bulkId:g1"}, {"data", json::object()}},
        {{"method", "DELETE"}, {"path", "/Groups/xyz/"}},
        {{"method", "POST"}, {"path", "Groups"}, {"bulkId", "g1"}, {"data", {{"displayName", "G"}}}},
    }));
    body["failOnErrors"] = 2;
    auto r = read_bulk_request(body, 10);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->fail_on_errors, 2u);
    ASSERT_EQ(r->operations.size(), 5u);
    for (const auto& op : r->operations) EXPECT_FALSE(op.failure) << op.failure->detail;

    const auto& post = r->operations[0];
    EXPECT_EQ(post.method, "POST");
    EXPECT_EQ(post.verb, bulk_method::post);
    EXPECT_EQ(post.resource, bulk_resource::users);
    EXPECT_EQ(post.bulk_id, "u1");
    EXPECT_EQ(post.id, "");
    EXPECT_EQ(post.data, user_data);

    const auto& put = r->operations[1];
    EXPECT_EQ(put.method, "PUT");
    EXPECT_EQ(put.resource, bulk_resource::users);
    EXPECT_EQ(put.id, "abc");
    EXPECT_EQ(put.version, "W/\"3\"");

    EXPECT_EQ(r->operations[2].id, "bulkId:g1");
    EXPECT_EQ(r->operations[2].resource, bulk_resource::groups);
    EXPECT_EQ(r->operations[3].method, "DELETE");
    EXPECT_EQ(r->operations[3].verb, bulk_method::remove);
    EXPECT_EQ(r->operations[3].id, "xyz");
    EXPECT_TRUE(r->operations[3].data.is_null());
    EXPECT_EQ(r->operations[4].resource, bulk_resource::groups);
}

TEST(BulkRequest, MemberNamesAreCaseInsensitive) {
    json body = {{"Schemas", {"urn:ietf:params:scim:api:messages:2.0:bulkrequest"}},
                 {"operations", {{{"Method", "DELETE"}, {"PATH", "/Users/1"}, {"VERSION", "W/\"1\""}}}},
                 {"failonerrors", 1}};
    auto r = read_bulk_request(body, 10);
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(r->operations.size(), 1u);
    EXPECT_FALSE(r->operations[0].failure);
    EXPECT_EQ(r->operations[0].version, "W/\"1\"");
    EXPECT_EQ(r->fail_on_errors, 1u);
}

TEST(BulkRequest, EnvelopeErrorsFailTheWholeRequest) {
    const json one_delete = json::array({{{"method", "DELETE"}, {"path", "/Users/1"}}});
    struct bad_case {
        const char* name;
        json body;
        unsigned status;
        const char* scim_type;
    };
    const bad_case cases[] = {
        {"not an object", json::array(), 400, "invalidSyntax"},
        {"no schemas", json{{"Operations", one_delete}}, 400, "invalidSyntax"},
        {"wrong schema",
         json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", one_delete}},
         400, "invalidSyntax"},
        {"no Operations", json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}}}, 400,
         "invalidSyntax"},
        {"Operations not an array", envelope(json::object()), 400, "invalidSyntax"},
        {"Operations empty", envelope(json::array()), 400, "invalidSyntax"},
        {"failOnErrors zero",
         [&] {
             auto b = envelope(one_delete);
             b["failOnErrors"] = 0;
             return b;
         }(),
         400, "invalidValue"},
        {"failOnErrors negative",
         [&] {
             auto b = envelope(one_delete);
             b["failOnErrors"] = -1;
             return b;
         }(),
         400, "invalidValue"},
        {"failOnErrors a string",
         [&] {
             auto b = envelope(one_delete);
             b["failOnErrors"] = "1";
             return b;
         }(),
         400, "invalidValue"},
        {"failOnErrors fractional",
         [&] {
             auto b = envelope(one_delete);
             b["failOnErrors"] = 1.5;
             return b;
         }(),
         400, "invalidValue"},
        {"too many operations", envelope(json::array({one_delete[0], one_delete[0], one_delete[0]})), 413,
         ""},
    };
    for (const auto& c : cases) {
        auto r = read_bulk_request(c.body, 2);
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().status, c.status) << c.name;
        EXPECT_EQ(r.error().scim_type, c.scim_type) << c.name;
    }
}

TEST(BulkRequest, MalformedOperationsFailAlone) {
    struct bad_case {
        const char* name;
        json op;
        const char* scim_type;
        const char* method;  // as the response will echo it
    };
    const bad_case cases[] = {
        {"not an object", json("DELETE /Users/1"), "invalidSyntax", ""},
        {"no method", {{"path", "/Users/1"}}, "invalidSyntax", ""},
        {"method GET", {{"method", "GET"}, {"path", "/Users/1"}}, "invalidValue", "GET"},
        {"method not a string", {{"method", 1}, {"path", "/Users/1"}}, "invalidSyntax", ""},
        {"no path", {{"method", "DELETE"}}, "invalidSyntax", "DELETE"},
        {"path not a string", {{"method", "DELETE"}, {"path", 5}}, "invalidSyntax", "DELETE"},
        {"POST without bulkId",
         {{"method", "POST"}, {"path", "/Users"}, {"data", user_data}},
         "invalidValue",
         "POST"},
        {"POST with empty bulkId",
         {{"method", "POST"}, {"path", "/Users"}, {"bulkId", ""}, {"data", user_data}},
         "invalidValue",
         "POST"},
        {"bulkId not a string",
         {{"method", "POST"}, {"path", "/Users"}, {"bulkId", 7}, {"data", user_data}},
         "invalidSyntax",
         "POST"},
        {"POST to a resource",
         {{"method", "POST"}, {"path", "/Users/1"}, {"bulkId", "a"}, {"data", user_data}},
         "invalidValue",
         "POST"},
        {"PUT to a collection",
         {{"method", "PUT"}, {"path", "/Users"}, {"data", user_data}},
         "invalidValue",
         "PUT"},
        {"DELETE of a collection", {{"method", "DELETE"}, {"path", "/Groups/"}}, "invalidValue", "DELETE"},
        {"unknown resource type", {{"method", "DELETE"}, {"path", "/Schemas/x"}}, "invalidValue", "DELETE"},
        {"nested path", {{"method", "DELETE"}, {"path", "/Users/1/2"}}, "invalidValue", "DELETE"},
        {"search path",
         {{"method", "PATCH"}, {"path", "/Users/.search"}, {"data", json::object()}},
         "invalidValue",
         "PATCH"},
        {"query in path", {{"method", "DELETE"}, {"path", "/Users/1?x=y"}}, "invalidValue", "DELETE"},
        {"POST without data",
         {{"method", "POST"}, {"path", "/Users"}, {"bulkId", "a"}},
         "invalidSyntax",
         "POST"},
        {"PATCH data not an object",
         {{"method", "PATCH"}, {"path", "/Users/1"}, {"data", json::array()}},
         "invalidSyntax",
         "PATCH"},
        {"version not a string",
         {{"method", "DELETE"}, {"path", "/Users/1"}, {"version", 3}},
         "invalidSyntax",
         "DELETE"},
    };
    for (const auto& c : cases) {
        auto body = envelope(json::array({{{"method", "DELETE"}, {"path", "/Users/ok"}}, c.op}));
        auto r = read_bulk_request(body, 10);
        ASSERT_TRUE(r) << c.name << ": " << r.error().detail;
        ASSERT_EQ(r->operations.size(), 2u);
        EXPECT_FALSE(r->operations[0].failure) << c.name;
        const auto& op = r->operations[1];
        ASSERT_TRUE(op.failure) << c.name;
        EXPECT_EQ(op.failure->status, 400u) << c.name;
        EXPECT_EQ(op.failure->scim_type, c.scim_type) << c.name << ": " << op.failure->detail;
        EXPECT_EQ(op.failure->detail.rfind("Operations[1]: ", 0), 0u) << op.failure->detail;
        EXPECT_EQ(op.method, c.method) << c.name;
    }
}

TEST(BulkRequest, DuplicateBulkIdFailsTheLaterOperation) {
    auto body = envelope(json::array({
        {{"method", "POST"}, {"path", "/Users"}, {"bulkId", "x"}, {"data", user_data}},
        {{"method", "POST"}, {"path", "/Groups"}, {"bulkId", "x"}, {"data", {{"displayName", "G"}}}},
    }));
    auto r = read_bulk_request(body, 10);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->operations[0].failure);
    ASSERT_TRUE(r->operations[1].failure);
    EXPECT_EQ(r->operations[1].failure->scim_type, "invalidValue");
    EXPECT_NE(r->operations[1].failure->detail.find("Operations[0]"), std::string::npos);
    EXPECT_EQ(r->operations[1].bulk_id, "x");  // still echoed in the response
}

TEST(BulkRequest, VersionOfAPostIsIgnored) {
    auto body = envelope(json::array({{{"method", "POST"},
                                       {"path", "/Users"},
                                       {"bulkId", "a"},
                                       {"version", "W/\"1\""},
                                       {"data", user_data}}}));
    auto r = read_bulk_request(body, 10);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->operations[0].failure);
    EXPECT_FALSE(r->operations[0].version);
}

}  // namespace
}  // namespace dirsync::scim
