// POST /Bulk (RFC 7644 §3.7) driven over loopback HTTP against the real daemon.
#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* bulk_urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr const char* patch_urn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

class BulkTest : public DaemonTest {
  protected:
    static json request(json operations, std::optional<int> fail_on_errors = std::nullopt) {
        json body = {{"schemas", {bulk_urn}}, {"Operations", std::move(operations)}};
        if (fail_on_errors) body["failOnErrors"] = *fail_on_errors;
        return body;
    }

    /// POSTs a BulkRequest and returns the BulkResponse's Operations, asserting 200.
    json bulk(const std::string& token, json operations, std::optional<int> fail_on_errors = std::nullopt) {
        auto r = call(token, "POST", "/scim/v2/Bulk", request(std::move(operations), fail_on_errors).dump());
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("Content-Type").rfind("application/scim+json", 0), 0u);
        auto j = parse(r);
        EXPECT_TRUE(j.is_object()) << r.body;
        if (!j.is_object()) return json::array();
        EXPECT_EQ(j["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:BulkResponse"}));
        return j.value("Operations", json::array());
    }

    static json post(const std::string& path, const std::string& bulk_id, json data) {
        return {{"method", "POST"}, {"path", path}, {"bulkId", bulk_id}, {"data", std::move(data)}};
    }

    static json group(const std::string& name, const std::vector<std::string>& members = {}) {
        json j = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
        if (!members.empty()) {
            j["members"] = json::array();
            for (const auto& m : members) j["members"].push_back({{"value", m}});
        }
        return j;
    }

    static json rename(const std::string& attribute, const std::string& value) {
        return {{"schemas", {patch_urn}},
                {"Operations", {{{"op", "replace"}, {"path", attribute}, {"value", value}}}}};
    }

    static std::string id_of(const json& op) {
        std::string location = op.value("location", "");
        auto slash = location.rfind('/');
        return slash == std::string::npos ? std::string() : location.substr(slash + 1);
    }

    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2"; }

    json get(const std::string& token, const std::string& path, int expected = 200) {
        auto r = call(token, "GET", "/scim/v2" + path);
        EXPECT_EQ(r.status, expected) << path << ": " << r.body;
        return parse(r);
    }
};

TEST_F(BulkTest, CreatesAUserAndAGroupReferencingItByBulkId) {
    auto ops = bulk(acme_token, json::array({post("/Users", "alice", user_json("alice")),
                                             post("/Groups", "admins", group("Admins", {"bulkId:alice"}))}));
    ASSERT_EQ(ops.size(), 2u) << ops;
    EXPECT_EQ(ops[0], json({{"method", "POST"},
                            {"bulkId", "alice"},
                            {"location", base() + "/Users/" + id_of(ops[0])},
                            {"version", "W/\"1\""},
                            {"status", "201"}}));
    EXPECT_EQ(ops[1]["status"], "201") << ops[1];
    EXPECT_EQ(ops[1]["location"], base() + "/Groups/" + id_of(ops[1]));

    auto user = get(acme_token, "/Users/" + id_of(ops[0]));
    EXPECT_EQ(user["userName"], "alice");
    ASSERT_EQ(user["groups"].size(), 1u) << user;
    EXPECT_EQ(user["groups"][0]["value"], id_of(ops[1]));
    auto g = get(acme_token, "/Groups/" + id_of(ops[1]));
    ASSERT_EQ(g["members"].size(), 1u) << g;
    EXPECT_EQ(g["members"][0]["value"], id_of(ops[0]));
    EXPECT_EQ(g["members"][0]["type"], "User");
}

TEST_F(BulkTest, ReplacePatchAndDelete) {
    const std::string uid = create_user(acme_token, "bob");
    auto made = bulk(acme_token, json::array({post("/Groups", "g", group("Team"))}));
    const std::string gid = id_of(made[0]);
    auto replaced = user_json("bob");
    replaced["displayName"] = "Bob B";
    json add_member = {
        {"schemas", {patch_urn}},
        {"Operations",
         json::array({{{"op", "add"}, {"path", "members"}, {"value", json::array({{{"value", uid}}})}}})}};
    auto ops =
        bulk(acme_token, json::array({{{"method", "PUT"}, {"path", "/Users/" + uid}, {"data", replaced}},
                                      {{"method", "patch"}, {"path", "/Groups/" + gid}, {"data", add_member}},
                                      {{"method", "DELETE"}, {"path", "/Users/" + uid}}}));
    ASSERT_EQ(ops.size(), 3u) << ops;
    EXPECT_EQ(ops[0]["method"], "PUT");
    EXPECT_EQ(ops[0]["status"], "200");
    EXPECT_EQ(ops[0]["version"], "W/\"2\"");
    EXPECT_EQ(ops[0]["location"], base() + "/Users/" + uid);
    EXPECT_EQ(ops[1]["method"], "PATCH");
    EXPECT_EQ(ops[1]["status"], "204");
    EXPECT_EQ(ops[1]["version"], "W/\"2\"");
    EXPECT_EQ(ops[2]["method"], "DELETE");
    EXPECT_EQ(ops[2]["status"], "204");
    EXPECT_EQ(ops[2]["location"], base() + "/Users/" + uid);
    EXPECT_FALSE(ops[2].contains("version"));

    get(acme_token, "/Users/" + uid, 404);
    auto g = get(acme_token, "/Groups/" + gid);
    EXPECT_FALSE(g.contains("members") && !g["members"].empty()) << g;  // the delete removed the member
}

TEST_F(BulkTest, VersionMismatchFailsThatOperationWith412) {
    const std::string uid = create_user(acme_token, "carol");
    auto ops = bulk(acme_token,
                    json::array({{{"method", "PATCH"},
                                  {"path", "/Users/" + uid},
                                  {"version", "W/\"7\""},
                                  {"data", rename("displayName", "Stale")}},
                                 {{"method", "PATCH"},
                                  {"path", "/Users/" + uid},
                                  {"version", "W/\"1\""},
                                  {"data", rename("displayName", "Fresh")}},
                                 {{"method", "DELETE"}, {"path", "/Users/" + uid}, {"version", "W/\"1\""}}}));
    ASSERT_EQ(ops.size(), 3u) << ops;
    EXPECT_EQ(ops[0]["status"], "412");
    EXPECT_EQ(ops[0]["response"]["status"], "412");
    EXPECT_EQ(ops[0]["response"]["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
    EXPECT_EQ(ops[0]["location"], base() + "/Users/" + uid);
    EXPECT_EQ(ops[1]["status"], "200");
    EXPECT_EQ(ops[1]["version"], "W/\"2\"");
    EXPECT_EQ(ops[2]["status"], "412");  // version 1 is gone now
    EXPECT_EQ(get(acme_token, "/Users/" + uid)["displayName"], "Fresh");
}

TEST_F(BulkTest, FailOnErrorsStopsAfterTheFirstFailure) {
    create_user(acme_token, "taken");
    auto ops =
        bulk(acme_token,
             json::array({post("/Users", "a", user_json("dave")), post("/Users", "b", user_json("taken")),
                          post("/Users", "c", user_json("erin"))}),
             1);
    ASSERT_EQ(ops.size(), 2u) << ops;
    EXPECT_EQ(ops[0]["status"], "201");
    EXPECT_EQ(ops[1]["status"], "409");
    EXPECT_EQ(ops[1]["response"]["scimType"], "uniqueness");
    EXPECT_FALSE(ops[1].contains("location"));
    // Not atomic: dave stays; erin was never attempted.
    auto found = get(acme_token, "/Users?filter=userName%20eq%20%22dave%22");
    EXPECT_EQ(found["totalResults"], 1);
    found = get(acme_token, "/Users?filter=userName%20eq%20%22erin%22");
    EXPECT_EQ(found["totalResults"], 0);

    // Without failOnErrors every operation is attempted.
    ops =
        bulk(acme_token,
             json::array({post("/Users", "b", user_json("taken")), post("/Users", "c", user_json("erin"))}));
    ASSERT_EQ(ops.size(), 2u);
    EXPECT_EQ(ops[0]["status"], "409");
    EXPECT_EQ(ops[1]["status"], "201");
}

TEST_F(BulkTest, ForwardReferenceIsResolvedByRunningThePostFirst) {
    auto ops = bulk(acme_token, json::array({post("/Groups", "eng", group("Engineering", {"bulkId:frank"})),
                                             {{"method", "PATCH"},
                                              {"path", "/Users/bulkId:frank"},
                                              {"data", rename("displayName", "Frank F")}},
                                             post("/Users", "frank", user_json("frank"))}));
    ASSERT_EQ(ops.size(), 3u) << ops;
    EXPECT_EQ(ops[0]["bulkId"], "eng");  // results stay in request order
    EXPECT_EQ(ops[0]["status"], "201") << ops[0];
    EXPECT_EQ(ops[1]["status"], "200") << ops[1];
    EXPECT_EQ(ops[1]["location"], ops[2]["location"]);
    EXPECT_EQ(ops[2]["bulkId"], "frank");
    EXPECT_EQ(ops[2]["status"], "201");
    auto g = get(acme_token, "/Groups/" + id_of(ops[0]));
    ASSERT_EQ(g["members"].size(), 1u);
    EXPECT_EQ(g["members"][0]["value"], id_of(ops[2]));
    EXPECT_EQ(get(acme_token, "/Users/" + id_of(ops[2]))["displayName"], "Frank F");
}

TEST_F(BulkTest, CircularReferencesFailWith409AndTheRestRuns) {
    auto ops =
        bulk(acme_token, json::array({post("/Groups", "a", group("A", {"bulkId:b"})),
                                      post("/Groups", "b", group("B", {"bulkId:a"})),
                                      post("/Users", "m1", user_json("mallory")), post("/Users", "m2", [] {
                                          auto u = user_json("mike");
                                          u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {
                                              {"manager", {{"value", "bulkId:m2"}}}};
                                          return u;
                                      }())}));
    ASSERT_EQ(ops.size(), 4u) << ops;
    for (int i : {0, 1, 3}) {
        EXPECT_EQ(ops[i]["status"], "409") << ops[i];
        EXPECT_EQ(ops[i]["response"]["status"], "409");
        EXPECT_NE(ops[i]["response"]["detail"].get<std::string>().find("cycle"), std::string::npos) << ops[i];
    }
    EXPECT_EQ(ops[2]["status"], "201");
    EXPECT_EQ(get(acme_token, "/Groups")["totalResults"], 0);
}

TEST_F(BulkTest, UnknownOrFailedBulkIdFailsTheReferencingOperation) {
    auto ops =
        bulk(acme_token, json::array({post("/Groups", "g", group("G", {"bulkId:ghost"})),
                                      {{"method", "DELETE"}, {"path", "/Groups/bulkId:ghost"}},
                                      post("/Users", "broken",
                                           json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}}),
                                      post("/Groups", "h", group("H", {"bulkId:broken"}))}));
    ASSERT_EQ(ops.size(), 4u) << ops;
    EXPECT_EQ(ops[0]["status"], "409");
    EXPECT_EQ(ops[0]["response"]["scimType"], "invalidValue");
    EXPECT_NE(ops[0]["response"]["detail"].get<std::string>().find("ghost"), std::string::npos);
    EXPECT_EQ(ops[1]["status"], "409");
    EXPECT_EQ(ops[2]["status"], "400");
    EXPECT_EQ(ops[3]["status"], "409");
    EXPECT_NE(ops[3]["response"]["detail"].get<std::string>().find("broken"), std::string::npos);
    EXPECT_EQ(get(acme_token, "/Groups")["totalResults"], 0);
}

TEST_F(BulkTest, IdsOfAnotherTenantAreNotFound) {
    const std::string theirs = create_user(globex_token, "victim");
    auto made = bulk(globex_token, json::array({post("/Groups", "g", group("Theirs"))}));
    const std::string their_group = id_of(made[0]);

    auto ops =
        bulk(acme_token, json::array({
                             {{"method", "DELETE"}, {"path", "/Users/" + theirs}},
                             {{"method", "PUT"}, {"path", "/Users/" + theirs}, {"data", user_json("mine")}},
                             {{"method", "PATCH"},
                              {"path", "/Groups/" + their_group},
                              {"data", rename("displayName", "Mine")}},
                             post("/Groups", "steal", group("Steal", {theirs})),
                         }));
    ASSERT_EQ(ops.size(), 4u) << ops;
    EXPECT_EQ(ops[0]["status"], "404");
    EXPECT_EQ(ops[1]["status"], "404");
    EXPECT_EQ(ops[2]["status"], "404");
    EXPECT_EQ(ops[3]["status"], "400");
    EXPECT_EQ(get(globex_token, "/Users/" + theirs)["userName"], "victim");
    EXPECT_EQ(get(globex_token, "/Groups/" + their_group)["displayName"], "Theirs");
    EXPECT_EQ(get(acme_token, "/Groups")["totalResults"], 0);

    // A bulkId names only what this request created, so it cannot reach the other tenant either.
    ops = bulk(acme_token, json::array({{{"method", "DELETE"}, {"path", "/Users/bulkId:" + theirs}}}));
    EXPECT_EQ(ops[0]["status"], "409");
}

TEST_F(BulkTest, MalformedRequests) {
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Bulk", "{not json"), 400, "invalidSyntax");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Bulk", R"({"Operations":[]})"), 400,
                      "invalidSyntax");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Bulk",
                           request(json::array({{{"method", "DELETE"}, {"path", "/Users/x"}}}), 0).dump()),
                      400, "invalidValue");
    auto r = call(acme_token, "GET", "/scim/v2/Bulk");
    expect_scim_error(r, 405);
    EXPECT_EQ(r.header("Allow"), "POST");
    expect_scim_error(call("", "POST", "/scim/v2/Bulk", request(json::array()).dump()), 401);

    auto ops =
        bulk(acme_token, json::array({{{"method", "POST"}, {"path", "/Users"}, {"data", user_json("nobulk")}},
                                      {{"method", "GET"}, {"path", "/Users"}}}));
    ASSERT_EQ(ops.size(), 2u);
    EXPECT_EQ(ops[0]["status"], "400");
    EXPECT_EQ(ops[0]["response"]["scimType"], "invalidValue");
    EXPECT_EQ(ops[1]["method"], "GET");
    EXPECT_EQ(ops[1]["status"], "400");
}

TEST_F(BulkTest, DefaultLimitsFollowTheBodyLimit) {
    // The fixture sets max_body_bytes to 64 KiB; the /Bulk payload limit defaults to it.
    auto spc = get(acme_token, "/ServiceProviderConfig");
    EXPECT_EQ(spc["bulk"], json({{"supported", true}, {"maxOperations", 1000}, {"maxPayloadSize", 65536}}));
}

class BulkLimitsTest : public BulkTest {
  protected:
    std::string extra_server_yaml() const override {
        return "scim:\n  bulk: { max_operations: 3, max_payload_size: 2KiB }\n";
    }
};

TEST_F(BulkLimitsTest, TooManyOperationsOrTooLargeIs413) {
    auto spc = get(acme_token, "/ServiceProviderConfig");
    EXPECT_EQ(spc["bulk"], json({{"supported", true}, {"maxOperations", 3}, {"maxPayloadSize", 2048}}));

    json four = json::array();
    for (int i = 0; i < 4; ++i)
        four.push_back(post("/Users", "u" + std::to_string(i), user_json("u" + std::to_string(i))));
    auto r = call(acme_token, "POST", "/scim/v2/Bulk", request(four).dump());
    expect_scim_error(r, 413);
    EXPECT_NE(parse(r)["detail"].get<std::string>().find("maxOperations"), std::string::npos) << r.body;

    auto big = user_json("big");
    big["displayName"] = std::string(3000, 'x');
    r = call(acme_token, "POST", "/scim/v2/Bulk", request(json::array({post("/Users", "big", big)})).dump());
    expect_scim_error(r, 413);
    EXPECT_NE(parse(r)["detail"].get<std::string>().find("maxPayloadSize"), std::string::npos) << r.body;
    EXPECT_EQ(get(acme_token, "/Users")["totalResults"], 0);  // nothing ran

    four.erase(3);
    EXPECT_EQ(bulk(acme_token, four).size(), 3u);
}

class BulkOffTest : public BulkTest {
  protected:
    std::string extra_server_yaml() const override { return "scim: { bulk: { max_operations: 0 } }\n"; }
};

TEST_F(BulkOffTest, BulkTurnedOffIs501) {
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Bulk",
                           request(json::array({post("/Users", "u", user_json("u"))})).dump()),
                      501);
    auto spc = get(acme_token, "/ServiceProviderConfig");
    EXPECT_EQ(spc["bulk"]["supported"], false);
}

}  // namespace
}  // namespace dirsync::testing
