// The real dirsyncd driven over loopback HTTP as an IdP would drive it.
#include "store/sqlite.hpp"
#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

TEST_F(DaemonTest, CreateReadReplaceDelete) {
    auto created = call(acme_token, "POST", "/scim/v2/Users", user_json("bjensen", "ext-1").dump());
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("Content-Type").rfind("application/scim+json", 0), 0u);
    auto body = parse(created);
    std::string id = body["id"];
    EXPECT_EQ(created.header("Location"),
              "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2/Users/" + id);
    EXPECT_EQ(body["meta"]["location"], created.header("Location"));
    EXPECT_EQ(body["meta"]["resourceType"], "User");
    EXPECT_EQ(body["meta"]["version"], "W/\"1\"");
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");
    EXPECT_EQ(body["userName"], "bjensen");
    EXPECT_EQ(body["externalId"], "ext-1");
    EXPECT_EQ(body["name"]["givenName"], "Barbara");
    EXPECT_TRUE(body["active"].get<bool>());

    auto got = call(acme_token, "GET", "/scim/v2/Users/" + id);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(parse(got), body);

    auto replacement = user_json("bjensen");
    replacement["displayName"] = "Babs Jensen";
    replacement["name"]["givenName"] = "Babs";
    auto put = call(acme_token, "PUT", "/scim/v2/Users/" + id, replacement.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    auto put_body = parse(put);
    EXPECT_EQ(put_body["displayName"], "Babs Jensen");
    EXPECT_FALSE(put_body.contains("externalId"));  // PUT replaces: attributes not sent are gone
    EXPECT_EQ(put_body["meta"]["version"], "W/\"2\"");
    EXPECT_EQ(put_body["meta"]["created"], body["meta"]["created"]);

    auto del = call(acme_token, "DELETE", "/scim/v2/Users/" + id);
    EXPECT_EQ(del.status, 204);
    EXPECT_TRUE(del.body.empty());
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users/" + id), 404);
    expect_scim_error(call(acme_token, "DELETE", "/scim/v2/Users/" + id), 404);
}

TEST_F(DaemonTest, CaseVariantDuplicateIsConflict) {
    create_user(acme_token, "BJensen");
    for (auto variant : {"bjensen", "BJENSEN", "bJensen"})
        expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", user_json(variant).dump()), 409,
                          "uniqueness");
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users"));
    EXPECT_EQ(list["totalResults"], 1);
    EXPECT_EQ(list["Resources"][0]["userName"], "BJensen");
}

TEST_F(DaemonTest, TenantsAreIsolatedForEveryVerb) {
    std::string id = create_user(acme_token, "alice");
    auto a = parse(call(acme_token, "GET", "/scim/v2/Users/" + id));

    expect_scim_error(call(globex_token, "GET", "/scim/v2/Users/" + id), 404);
    expect_scim_error(call(globex_token, "PUT", "/scim/v2/Users/" + id, user_json("mallory").dump()), 404);
    expect_scim_error(call(globex_token, "PATCH", "/scim/v2/Users/" + id,
                           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                               "Operations":[{"op":"replace","path":"displayName","value":"pwned"}]})"),
                      404);
    expect_scim_error(call(globex_token, "DELETE", "/scim/v2/Users/" + id), 404);

    auto list = parse(call(globex_token, "GET", "/scim/v2/Users"));
    EXPECT_EQ(list["totalResults"], 0);
    auto filtered = parse(call(globex_token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22alice%22"));
    EXPECT_EQ(filtered["totalResults"], 0);
    auto by_id = parse(call(globex_token, "GET", "/scim/v2/Users?filter=id%20eq%20%22" + id + "%22"));
    EXPECT_EQ(by_id["totalResults"], 0);

    // The same userName is free in the other tenant, and acme's record is untouched.
    create_user(globex_token, "alice");
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users/" + id)), a);
}

TEST_F(DaemonTest, ListPagingAndFilter) {
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i)
        ids.push_back(create_user(acme_token, "user" + std::to_string(i), "x" + std::to_string(i)));

    auto page = parse(call(acme_token, "GET", "/scim/v2/Users?startIndex=3&count=2"));
    EXPECT_EQ(page["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
    EXPECT_EQ(page["totalResults"], 7);
    EXPECT_EQ(page["itemsPerPage"], 2);
    EXPECT_EQ(page["startIndex"], 3);
    ASSERT_EQ(page["Resources"].size(), 2u);
    EXPECT_EQ(page["Resources"][0]["id"], ids[2]);
    EXPECT_EQ(page["Resources"][1]["id"], ids[3]);

    auto tail = parse(call(acme_token, "GET", "/scim/v2/Users?startIndex=6&count=10"));
    EXPECT_EQ(tail["itemsPerPage"], 2);
    auto beyond = parse(call(acme_token, "GET", "/scim/v2/Users?startIndex=100"));
    EXPECT_EQ(beyond["totalResults"], 7);
    EXPECT_EQ(beyond["itemsPerPage"], 0);
    auto zero = parse(call(acme_token, "GET", "/scim/v2/Users?count=0"));
    EXPECT_EQ(zero["totalResults"], 7);
    EXPECT_TRUE(zero["Resources"].empty());
    auto below = parse(call(acme_token, "GET", "/scim/v2/Users?startIndex=-4&count=1"));
    EXPECT_EQ(below["startIndex"], 1);
    EXPECT_EQ(below["Resources"][0]["id"], ids[0]);

    auto by_name = parse(call(acme_token, "GET", "/scim/v2/Users?filter=userName+eq+%22USER3%22"));
    EXPECT_EQ(by_name["totalResults"], 1);
    EXPECT_EQ(by_name["Resources"][0]["id"], ids[3]);
    auto by_ext = parse(call(acme_token, "GET", "/scim/v2/Users?filter=externalId%20eq%20%22x5%22"));
    EXPECT_EQ(by_ext["totalResults"], 1);
    auto either =
        parse(call(acme_token, "GET",
                   "/scim/v2/Users?filter=(userName%20eq%20%22user1%22%20or%20userName%20eq%20%22user2%22)"
                   "%20and%20active%20eq%20true"));
    EXPECT_EQ(either["totalResults"], 2);
    auto by_email =
        parse(call(acme_token, "GET", "/scim/v2/Users?filter=emails.value%20eq%20%22user4@EXAMPLE.com%22"));
    EXPECT_EQ(by_email["totalResults"], 1);
    auto by_display = parse(call(acme_token, "GET", "/scim/v2/Users?filter=displayName%20eq%20%22nobody%22"));
    EXPECT_EQ(by_display["totalResults"], 0);
    // Entra's "Test Connection": a filter on a random GUID answers an empty list.
    auto probe = call(acme_token, "GET",
                      "/scim/v2/Users?filter=userName%20eq%20%220f0e6c6a-4bc4-4d06-9a4f-7a2d4a1c8f3e%22");
    ASSERT_EQ(probe.status, 200);
    EXPECT_EQ(parse(probe)["totalResults"], 0);

    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?filter=userName%20eq"), 400, "invalidFilter");
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?filter=userName%20zz%20%22x%22"), 400,
                      "invalidFilter");
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?count=ten"), 400, "invalidValue");
}

TEST_F(DaemonTest, PatchSimpleAndDottedAttributes) {
    std::string id = create_user(acme_token, "patchme");
    auto r = call(acme_token, "PATCH", "/scim/v2/Users/" + id, R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "path": "displayName", "value": "Patched"},
            {"op": "add", "path": "name.familyName", "value": "Smith"},
            {"op": "REMOVE", "path": "name.givenName"},
            {"op": "replace", "path": "active", "value": "False"}
        ]})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = parse(r);
    EXPECT_EQ(j["displayName"], "Patched");
    EXPECT_EQ(j["name"]["familyName"], "Smith");
    EXPECT_FALSE(j["name"].contains("givenName"));
    EXPECT_FALSE(j["active"].get<bool>());
    EXPECT_EQ(j["meta"]["version"], "W/\"2\"");
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users/" + id)), j);

    expect_scim_error(call(acme_token, "PATCH", "/scim/v2/Users/" + id,
                           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                               "Operations":[{"op":"remove"}]})"),
                      400, "noTarget");
    expect_scim_error(call(acme_token, "PATCH", "/scim/v2/Users/" + id,
                           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                               "Operations":[{"op":"replace","path":"id","value":"x"}]})"),
                      400, "mutability");
    // A failed PATCH changes nothing.
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users/" + id)), j);
}

TEST_F(DaemonTest, IfMatchAndIfNoneMatch) {
    std::string id = create_user(acme_token, "etag");
    auto cur = call(acme_token, "GET", "/scim/v2/Users/" + id);
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users/" + id, {}, {"If-None-Match: W/\"1\""}).status, 304);
    expect_scim_error(
        call(acme_token, "PUT", "/scim/v2/Users/" + id, user_json("etag").dump(), {"If-Match: W/\"9\""}),
        412);
    EXPECT_EQ(
        call(acme_token, "PUT", "/scim/v2/Users/" + id, user_json("etag2").dump(), {"If-Match: W/\"1\""})
            .status,
        200);
    expect_scim_error(call(acme_token, "DELETE", "/scim/v2/Users/" + id, {}, {"If-Match: W/\"1\""}), 412);
    EXPECT_EQ(call(acme_token, "DELETE", "/scim/v2/Users/" + id, {}, {"If-Match: W/\"2\""}).status, 204);
}

TEST_F(DaemonTest, BadInputGetsScimErrors) {
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", "{not json"), 400, "invalidSyntax");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", "[]"), 400, "invalidSyntax");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users",
                           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]})"),
                      400, "invalidValue");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", R"({"userName":"noschemas"})"), 400,
                      "invalidValue");
    expect_scim_error(
        call(acme_token, "POST", "/scim/v2/Users",
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","active":"maybe"})"),
        400, "invalidValue");
    expect_scim_error(
        call(acme_token, "POST", "/scim/v2/Users",
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","password":42})"),
        400, "invalidValue");
    {
        http_client c(port());
        auto r =
            c.request("POST", "/scim/v2/Users", "<xml/>",
                      {"Authorization: Bearer " + std::string(acme_token), "Content-Type: application/xml"});
        expect_scim_error(r, 415);
    }
    // Oversize body (limit 64 KiB in this configuration).
    std::string big = user_json("big").dump();
    big.insert(big.size() - 1, ",\"nickName\":\"" + std::string(100 * 1024, 'x') + "\"");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", big), 413);
    // Unknown route, wrong method.
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Nope"), 404);
    expect_scim_error(call(acme_token, "GET", "/elsewhere"), 404);
    auto wrong = call(acme_token, "DELETE", "/scim/v2/Users");
    expect_scim_error(wrong, 405);
    EXPECT_EQ(wrong.header("Allow"), "GET, HEAD, POST");
    // Nothing of the above was stored.
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Users"))["totalResults"], 0);
}

TEST_F(DaemonTest, HeadIsServedWhereverGetIs) {
    const std::string id = create_user(acme_token, "head");
    for (const std::string& target :
         std::vector<std::string>{"/scim/v2/Users", "/scim/v2/Users/" + id, "/scim/v2/Schemas", "/healthz"}) {
        auto got = call(acme_token, "GET", target);
        auto head = call(acme_token, "HEAD", target);
        EXPECT_EQ(head.status, got.status) << target;
        EXPECT_EQ(head.body, "") << target;
        EXPECT_EQ(head.header("Content-Length"), std::to_string(got.body.size())) << target;
        EXPECT_EQ(head.header("Content-Type"), got.header("Content-Type")) << target;
    }
    auto unauthenticated = call("", "HEAD", "/scim/v2/Users");
    EXPECT_EQ(unauthenticated.status, 401);
    auto not_found = call(acme_token, "HEAD", "/scim/v2/Users/no-such-id");
    EXPECT_EQ(not_found.status, 404);
}

TEST_F(DaemonTest, PasswordIsAcceptedStoredHashedAndNeverReturned) {
    auto created = call(acme_token, "POST", "/scim/v2/Users",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"okta",)"
                        R"("password":"t1meMa$heen-0kta"})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.body.find("password"), std::string::npos) << created.body;
    EXPECT_EQ(created.body.find("t1meMa"), std::string::npos) << created.body;
    const std::string id = parse(created)["id"];
    auto read = call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=password,userName");
    EXPECT_EQ(read.body.find("password"), std::string::npos) << read.body;

    // The row holds a PHC scrypt hash; the cleartext is in neither the database, the resource nor the audit
    // log.
    store::sqlite_connection db(dir_.file("data/dirsyncd.db"), true);
    store::statement row(db, "SELECT password_hash, resource FROM users WHERE id = ?1");
    row.bind(1, id);
    ASSERT_TRUE(row.step());
    const auto hash = row.column_optional_text(0);
    ASSERT_TRUE(hash);
    EXPECT_EQ(hash->rfind("$scrypt$ln=15,r=8,p=1$", 0), 0u) << *hash;
    EXPECT_EQ(hash->find("t1meMa"), std::string::npos);
    EXPECT_EQ(row.column_text(1).find("password"), std::string::npos);
    store::statement audit(db, "SELECT count(*) FROM audit_events WHERE summary LIKE '%t1meMa%'");
    ASSERT_TRUE(audit.step());
    EXPECT_EQ(audit.column_int(0), 0);
    EXPECT_EQ(daemon_->log().find("t1meMa"), std::string::npos);
}

TEST_F(DaemonTest, BadTokensAreUnauthorized) {
    for (auto& headers : std::vector<std::vector<std::string>>{
             {},
             {"Authorization: Bearer wrong-token"},
             {"Authorization: Basic YWRtaW46YWRtaW4="},
             {"Authorization: Bearer"},
         }) {
        http_client c(port());
        auto r = c.request("GET", "/scim/v2/Users", {}, headers);
        expect_scim_error(r, 401);
        EXPECT_EQ(r.header("WWW-Authenticate").rfind("Bearer", 0), 0u);
    }
    // The token never appears in the log.
    call(acme_token, "GET", "/scim/v2/Users");
    EXPECT_TRUE(wait_for_log("tenant=acme"));
    EXPECT_EQ(daemon_->log().find(acme_token), std::string::npos);
    EXPECT_EQ(daemon_->log().find("wrong-token"), std::string::npos);
}

TEST_F(DaemonTest, SeatLimitGivesRequested) {
    // globex has 3 seats.
    for (int i = 0; i < 4; ++i) create_user(globex_token, "g" + std::to_string(i));
    auto list = parse(call(globex_token, "GET", "/scim/v2/Users"));
    EXPECT_EQ(list["totalResults"], 4);
}

TEST_F(DaemonTest, RestartKeepsData) {
    std::string id = create_user(acme_token, "persistent", "p-1");
    auto before = parse(call(acme_token, "GET", "/scim/v2/Users/" + id));
    restart();
    auto after = call(acme_token, "GET", "/scim/v2/Users/" + id);
    ASSERT_EQ(after.status, 200);
    auto j = parse(after);
    j["meta"].erase("location");  // the port changes across restarts
    before["meta"].erase("location");
    EXPECT_EQ(j, before);
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users", user_json("PERSISTENT").dump()), 409,
                      "uniqueness");
}

TEST_F(DaemonTest, SigtermExitsZero) { EXPECT_EQ(daemon_->stop(), 0); }

TEST_F(DaemonTest, SighupReloadsAndTheDaemonKeepsServing) {
    ASSERT_EQ(::kill(daemon_->pid(), SIGHUP), 0);
    ASSERT_TRUE(wait_for_log("dirsyncd.yaml applied (0 change(s))"));
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users").status, 200);
    EXPECT_EQ(daemon_->stop(), 0);
}

TEST_F(DaemonTest, ASecondSigtermClosesARequestStillBeingReceived) {
    // A request whose body never completes holds the drain until shutdown_grace (10 s here); the second
    // SIGTERM ends it at once.
    http_client stalled(port());
    ASSERT_TRUE(stalled.send_only("POST /scim/v2/Users HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(daemon_->pid(), SIGTERM), 0);
    ASSERT_TRUE(wait_for_log("shutting down, 1 connection(s) open"));
    EXPECT_EQ(daemon_->stop(), 0);                                                 // the second SIGTERM
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));  // grace is 5 s
    EXPECT_NE(daemon_->log().find("closing all connections now"), std::string::npos);
}

}  // namespace
}  // namespace dirsync::testing
