// Microsoft Entra ID's provisioning requests replayed one by one, with the request bodies exactly as
// Microsoft documents them (capitalised ops, "False" strings, "$ref": null, Operations before schemas, ...),
// against the real dirsyncd over loopback HTTP. Only ids the server assigns are substituted.
//
// Sources:
//  - "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID", sections
//    "User Operations", "Group Operations", "Handling provisioning and deprovisioning of users" and
//    "Integrate your SCIM endpoint" (Test Connection):
//    https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
//  - "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning
//    service", section "Flags to alter the SCIM behavior" (the requests with and without aadOptscim062020):
//    https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* list_urn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
constexpr const char* user_urn = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* group_urn = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* enterprise_urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// "Create User" request, verbatim.
constexpr const char* create_user_request = R"({
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
    "active": true,
    "emails": [{
        "primary": true,
        "type": "work",
        "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"
    }],
    "meta": {
        "resourceType": "User"
    },
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName"
    },
    "roles": []
})";

// "Create Group" request, verbatim.
constexpr const char* create_group_request = R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    "displayName": "displayName",
    "meta": {
        "resourceType": "Group"
    }
})";

/// `text` with each `{key}` replaced by its value (the ids the server assigned in place of the documented
/// ones).
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [key, value] : values)
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

class EntraReplayTest : public DaemonTest {
  protected:
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2"; }

    /// One request as Entra sends it to the tenant URL .../scim/v2: bearer token, application/scim+json body.
    http_result entra(const std::string& method, const std::string& path, const std::string& body = {}) {
        return call(acme_token, method, "/scim/v2" + path, body);
    }

    static void expect_scim_json(const http_result& r) {
        EXPECT_EQ(r.header("Content-Type").rfind("application/scim+json", 0), 0u) << r.header("Content-Type");
    }

    /// A ListResponse with `total` results starting at 1 (Entra reads only Resources[0] of a match).
    static json expect_list(const http_result& r, int total) {
        EXPECT_EQ(r.status, 200) << r.body;
        expect_scim_json(r);
        auto j = parse(r);
        EXPECT_EQ(j["schemas"], json::array({list_urn})) << r.body;
        EXPECT_EQ(j["totalResults"], total) << r.body;
        EXPECT_EQ(j["startIndex"], 1) << r.body;
        EXPECT_TRUE(j["itemsPerPage"].is_number_integer()) << r.body;
        if (total == 0) {
            EXPECT_EQ(j["Resources"], json::array()) << r.body;  // as documented: present and empty
        } else {
            EXPECT_EQ(j["Resources"].size(), static_cast<std::size_t>(total)) << r.body;
        }
        return j;
    }

    /// POSTs the documented "Create User" body with userName/externalId/email changed; returns the id.
    std::string create_entra_user(const std::string& user_name, const std::string& external_id) {
        json body = json::parse(create_user_request);
        body["userName"] = user_name;
        body["externalId"] = external_id;
        body["emails"][0]["value"] = user_name + "@testuser.com";
        auto r = entra("POST", "/Users", body.dump());
        EXPECT_EQ(r.status, 201) << r.body;
        return parse(r).value("id", "");
    }

    std::vector<std::string> member_values(const std::string& group_id) {
        auto r = entra("GET", "/Groups/" + group_id);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        auto j = parse(r);
        if (j.contains("members"))
            for (const auto& m : j["members"]) out.push_back(m["value"].get<std::string>());
        std::sort(out.begin(), out.end());
        return out;
    }
};

// Integrate your SCIM endpoint: "Test Connection queries the SCIM endpoint for a user that doesn't exist,
// using a random GUID as the matching property ... The expected correct response is HTTP 200 OK with an empty
// SCIM ListResponse message." The provisioning service also fetches a random user and group to check the
// credentials; a wrong token must be refused.
TEST_F(EntraReplayTest, TestConnection) {
    create_entra_user("someone@testuser.com", "c1d9a6b2-0000-4000-8000-000000000001");
    expect_list(entra("GET", "/Users?filter=" +
                                 percent_encode(R"(userName eq "9c5f7ae2-1d3b-4e36-8f6e-2b8a0d4c7e51")")),
                0);
    // The matching property may be externalId instead of userName.
    expect_list(entra("GET", "/Users?filter=" +
                                 percent_encode(R"(externalId eq "4b0f2c1e-8d7a-4a55-b0e4-6f1a9c3d2e10")")),
                0);
    expect_list(entra("GET", "/Groups?excludedAttributes=members&filter=" +
                                 percent_encode(R"(displayName eq "6e2d4f1a-3b5c-4d7e-9f80-1a2b3c4d5e6f")")),
                0);
    auto denied = call(
        "not-the-token", "GET",
        "/scim/v2/Users?filter=" + percent_encode(R"(userName eq "9c5f7ae2-1d3b-4e36-8f6e-2b8a0d4c7e51")"));
    expect_scim_error(denied, 401);
}

// "User Operations", in the order a provisioning cycle sends them.
TEST_F(EntraReplayTest, UserOperations) {
    // Get User by query - Zero results.
    expect_list(entra("GET", "/Users?filter=" + percent_encode(R"(userName eq "non-existent user")")), 0);

    // Create User.
    auto created = entra("POST", "/Users", create_user_request);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_scim_json(created);
    auto u = parse(created);
    const std::string id = u.value("id", "");
    ASSERT_FALSE(id.empty());
    EXPECT_NE(std::find(u["schemas"].begin(), u["schemas"].end(), user_urn), u["schemas"].end())
        << created.body;
    EXPECT_EQ(u["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    EXPECT_EQ(u["userName"], "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee");
    EXPECT_EQ(u["name"], json({{"formatted", "givenName familyName"},
                               {"familyName", "familyName"},
                               {"givenName", "givenName"}}));
    EXPECT_EQ(u["active"], true);
    EXPECT_EQ(u["emails"],
              json::parse(R"([{"value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com",
                                             "type": "work", "primary": true}])"));
    EXPECT_FALSE(u.contains("roles"));  // [] is unassigned (RFC 7643 §2.5)
    EXPECT_EQ(u["meta"]["resourceType"], "User");
    EXPECT_TRUE(u["meta"]["created"].is_string());
    EXPECT_TRUE(u["meta"]["lastModified"].is_string());
    EXPECT_EQ(u["meta"]["location"], base() + "/Users/" + id);
    EXPECT_EQ(created.header("Location"), base() + "/Users/" + id);
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");
    EXPECT_EQ(u["meta"]["version"], "W/\"1\"");

    // Get User: found, then not found ("The detail isn't required, only status").
    auto got = entra("GET", "/Users/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    expect_scim_json(got);
    EXPECT_EQ(got.header("ETag"), "W/\"1\"");
    EXPECT_EQ(parse(got), u);
    expect_scim_error(entra("GET", "/Users/5171a35d82074e068ce2"), 404);

    // Get User by query, by each attribute Entra matches on: userName, externalId, emails[type eq "work"].
    auto by_name = expect_list(
        entra("GET", "/Users?filter=" +
                         percent_encode(R"(userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee")")),
        1);
    EXPECT_EQ(by_name["Resources"][0], u);
    auto by_external = expect_list(
        entra("GET",
              "/Users?filter=" + percent_encode(R"(externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")")),
        1);
    EXPECT_EQ(by_external["Resources"][0]["id"], id);
    auto by_mail = expect_list(
        entra(
            "GET",
            "/Users?filter=" +
                percent_encode(
                    R"(emails[type eq "work"].value eq "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com")")),
        1);
    EXPECT_EQ(by_mail["Resources"][0]["id"], id);

    // Update User [Multi-valued properties].
    auto multi = entra("PATCH", "/Users/" + id, R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [
            {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "updatedEmail@microsoft.com"
            },
            {
            "op": "Replace",
            "path": "name.familyName",
            "value": "updatedFamilyName"
            }
    ]
})");
    ASSERT_EQ(multi.status, 200) << multi.body;
    expect_scim_json(multi);
    auto m = parse(multi);
    EXPECT_EQ(m["id"], id);
    EXPECT_EQ(m["emails"],
              json::parse(R"([{"value": "updatedEmail@microsoft.com", "type": "work", "primary": true}])"));
    EXPECT_EQ(m["name"]["familyName"], "updatedFamilyName");
    EXPECT_EQ(m["name"]["givenName"], "givenName");
    EXPECT_EQ(m["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    EXPECT_EQ(multi.header("ETag"), "W/\"2\"");

    // Update User [Single-valued properties]: a rename of userName.
    auto single = entra("PATCH", "/Users/" + id, R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "userName",
        "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    }]
})");
    ASSERT_EQ(single.status, 200) << single.body;
    EXPECT_EQ(parse(single)["userName"], "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
    EXPECT_EQ(parse(single)["emails"][0]["value"], "updatedEmail@microsoft.com");
    expect_list(
        entra("GET", "/Users?filter=" +
                         percent_encode(R"(userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee")")),
        0);
    expect_list(entra("GET", "/Users?filter=" +
                                 percent_encode(
                                     R"(userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com")")),
                1);

    // Disable User (Operations before schemas, as documented). A disabled user stays readable.
    auto disable = entra("PATCH", "/Users/" + id, R"({
    "Operations": [
        {
            "op": "Replace",
            "path": "active",
            "value": false
        }
    ],
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ]
})");
    ASSERT_EQ(disable.status, 200) << disable.body;
    EXPECT_EQ(parse(disable)["active"], false);
    auto disabled = entra("GET", "/Users/" + id);
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_EQ(parse(disabled)["active"], false);
    EXPECT_EQ(disabled.header("ETag"), "W/\"4\"");
    auto still_listed = expect_list(
        entra("GET",
              "/Users?filter=" +
                  percent_encode(R"(userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com")")),
        1);
    EXPECT_EQ(still_listed["Resources"][0]["active"], false);

    // Delete User.
    auto del = entra("DELETE", "/Users/" + id);
    EXPECT_EQ(del.status, 204);
    EXPECT_TRUE(del.body.empty());
    expect_scim_error(entra("GET", "/Users/" + id), 404);
    expect_list(entra("GET", "/Users?filter=" +
                                 percent_encode(R"(externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")")),
                0);
}

// "Group Operations": groups are created with an empty members list; PATCH answers 204 No Content.
TEST_F(EntraReplayTest, GroupOperations) {
    const std::string alice = create_entra_user("alice@testuser.com", "5e7d0c8a-1111-4c2b-9d3e-000000000001");
    const std::string bob = create_entra_user("bob@testuser.com", "5e7d0c8a-1111-4c2b-9d3e-000000000002");

    // Entra looks the group up before creating it.
    expect_list(entra("GET", "/Groups?excludedAttributes=members&filter=" +
                                 percent_encode(R"(displayName eq "displayName")")),
                0);

    // Create Group.
    auto created = entra("POST", "/Groups", create_group_request);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_scim_json(created);
    auto g = parse(created);
    const std::string id = g.value("id", "");
    ASSERT_FALSE(id.empty());
    EXPECT_NE(std::find(g["schemas"].begin(), g["schemas"].end(), group_urn), g["schemas"].end())
        << created.body;
    EXPECT_EQ(g["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    EXPECT_EQ(g["displayName"], "displayName");
    EXPECT_TRUE(!g.contains("members") || g["members"].empty()) << created.body;
    EXPECT_EQ(g["meta"]["resourceType"], "Group");
    EXPECT_TRUE(g["meta"]["created"].is_string());
    EXPECT_TRUE(g["meta"]["lastModified"].is_string());
    EXPECT_EQ(created.header("Location"), base() + "/Groups/" + id);
    EXPECT_EQ(g["meta"]["location"], created.header("Location"));
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");

    // Get Group (members excluded).
    auto got = entra("GET", "/Groups/" + id + "?excludedAttributes=members");
    ASSERT_EQ(got.status, 200) << got.body;
    expect_scim_json(got);
    auto gj = parse(got);
    EXPECT_EQ(gj["id"], id);
    EXPECT_EQ(gj["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    EXPECT_EQ(gj["displayName"], "displayName");
    EXPECT_EQ(gj["meta"]["resourceType"], "Group");
    EXPECT_FALSE(gj.contains("members"));

    // Get Group by displayName.
    auto found = expect_list(entra("GET", "/Groups?excludedAttributes=members&filter=" +
                                              percent_encode(R"(displayName eq "displayName")")),
                             1);
    EXPECT_EQ(found["Resources"][0]["id"], id);
    EXPECT_EQ(found["Resources"][0]["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    EXPECT_FALSE(found["Resources"][0].contains("members"));

    // Update Group [Non-member attributes].
    auto rename = entra("PATCH", "/Groups/" + id, R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "displayName",
        "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    }]
})");
    EXPECT_EQ(rename.status, 204) << rename.body;
    EXPECT_TRUE(rename.body.empty());
    EXPECT_EQ(rename.header("ETag"), "W/\"2\"");
    EXPECT_EQ(parse(entra("GET", "/Groups/" + id))["displayName"],
              "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
    expect_list(entra("GET", "/Groups?excludedAttributes=members&filter=" +
                                 percent_encode(R"(displayName eq "displayName")")),
                0);

    // Update Group [Add Members], with "$ref": null.
    auto add = entra("PATCH", "/Groups/" + id,
                     fill(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Add",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "{alice}"
        }]
    }]
})",
                          {{"{alice}", alice}}));
    EXPECT_EQ(add.status, 204) << add.body;
    EXPECT_TRUE(add.body.empty());
    EXPECT_EQ(member_values(id), std::vector<std::string>{alice});
    auto members = parse(entra("GET", "/Groups/" + id))["members"];
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0]["$ref"], base() + "/Users/" + alice);
    EXPECT_EQ(members[0]["type"], "User");
    // The group read Entra makes still leaves members out.
    EXPECT_FALSE(parse(entra("GET", "/Groups/" + id + "?excludedAttributes=members")).contains("members"));
    // Entra's gallery checklist: several memberships in a single PATCH.
    auto add_two = entra("PATCH", "/Groups/" + id,
                         fill(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Add",
        "path": "members",
        "value": [{"$ref": null, "value": "{alice}"}, {"$ref": null, "value": "{bob}"}]
    }]
})",
                              {{"{alice}", alice}, {"{bob}", bob}}));
    EXPECT_EQ(add_two.status, 204) << add_two.body;
    auto both = std::vector<std::string>{alice, bob};
    std::sort(both.begin(), both.end());
    EXPECT_EQ(member_values(id), both);

    // Update Group [Remove Members]: a value list removes only those members.
    auto remove = entra("PATCH", "/Groups/" + id,
                        fill(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Remove",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "{alice}"
        }]
    }]
})",
                             {{"{alice}", alice}}));
    EXPECT_EQ(remove.status, 204) << remove.body;
    EXPECT_TRUE(remove.body.empty());
    EXPECT_EQ(member_values(id), std::vector<std::string>{bob});
    // Removing a member leaves the user alone.
    EXPECT_EQ(entra("GET", "/Users/" + alice).status, 200);

    // Delete Group.
    auto del = entra("DELETE", "/Groups/" + id);
    EXPECT_EQ(del.status, 204);
    EXPECT_TRUE(del.body.empty());
    expect_scim_error(entra("GET", "/Groups/" + id), 404);
    expect_scim_error(entra("DELETE", "/Groups/" + id), 404);
    EXPECT_EQ(entra("GET", "/Users/" + bob).status, 200);
}

// "Handling provisioning and deprovisioning of users", examples 1 to 6: the query by externalId, a create
// with null attributes and a misspelt extension URN, the read, the manager check and the manager reference as
// a one-element array, the delete.
TEST_F(EntraReplayTest, ProvisioningExamples) {
    const std::string manager =
        create_entra_user("boss@testuser.com", "00aa00aa-bb11-cc22-dd33-44ee44ee44ee");

    // Example 2: null attributes are unassigned; the URN without its last colon is kept as listed.
    auto created = entra("POST", "/Users", R"({
   "schemas":
   [
     "urn:ietf:params:scim:schemas:core:2.0:User",
     "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
   "externalId":"jyoung",
   "userName":"jyoung@testuser.com",
   "active":true,
   "addresses":null,
   "displayName":"Joy Young",
   "emails": [
     {
       "type":"work",
       "value":"jyoung@Contoso.com",
       "primary":true}],
   "meta": {
     "resourceType":"User"},
    "name":{
     "familyName":"Young",
     "givenName":"Joy"},
   "phoneNumbers":null,
   "preferredLanguage":null,
   "title":null,
   "department":null,
   "manager":null})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto u = parse(created);
    const std::string id = u.value("id", "");
    EXPECT_EQ(u["userName"], "jyoung@testuser.com");
    EXPECT_EQ(u["displayName"], "Joy Young");
    EXPECT_EQ(u["emails"][0]["value"], "jyoung@Contoso.com");  // stored as sent, not lower-cased
    for (const char* unassigned :
         {"addresses", "phoneNumbers", "preferredLanguage", "title", "department", "manager"})
        EXPECT_FALSE(u.contains(unassigned)) << unassigned;

    // Example 1: the user is found by externalId. The article prints the value unquoted
    // (`filter=externalId eq jyoung`), as Microsoft's reference client sends it; RFC 7644's grammar wants
    // the quoted form the "User Operations" requests use. Both find the user; two words do not.
    auto by_external =
        expect_list(entra("GET", "/Users?filter=" + percent_encode(R"(externalId eq "jyoung")")), 1);
    EXPECT_EQ(by_external["Resources"][0]["id"], id);
    auto unquoted = expect_list(entra("GET", "/Users?filter=" + percent_encode("externalId eq jyoung")), 1);
    EXPECT_EQ(unquoted["Resources"][0]["id"], id);
    expect_scim_error(entra("GET", "/Users?filter=" + percent_encode("externalId eq j young")), 400,
                      "invalidFilter");

    // Example 3.
    EXPECT_EQ(entra("GET", "/Users/" + id).status, 200);

    // Example 4: before updating the manager, the service asks whether it already has the value, with a
    // filter on id and the unqualified manager, returning only the id. (The article's older revisions print
    // this request with unquoted values too; quoted here, as in Example 1.)
    const std::string manager_query =
        "/Users?filter=" + percent_encode("id eq \"" + id + "\" and manager eq \"" + manager + "\"") +
        "&attributes=id";
    expect_list(entra("GET", manager_query), 0);

    // Example 5: the manager as a one-element array with $ref and value.
    auto patched = entra("PATCH", "/Users/" + id,
                         fill(R"({
    "schemas":
    [
      "urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":
    [
      {
        "op":"Add",
        "path":"manager",
        "value":
          [
            {
              "$ref":"http://.../scim/Users/{manager}",
              "value":"{manager}"}]}]})",
                              {{"{manager}", manager}}));
    ASSERT_EQ(patched.status, 200) << patched.body;
    auto p = parse(patched);
    ASSERT_TRUE(p.contains(enterprise_urn)) << patched.body;
    EXPECT_EQ(p[enterprise_urn]["manager"]["value"], manager) << patched.body;
    EXPECT_EQ(parse(entra("GET", "/Users/" + id))[enterprise_urn]["manager"]["value"], manager);

    // Example 4, again: the manager now has that value (and not another).
    auto same = expect_list(entra("GET", manager_query), 1);
    // attributes=id: schemas keeps the core URN and Entra's unserved one, not the extensions left out.
    json kept = json::array();
    for (const auto& urn : p["schemas"])
        if (urn != enterprise_urn && urn != "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User")
            kept.push_back(urn);
    EXPECT_EQ(same["Resources"][0], json({{"id", id}, {"schemas", kept}}));
    expect_list(
        entra("GET", "/Users?filter=" + percent_encode("id eq \"" + id + "\" and manager eq \"" + id + "\"") +
                         "&attributes=id"),
        0);

    // Example 6.
    EXPECT_EQ(entra("DELETE", "/Users/" + id).status, 204);
    expect_scim_error(entra("GET", "/Users/" + id), 404);
}

// The compatibility article's sample requests, as sent without the aadOptscim062020 flag (the default for
// older jobs) and with it: both shapes must give the same result.
TEST_F(EntraReplayTest, PatchRequestsWithAndWithoutTheComplianceFlag) {
    const std::string id = create_entra_user("flags@testuser.com", "e1b2c3d4-0000-4000-8000-00000000f1a6");

    // Requests made to disable users. Without the flag, active is the string "False".
    auto off = entra("PATCH", "/Users/" + id, R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "active",
            "value": "False"
        }
    ]
  })");
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_EQ(parse(off)["active"], false);  // a boolean, not the string
    // Restoring the user sends "True" the same way.
    auto on = entra("PATCH", "/Users/" + id,
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                        "Operations":[{"op":"Replace","path":"active","value":"True"}]})");
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(parse(on)["active"], true);
    auto off_flag = entra("PATCH", "/Users/" + id, R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "replace",
            "path": "active",
            "value": false
        }
    ]
  })");
    ASSERT_EQ(off_flag.status, 200) << off_flag.body;
    EXPECT_EQ(parse(off_flag)["active"], false);
    expect_list(entra("GET", "/Users?filter=" + percent_encode(R"(active eq false)")), 1);

    // Requests made to add a single-value string attribute.
    auto nick = entra("PATCH", "/Users/" + id, R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
      {
        "op": "Add",
        "path": "nickName",
        "value": "Babs"
      }
    ]
  })");
    ASSERT_EQ(nick.status, 200) << nick.body;
    EXPECT_EQ(parse(nick)["nickName"], "Babs");
    auto nick_flag = entra("PATCH", "/Users/" + id, R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [
      {
        "op": "add",
        "path": "nickName",
        "value": "Babs"
      }
    ]
  })");
    ASSERT_EQ(nick_flag.status, 200) << nick_flag.body;
    EXPECT_EQ(parse(nick_flag)["nickName"], "Babs");

    // Requests to replace multiple attributes: one operation per attribute without the flag...
    auto many = entra("PATCH", "/Users/" + id, R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "displayName",
            "value": "Pvlo"
        },
        {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestBcwqnm@test.microsoft.com"
        },
        {
            "op": "Replace",
            "path": "name.givenName",
            "value": "Gtfd"
        },
        {
            "op": "Replace",
            "path": "name.familyName",
            "value": "Pkqf"
        },
        {
            "op": "Replace",
            "path": "externalId",
            "value": "Eqpj"
        },
        {
            "op": "Replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "value": "Eqpj"
        }
    ]
  })");
    ASSERT_EQ(many.status, 200) << many.body;
    auto a = parse(many);
    EXPECT_EQ(a["displayName"], "Pvlo");
    EXPECT_EQ(
        a["emails"],
        json::parse(R"([{"value": "TestBcwqnm@test.microsoft.com", "type": "work", "primary": true}])"));
    EXPECT_EQ(a["name"]["givenName"], "Gtfd");
    EXPECT_EQ(a["name"]["familyName"], "Pkqf");
    EXPECT_EQ(a["externalId"], "Eqpj");
    EXPECT_EQ(a[enterprise_urn]["employeeNumber"], "Eqpj");
    EXPECT_NE(std::find(a["schemas"].begin(), a["schemas"].end(), enterprise_urn), a["schemas"].end())
        << many.body;

    // ...and, with the flag, one path-less replace whose keys are dotted paths and an attribute URN.
    auto pathless = entra("PATCH", "/Users/" + id, R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestMhvaes@test.microsoft.com"
        },
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"
            }
        }
    ]
  })");
    ASSERT_EQ(pathless.status, 200) << pathless.body;
    auto b = parse(pathless);
    EXPECT_EQ(b["displayName"], "Bjfe");
    EXPECT_EQ(
        b["emails"],
        json::parse(R"([{"value": "TestMhvaes@test.microsoft.com", "type": "work", "primary": true}])"));
    EXPECT_EQ(b["name"]["givenName"], "Kkom");
    EXPECT_EQ(b["name"]["familyName"], "Unua");
    EXPECT_EQ(b[enterprise_urn]["employeeNumber"], "Aklq");
    EXPECT_FALSE(b.contains("name.givenName")) << pathless.body;  // a path, not an attribute name
    EXPECT_FALSE(b.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"));
    EXPECT_EQ(b["externalId"], "Eqpj");
    EXPECT_EQ(parse(entra("GET", "/Users/" + id)), b);

    // Requests made to remove a group member: a value list without the flag, a value filter with it.
    const std::string u1091 = create_entra_user("u1091@testuser.com", "e1b2c3d4-0000-4000-8000-000000001091");
    const std::string other = create_entra_user("other@testuser.com", "e1b2c3d4-0000-4000-8000-000000001092");
    auto group = entra("POST", "/Groups", create_group_request);
    ASSERT_EQ(group.status, 201) << group.body;
    const std::string gid = parse(group)["id"];
    ASSERT_EQ(entra("PATCH", "/Groups/" + gid,
                    fill(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                             "Operations":[{"op":"Add","path":"members",
                                            "value":[{"$ref":null,"value":"{a}"},{"$ref":null,"value":"{b}"}]}]})",
                         {{"{a}", u1091}, {"{b}", other}}))
                  .status,
              204);
    auto without_flag = entra("PATCH", "/Groups/" + gid,
                              fill(R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Remove",
            "path": "members",
            "value": [
                {
                    "value": "{u1091}"
                }
            ]
        }
    ]
  })",
                                   {{"{u1091}", u1091}}));
    EXPECT_EQ(without_flag.status, 204) << without_flag.body;
    EXPECT_EQ(member_values(gid), std::vector<std::string>{other});
    auto with_flag = entra("PATCH", "/Groups/" + gid,
                           fill(R"({
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "remove",
            "path": "members[value eq \"{other}\"]"
        }
    ]
  })",
                                {{"{other}", other}}));
    EXPECT_EQ(with_flag.status, 204) << with_flag.body;
    EXPECT_TRUE(member_values(gid).empty());
}

}  // namespace
}  // namespace dirsync::testing
