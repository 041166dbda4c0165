// Okta's SCIM 2.0 requests replayed one by one against the real dirsyncd over loopback HTTP: the Runscope
// "Okta SCIM 2.0 SPEC Test" suite Okta requires before an integration is published, then the provisioning
// requests its engine sends, with the bodies exactly as Okta documents them (password, empty groups, the
// path-less {"active": false}, the rename carrying the group's id, remove-by-filter plus add in one request).
// Only ids the server assigns are substituted.
//
// Sources:
//  - "SCIM 2.0 protocol reference":
//    https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
//  - "Test your SCIM API" (the Runscope suite, its headers and initial variables):
//    https://developer.okta.com/docs/guides/scim-provisioning-integration-prepare/main/#test-your-scim-api
//    and the suite itself, https://developer.okta.com/standards/SCIM/SCIMFiles/Okta-SCIM-20-SPEC-Test.json
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* list_urn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
constexpr const char* error_urn = "urn:ietf:params:scim:api:messages:2.0:Error";
constexpr const char* user_urn = "urn:ietf:params:scim:schemas:core:2.0:User";

// The Runscope suite's initial variables, with the example values Okta's guide gives.
constexpr const char* random_given_name = "Runscope300";
constexpr const char* random_family_name = "Hfluaklab151";
constexpr const char* random_username = "Runscope300Hfluaklab151@example.com";
constexpr const char* random_email = "Runscope300Hfluaklab151@example.com";
constexpr const char* random_username_caps = "RUNSCOPE300HFLUAKLAB151@example.com";
constexpr const char* invalid_user_email = "abcdefgh@example.com";
constexpr const char* user_id_that_does_not_exist = "010101001010101011001010101011";

// "Create the User" request of the protocol reference, verbatim.
constexpr const char* create_user_request = R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "test.user@okta.local",
    "name": {
        "givenName": "Test",
        "familyName": "User"
    },
    "emails": [{
        "primary": true,
        "value": "test.user@okta.local",
        "type": "work"
    }],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": true
})";

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [key, value] : values)
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

class OktaReplayTest : public DaemonTest {
  protected:
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2"; }

    /// A request of the Runscope suite: its headers on every step, a body only on POSTs.
    http_result runscope(const std::string& method, const std::string& path, const std::string& body = {},
                         const std::string& token = acme_token) {
        http_client c(port());
        return c.request(method, "/scim/v2" + path, body,
                         {"Accept-Charset: utf-8", "Content-Type: application/scim+json; charset=utf-8",
                          "Accept: application/scim+json", "User-Agent: OKTA SCIM Integration",
                          "Authorization: Bearer " + token});
    }

    /// A request of Okta's provisioning engine ("User-Agent: Okta SCIM Client 1.0.0").
    http_result okta(const std::string& method, const std::string& path, const std::string& body = {}) {
        http_client c(port());
        std::vector<std::string> headers{"User-Agent: Okta SCIM Client 1.0.0",
                                         "Authorization: Bearer " + std::string(acme_token)};
        if (!body.empty()) headers.push_back("Content-Type: application/scim+json; charset=utf-8");
        return c.request(method, "/scim/v2" + path, body, headers);
    }

    static void expect_scim_json(const http_result& r) {
        EXPECT_EQ(r.header("Content-Type").rfind("application/scim+json", 0), 0u) << r.header("Content-Type");
    }

    /// Runscope's "has_value schemas ListResponse" and "is_a_number" checks on the paging fields.
    static json expect_list(const http_result& r) {
        EXPECT_EQ(r.status, 200) << r.body;
        expect_scim_json(r);
        auto j = parse(r);
        EXPECT_EQ(j["schemas"], json::array({list_urn})) << r.body;
        // "itemsPerPage, startIndex and totalResults values need to be exchanged as integers, not as
        // strings."
        EXPECT_TRUE(j["itemsPerPage"].is_number_integer()) << r.body;
        EXPECT_TRUE(j["startIndex"].is_number_integer()) << r.body;
        EXPECT_TRUE(j["totalResults"].is_number_integer()) << r.body;
        return j;
    }

    /// The "not_empty" checks the suite makes on a user (Resources[0] or a GET by id).
    static void expect_user_fields(json u) {
        EXPECT_TRUE(u["id"].is_string() && !u["id"].get<std::string>().empty()) << u;
        EXPECT_TRUE(u["name"]["familyName"].is_string() && !u["name"]["familyName"].empty()) << u;
        EXPECT_TRUE(u["name"]["givenName"].is_string() && !u["name"]["givenName"].empty()) << u;
        EXPECT_TRUE(u["userName"].is_string() && !u["userName"].empty()) << u;
        EXPECT_TRUE(u["active"].is_boolean()) << u;
        ASSERT_TRUE(u["emails"].is_array() && !u["emails"].empty()) << u;
        EXPECT_TRUE(u["emails"][0]["value"].is_string() && !u["emails"][0]["value"].empty()) << u;
    }

    /// The body of the suite's "Create Okta user with realistic values" step.
    static std::string realistic_user(const std::string& user_name, const std::string& email) {
        return json{{"schemas", {user_urn}},
                    {"userName", user_name},
                    {"name", {{"givenName", random_given_name}, {"familyName", random_family_name}}},
                    {"emails", {{{"primary", true}, {"value", email}, {"type", "work"}}}},
                    {"displayName", std::string(random_given_name) + " " + random_family_name},
                    {"active", true}}
            .dump();
    }

    std::set<std::string> member_values(const std::string& group_id) {
        auto r = okta("GET", "/Groups/" + group_id);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        auto j = parse(r);
        if (j.contains("members") && j["members"].is_array())
            for (const auto& m : j["members"]) out.insert(m["value"].get<std::string>());
        return out;
    }
};

// The Runscope "Okta SCIM 2.0 SPEC Test", step by step, with each step's assertions.
TEST_F(OktaReplayTest, SpecTest) {
    // "Create at least one user in your SCIM server before running the Okta SCIM API test suite."
    ASSERT_EQ(
        runscope("POST", "/Users", realistic_user("existing.user@example.com", "existing.user@example.com"))
            .status,
        201);

    // Required Test: Test Users endpoint.
    auto first = expect_list(runscope("GET", "/Users?count=1&startIndex=1"));
    ASSERT_EQ(first["Resources"].size(), 1u) << first;
    expect_user_fields(first["Resources"][0]);
    EXPECT_EQ(first["itemsPerPage"], 1);
    EXPECT_EQ(first["startIndex"], 1);
    const std::string isv_user_id = first["Resources"][0]["id"];

    // Required Test: Get Users/{{id}}.
    auto by_id = runscope("GET", "/Users/" + isv_user_id);
    ASSERT_EQ(by_id.status, 200) << by_id.body;
    expect_scim_json(by_id);
    expect_user_fields(parse(by_id));
    EXPECT_EQ(parse(by_id)["id"], isv_user_id);

    // Required Test: Test invalid User by username.
    auto invalid = expect_list(runscope(
        "GET", "/Users?filter=" + percent_encode("userName eq \"" + std::string(invalid_user_email) + "\"")));
    EXPECT_EQ(invalid["totalResults"], 0);

    // Required Test: Test invalid User by ID.
    auto missing = runscope("GET", "/Users/" + std::string(user_id_that_does_not_exist));
    EXPECT_EQ(missing.status, 404) << missing.body;
    expect_scim_json(missing);
    EXPECT_TRUE(parse(missing)["detail"].is_string() && !parse(missing)["detail"].empty()) << missing.body;
    EXPECT_EQ(parse(missing)["schemas"], json::array({error_urn}));

    // Required Test: Make sure random user doesn't exist.
    auto random = expect_list(runscope(
        "GET", "/Users?filter=" + percent_encode("userName eq \"" + std::string(random_email) + "\"")));
    EXPECT_EQ(random["totalResults"], 0);

    // Required Test: Create Okta user with realistic values.
    const std::string body = realistic_user(random_username, random_email);
    auto created = runscope("POST", "/Users", body);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_scim_json(created);
    auto c = parse(created);
    EXPECT_EQ(c["active"], true);
    const std::string id_user_one = c.value("id", "");
    EXPECT_FALSE(id_user_one.empty());
    EXPECT_EQ(c["name"]["familyName"], random_family_name);
    EXPECT_EQ(c["name"]["givenName"], random_given_name);
    EXPECT_NE(std::find(c["schemas"].begin(), c["schemas"].end(), user_urn), c["schemas"].end())
        << created.body;
    EXPECT_EQ(c["userName"], random_username);
    EXPECT_EQ(created.header("Location"), base() + "/Users/" + id_user_one);
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");

    // Required Test: Verify that user was created.
    auto verify = runscope("GET", "/Users/" + id_user_one);
    ASSERT_EQ(verify.status, 200) << verify.body;
    EXPECT_EQ(parse(verify)["userName"], random_username);
    EXPECT_EQ(parse(verify)["name"]["familyName"], random_family_name);
    EXPECT_EQ(parse(verify)["name"]["givenName"], random_given_name);

    // Required Test: Expect failure when recreating user with same values.
    expect_scim_error(runscope("POST", "/Users", body), 409, "uniqueness");

    // Required Test: Username Case Sensitivity Check (userName is caseExact false: the same user).
    auto caps = expect_list(runscope(
        "GET",
        "/Users?filter=" + percent_encode("userName eq \"" + std::string(random_username_caps) + "\"")));
    EXPECT_EQ(caps["totalResults"], 1);
    EXPECT_EQ(caps["Resources"][0]["id"], id_user_one);

    // Optional Test: Verify Groups endpoint.
    auto groups = expect_list(runscope("GET", "/Groups"));
    EXPECT_TRUE(groups["totalResults"] == 0 || groups["Resources"].is_array()) << groups;

    // A wrong credential is refused with a SCIM error, not an empty list.
    auto denied = runscope("GET", "/Users?count=1&startIndex=1", {}, "wrong-token");
    expect_scim_error(denied, 401);
    EXPECT_TRUE(parse(denied)["detail"].is_string());
}

// Protocol reference, "Create Users": the existence check, then the create with Okta's password. The
// password is accepted and never returned.
TEST_F(OktaReplayTest, CreateUserWithPassword) {
    auto check = expect_list(
        okta("GET", "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"));
    EXPECT_EQ(check["totalResults"], 0);
    EXPECT_EQ(check["startIndex"], 1);
    EXPECT_EQ(check["itemsPerPage"], 0);
    EXPECT_EQ(check["Resources"], json::array());

    auto created = okta("POST", "/Users", create_user_request);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_scim_json(created);
    auto u = parse(created);
    const std::string id = u.value("id", "");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(created.header("Location"), base() + "/Users/" + id);
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");
    EXPECT_EQ(u["userName"], "test.user@okta.local");
    EXPECT_EQ(u["name"], json({{"givenName", "Test"}, {"familyName", "User"}}));
    EXPECT_EQ(u["emails"],
              json::parse(R"([{"primary": true, "value": "test.user@okta.local", "type": "work"}])"));
    EXPECT_EQ(u["displayName"], "Test User");
    EXPECT_EQ(u["locale"], "en-US");
    EXPECT_EQ(u["externalId"], "00ujl29u0le5T6Aj10h7");
    EXPECT_EQ(u["active"], true);
    EXPECT_EQ(u["meta"]["resourceType"], "User");
    EXPECT_FALSE(u.contains("password")) << created.body;
    EXPECT_EQ(created.body.find("1mz050nq"), std::string::npos);

    for (const std::string& read : std::vector<std::string>{
             "/Users/" + id, "/Users/" + id + "?attributes=password",
             "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"}) {
        auto r = okta("GET", read);
        EXPECT_EQ(r.status, 200) << read << ": " << r.body;
        EXPECT_EQ(r.body.find("password"), std::string::npos) << read << ": " << r.body;
        EXPECT_EQ(r.body.find("1mz050nq"), std::string::npos) << read << ": " << r.body;
    }

    // "If the User object that Okta tries to create already exists ... respond with an error schema."
    expect_scim_error(okta("POST", "/Users", create_user_request), 409, "uniqueness");
}

// Protocol reference, "Retrieve Users", "Update a specific User (PUT)" and "(PATCH)": Okta's users are set
// up (its create is replayed in CreateUserWithPassword), read, updated with a full PUT after a GET,
// deactivated and reactivated with a path-less PATCH.
TEST_F(OktaReplayTest, RetrieveUpdateDeactivate) {
    json setup = json::parse(create_user_request);
    setup.erase("password");
    auto created = okta("POST", "/Users", setup.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = parse(created)["id"];

    auto all = expect_list(okta("GET", "/Users?startIndex=1&count=100"));
    EXPECT_EQ(all["totalResults"], 1);
    EXPECT_EQ(all["Resources"][0]["id"], id);

    // Retrieve the User.
    auto got = okta("GET", "/Users/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    expect_scim_json(got);
    EXPECT_EQ(got.header("ETag"), "W/\"1\"");

    // Update the User: the whole resource back, with id, meta, groups and the email's display.
    auto put = okta("PUT", "/Users/" + id,
                    fill(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "{id}",
    "userName": "test.user@okta.local",
    "name": {
        "givenName": "Another",
        "middleName": "Excited",
        "familyName": "User"
    },
    "emails": [{
        "primary": true,
        "value": "test.user@okta.local",
        "type": "work",
        "display": "test.user@okta.local"
    }],
    "active": true,
    "groups": [],
    "meta": {
        "resourceType": "User"
    }
})",
                         {{"{id}", id}}));
    ASSERT_EQ(put.status, 200) << put.body;
    expect_scim_json(put);
    auto p = parse(put);
    EXPECT_EQ(p["id"], id);
    EXPECT_EQ(p["name"], json({{"givenName", "Another"}, {"middleName", "Excited"}, {"familyName", "User"}}));
    EXPECT_EQ(p["emails"][0]["display"], "test.user@okta.local");
    EXPECT_EQ(p["active"], true);
    EXPECT_FALSE(p.contains("externalId"));  // PUT replaces: Okta's body leaves it out
    EXPECT_EQ(put.header("ETag"), "W/\"2\"");
    EXPECT_EQ(parse(okta("GET", "/Users/" + id)), p);

    // Deactivating a user.
    auto off = okta("PATCH", "/Users/" + id, R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "active": false
        }
    }]
})");
    ASSERT_EQ(off.status, 200) << off.body;
    expect_scim_json(off);
    auto o = parse(off);
    EXPECT_EQ(o["active"], false);
    EXPECT_EQ(o["name"]["middleName"], "Excited");
    EXPECT_EQ(off.header("ETag"), "W/\"3\"");
    // Okta never deletes: the deactivated user stays readable and listed.
    auto still = okta("GET", "/Users/" + id);
    ASSERT_EQ(still.status, 200);
    EXPECT_EQ(parse(still)["active"], false);
    EXPECT_EQ(expect_list(okta(
                  "GET", "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"))
                  ["Resources"][0]["active"],
              false);

    // Activating a user: the same request with true; an unchanged id in the value is accepted.
    auto on = okta("PATCH", "/Users/" + id,
                   fill(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                            "Operations":[{"op":"replace","value":{"id":"{id}","active":true}}]})",
                        {{"{id}", id}}));
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(parse(on)["active"], true);
}

// Protocol reference, "Retrieve Users": pages of count users from startIndex, the same order on every
// request, integer counters.
TEST_F(OktaReplayTest, Paging) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        auto r = okta("POST", "/Users",
                      realistic_user("page" + std::to_string(i) + "@okta.local",
                                     "page" + std::to_string(i) + "@okta.local"));
        ASSERT_EQ(r.status, 201) << r.body;
        ids.push_back(parse(r)["id"]);
    }
    std::vector<std::string> seen;
    for (int start = 1; start <= 5; start += 2) {
        auto page = expect_list(okta("GET", "/Users?startIndex=" + std::to_string(start) + "&count=2"));
        EXPECT_EQ(page["totalResults"], 5);
        EXPECT_EQ(page["startIndex"], start);
        EXPECT_EQ(page["itemsPerPage"], start == 5 ? 1 : 2);
        for (const auto& u : page["Resources"]) seen.push_back(u["id"]);
    }
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), std::set<std::string>(ids.begin(), ids.end()));
    // The same order whatever the page size.
    auto whole = expect_list(okta("GET", "/Users?startIndex=1&count=100"));
    std::vector<std::string> in_one;
    for (const auto& u : whole["Resources"]) in_one.push_back(u["id"]);
    EXPECT_EQ(in_one, seen);
    // Okta stops when startIndex passes totalResults.
    auto past = expect_list(okta("GET", "/Users?startIndex=101&count=100"));
    EXPECT_EQ(past["totalResults"], 5);
    EXPECT_EQ(past["itemsPerPage"], 0);
}

// Protocol reference, "SCIM Group operations": the group push.
TEST_F(OktaReplayTest, GroupPush) {
    auto make_user = [&](const std::string& name) {
        auto r = okta("POST", "/Users", realistic_user(name, name));
        EXPECT_EQ(r.status, 201) << r.body;
        return parse(r).value("id", "");
    };
    const std::string test_user = make_user("test.user@okta.local");
    const std::string other_user = make_user("other.user@okta.local");

    // Create Groups.
    auto created = okta("POST", "/Groups", R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName": "Test SCIMv2",
    "members": []
})");
    ASSERT_EQ(created.status, 201) << created.body;
    expect_scim_json(created);
    auto g = parse(created);
    const std::string id = g.value("id", "");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(g["displayName"], "Test SCIMv2");
    EXPECT_TRUE(!g.contains("members") || g["members"].empty()) << created.body;
    EXPECT_EQ(g["meta"]["resourceType"], "Group");
    EXPECT_EQ(created.header("Location"), base() + "/Groups/" + id);
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");

    // Retrieve Groups, and a specific Group.
    auto all = expect_list(okta("GET", "/Groups?startIndex=1&count=100"));
    EXPECT_EQ(all["totalResults"], 1);
    EXPECT_EQ(all["Resources"][0]["id"], id);
    auto one = okta("GET", "/Groups/" + id);
    ASSERT_EQ(one.status, 200) << one.body;
    expect_scim_json(one);
    EXPECT_EQ(parse(one)["displayName"], "Test SCIMv2");

    // Update a specific Group name: a path-less replace carrying the group's own id.
    const std::string rename = fill(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "id": "{id}",
            "displayName": "Test SCIMv20"
        }
    }]
})",
                                    {{"{id}", id}});
    auto renamed = okta("PATCH", "/Groups/" + id, rename);
    EXPECT_EQ(renamed.status, 204) << renamed.body;  // "can also be a HTTP 204 response, with no body"
    EXPECT_EQ(renamed.header("ETag"), "W/\"2\"");
    EXPECT_EQ(parse(okta("GET", "/Groups/" + id))["displayName"], "Test SCIMv20");
    auto found =
        expect_list(okta("GET", "/Groups?filter=" + percent_encode(R"(displayName eq "Test SCIMv20")")));
    EXPECT_EQ(found["totalResults"], 1);

    // Update specific Group membership: remove one member by filter and add another, in one request.
    ASSERT_EQ(okta("PATCH", "/Groups/" + id,
                   fill(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                            "Operations":[{"op":"add","path":"members","value":[{"value":"{other}"}]}]})",
                        {{"{other}", other_user}}))
                  .status,
              204);
    auto membership = okta("PATCH", "/Groups/" + id,
                           fill(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
          "op": "remove",
          "path": "members[value eq \"{other}\"]"
        },
        {
          "op": "add",
          "path": "members",
          "value": [{
              "value": "{test}",
              "display": "test.user@okta.local"
        }]
    }]
})",
                                {{"{other}", other_user}, {"{test}", test_user}}));
    EXPECT_EQ(membership.status, 204) << membership.body;
    EXPECT_EQ(member_values(id), std::set<std::string>{test_user});
    auto with_members = parse(okta("GET", "/Groups/" + id));
    ASSERT_EQ(with_members["members"].size(), 1u);
    // Named as the user is named now (its displayName), not as Okta's display: kept current on a rename.
    EXPECT_EQ(with_members["members"][0]["display"], "Runscope300 Hfluaklab151");
    EXPECT_EQ(with_members["displayName"], "Test SCIMv20");

    // "The group name update operation is triggered each time there is a group membership update."
    EXPECT_EQ(okta("PATCH", "/Groups/" + id, rename).status, 204);
    EXPECT_EQ(member_values(id), std::set<std::string>{test_user});

    // A full push of the membership with replace.
    auto replace = okta("PATCH", "/Groups/" + id,
                        fill(R"({
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "replace",
      "path": "members",
      "value": [
        {
          "value": "{test}",
          "display": "test.user@okta.local"
        },
        {
          "value": "{other}",
          "display": "test.user@okta.local"
        }
      ]
    }
  ]
})",
                             {{"{other}", other_user}, {"{test}", test_user}}));
    EXPECT_EQ(replace.status, 204) << replace.body;
    EXPECT_EQ(member_values(id), (std::set<std::string>{test_user, other_user}));

    // Delete a specific Group.
    auto del = okta("DELETE", "/Groups/" + id);
    EXPECT_EQ(del.status, 204);
    EXPECT_TRUE(del.body.empty());
    expect_scim_error(okta("GET", "/Groups/" + id), 404);
    EXPECT_EQ(okta("GET", "/Users/" + test_user).status, 200);
}

}  // namespace
}  // namespace dirsync::testing
