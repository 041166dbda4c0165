// POST /Bulk through scim::service against a real directory on SQLite, without sockets.
#include "scim/bulk_endpoint.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/sha256.hpp"
#include "http/bearer_authenticator.hpp"
#include "route_request.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

constexpr const char* base = "https://sync.example.com/scim/v2";

class BulkEndpointTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "s.db")};
    directory::tenant_directory dir{db_};
    http::bearer_authenticator auth = tenant_tokens({{"acme", "acme-token"}, {"globex", "globex-token"}});
    service_settings settings = [] {
        service_settings s;
        s.public_base_url = base;
        s.bulk = {10, 64 * 1024};
        return s;
    }();

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", std::nullopt}});
    }

    http::response post_bulk(const std::string& body, const std::string& token = "acme-token") {
        service svc(dir, settings);
        http::request req;
        req.method = "POST";
        req.target = "/scim/v2/Bulk";
        req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/scim+json"}};
        req.body = body;
        return route_request(svc, auth, req);
    }

    /// POSTs a BulkRequest with `operations` and returns its BulkResponse's Operations (asserting 200).
    json run(json operations, std::optional<int> fail_on_errors = std::nullopt,
             const std::string& token = "acme-token") {
        json body = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                     {"Operations", std::move(operations)}};
        if (fail_on_errors) body["failOnErrors"] = *fail_on_errors;
        auto res = post_bulk(body.dump(), token);
        EXPECT_EQ(res.status, 200u) << res.body;
        auto j = json::parse(res.body, nullptr, false);
        EXPECT_EQ(j["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:BulkResponse"}))
            << res.body;
        return j.is_object() && j.contains("Operations") ? j["Operations"] : json::array();
    }

    static json user(const std::string& name) {
        return {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", name}};
    }
    static json group(const std::string& name, std::vector<std::string> members = {}) {
        json j = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
        if (!members.empty()) {
            j["members"] = json::array();
            for (auto& m : members) j["members"].push_back({{"value", m}});
        }
        return j;
    }
    static json post(const std::string& path, const std::string& bulk_id, json data) {
        return {{"method", "POST"}, {"path", path}, {"bulkId", bulk_id}, {"data", std::move(data)}};
    }
    static std::string id_of(const json& result) {
        std::string location = result.value("location", "");
        return location.substr(location.rfind('/') + 1);
    }
};

TEST_F(BulkEndpointTest, CreatesAUserAndAGroupThatReferencesIt) {
    auto ops = run(json::array(
        {post("/Users", "u1", user("alice")), post("/Groups", "g1", group("Admins", {"bulkId:u1"}))}));
    ASSERT_EQ(ops.size(), 2u) << ops;
    EXPECT_EQ(ops[0]["method"], "POST");
    EXPECT_EQ(ops[0]["bulkId"], "u1");
    EXPECT_EQ(ops[0]["status"], "201");
    EXPECT_EQ(ops[0]["version"], "W/\"1\"");
    EXPECT_EQ(ops[0]["location"].get<std::string>().rfind(std::string(base) + "/Users/", 0), 0u);
    EXPECT_FALSE(ops[0].contains("response"));  // a success carries no body
    EXPECT_EQ(ops[1]["status"], "201");

    auto g = dir.get_group("acme", id_of(ops[1]));
    ASSERT_TRUE(g);
    ASSERT_TRUE(g->members);
    ASSERT_EQ(g->members->size(), 1u);
    EXPECT_EQ(g->members->front().id, id_of(ops[0]));
}

TEST_F(BulkEndpointTest, ReplacePatchDeleteWithVersions) {
    auto created = run(json::array({post("/Users", "u", user("bob")), post("/Groups", "g", group("G"))}));
    const std::string uid = id_of(created[0]), gid = id_of(created[1]);
    const json patch_op = {
        {"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
        {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", "Bobby"}}}}};
    auto ops = run(json::array({
        {{"method", "put"}, {"path", "/Users/" + uid}, {"version", "W/\"1\""}, {"data", user("bob2")}},
        {{"method", "PATCH"}, {"path", "/Users/" + uid}, {"version", "W/\"1\""}, {"data", patch_op}},
        {{"method", "PATCH"}, {"path", "/Groups/" + gid}, {"data", patch_op}},
        {{"method", "DELETE"}, {"path", "/Groups/" + gid}, {"version", "W/\"2\""}},
    }));
    ASSERT_EQ(ops.size(), 4u) << ops;
    EXPECT_EQ(ops[0]["method"], "PUT");
    EXPECT_EQ(ops[0]["status"], "200");
    EXPECT_EQ(ops[0]["version"], "W/\"2\"");
    EXPECT_EQ(ops[0]["location"], std::string(base) + "/Users/" + uid);
    EXPECT_EQ(ops[1]["status"], "412");  // the PUT moved the user to version 2
    EXPECT_FALSE(ops[1].contains("version"));
    EXPECT_EQ(ops[1]["location"], std::string(base) + "/Users/" + uid);
    EXPECT_EQ(ops[1]["response"]["status"], "412");
    EXPECT_EQ(ops[1]["response"]["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
    EXPECT_EQ(ops[2]["status"], "204");  // as a single PATCH of a group answers
    EXPECT_EQ(ops[2]["version"], "W/\"2\"");
    EXPECT_EQ(ops[3]["status"], "204");
    EXPECT_EQ(ops[3]["location"], std::string(base) + "/Groups/" + gid);
    EXPECT_FALSE(dir.get_group("acme", gid));
    EXPECT_EQ(dir.get_user("acme", uid)->resource["userName"], "bob2");
}

TEST_F(BulkEndpointTest, ForwardReferenceRunsThePostFirstAndTheResponseKeepsRequestOrder) {
    auto ops =
        run(json::array({post("/Groups", "g", group("G", {"bulkId:u"})),
                         {{"method", "PATCH"},
                          {"path", "/Groups/bulkId:g"},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                            {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", "H"}}}}}}},
                         post("/Users", "u", user("carol"))}));
    ASSERT_EQ(ops.size(), 3u) << ops;
    EXPECT_EQ(ops[0]["bulkId"], "g");
    EXPECT_EQ(ops[0]["status"], "201") << ops[0];
    EXPECT_EQ(ops[1]["status"], "204") << ops[1];
    EXPECT_EQ(ops[1]["location"], ops[0]["location"]);
    EXPECT_EQ(ops[2]["bulkId"], "u");
    EXPECT_EQ(ops[2]["status"], "201");
    auto g = dir.get_group("acme", id_of(ops[0]));
    ASSERT_TRUE(g);
    EXPECT_EQ(g->resource["displayName"], "H");
    EXPECT_EQ(g->members->front().id, id_of(ops[2]));
}

TEST_F(BulkEndpointTest, UnresolvableReferencesFailWith409) {
    auto ops = run(json::array({
        post("/Users", "bad",
             json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}}),  // no userName
        post("/Groups", "g1", group("G1", {"bulkId:bad"})),
        post("/Groups", "g2", group("G2", {"bulkId:nobody"})),
        {{"method", "DELETE"}, {"path", "/Users/bulkId:nobody"}},
        post("/Groups", "a", group("A", {"bulkId:b"})),
        post("/Groups", "b", group("B", {"bulkId:a"})),
    }));
    ASSERT_EQ(ops.size(), 6u) << ops;
    EXPECT_EQ(ops[0]["status"], "400");
    EXPECT_FALSE(ops[0].contains("location"));  // a failed POST has none
    for (int i : {1, 2, 3, 4, 5}) {
        EXPECT_EQ(ops[i]["status"], "409") << ops[i];
        EXPECT_EQ(ops[i]["response"]["scimType"], "invalidValue") << ops[i];
        EXPECT_FALSE(ops[i].contains("location")) << ops[i];
    }
    EXPECT_NE(ops[1]["response"]["detail"].get<std::string>().find("\"bad\""), std::string::npos);
    EXPECT_NE(ops[2]["response"]["detail"].get<std::string>().find("\"nobody\""), std::string::npos);
    EXPECT_NE(ops[4]["response"]["detail"].get<std::string>().find("cycle"), std::string::npos);
    EXPECT_EQ(dir.count_groups("acme"), 0);
}

TEST_F(BulkEndpointTest, FailOnErrorsStopsAndOmitsTheRest) {
    auto ops = run(json::array({post("/Users", "a", user("dave")), post("/Users", "b", user("dave")),
                                post("/Users", "c", user("erin")), post("/Users", "d", user("frank"))}),
                   1);
    ASSERT_EQ(ops.size(), 2u) << ops;
    EXPECT_EQ(ops[0]["status"], "201");
    EXPECT_EQ(ops[1]["status"], "409");
    EXPECT_EQ(ops[1]["response"]["scimType"], "uniqueness");
    EXPECT_EQ(dir.count_users("acme"), 1);  // not atomic: the first POST stays

    ops = run(json::array({post("/Users", "a", user("dave")),
                           post("/Users", "b", user("gina")),
                           {{"method", "DELETE"}, {"path", "/Users/missing"}},
                           post("/Users", "c", user("hal"))}),
              2);
    ASSERT_EQ(ops.size(), 3u) << ops;
    EXPECT_EQ(ops[2]["status"], "404");
    EXPECT_EQ(dir.count_users("acme"), 2);
}

TEST_F(BulkEndpointTest, OperationsOfAnotherTenantAreNotFound) {
    auto theirs = run(json::array({post("/Users", "u", user("ivan"))}), std::nullopt, "globex-token");
    const std::string uid = id_of(theirs[0]);
    auto ops = run(json::array(
        {{{"method", "DELETE"}, {"path", "/Users/" + uid}}, post("/Groups", "g", group("Steal", {uid}))}));
    ASSERT_EQ(ops.size(), 2u);
    EXPECT_EQ(ops[0]["status"], "404");
    EXPECT_EQ(ops[1]["status"], "400");
    EXPECT_TRUE(dir.get_user("globex", uid));
    EXPECT_EQ(dir.count_groups("acme"), 0);
}

TEST_F(BulkEndpointTest, MalformedOperationIsReportedInPlace) {
    auto ops = run(json::array({{{"method", "GET"}, {"path", "/Users"}}, post("/Users", "u", user("jo"))}));
    ASSERT_EQ(ops.size(), 2u);
    EXPECT_EQ(ops[0]["method"], "GET");
    EXPECT_EQ(ops[0]["status"], "400");
    EXPECT_EQ(ops[0]["response"]["detail"].get<std::string>().rfind("Operations[0]: ", 0), 0u);
    EXPECT_EQ(ops[1]["status"], "201");
}

TEST_F(BulkEndpointTest, WholeRequestErrors) {
    auto ops = json::array();
    for (int i = 0; i < 11; ++i) ops.push_back({{"method", "DELETE"}, {"path", "/Users/x"}});
    json body = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}}, {"Operations", ops}};
    auto res = post_bulk(body.dump());
    EXPECT_EQ(res.status, 413u) << res.body;
    EXPECT_NE(res.body.find("maxOperations"), std::string::npos) << res.body;

    res = post_bulk(std::string(64 * 1024 + 1, ' '));
    EXPECT_EQ(res.status, 413u) << res.body;
    EXPECT_NE(res.body.find("maxPayloadSize"), std::string::npos) << res.body;

    res = post_bulk("{\"schemas\":");
    EXPECT_EQ(res.status, 400u);
    EXPECT_NE(res.body.find("invalidSyntax"), std::string::npos) << res.body;

    settings.bulk.max_operations = 0;
    res = post_bulk(body.dump());
    EXPECT_EQ(res.status, 501u) << res.body;
    EXPECT_EQ(res.content_type, "application/scim+json");
}

}  // namespace
}  // namespace dirsync::scim
