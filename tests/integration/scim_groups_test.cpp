// /Groups driven over loopback HTTP as Entra ID and Okta drive it.
#include <map>
#include <set>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* group_urn = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* entra_group_urn =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

class GroupsTest : public DaemonTest {
  protected:
    static json group_json(const std::string& display_name, const std::vector<std::string>& members = {}) {
        json j = {{"schemas", {group_urn}}, {"displayName", display_name}};
        if (!members.empty()) {
            j["members"] = json::array();
            for (const auto& m : members) j["members"].push_back({{"value", m}});
        }
        return j;
    }

    std::string create_group(const std::string& token, const std::string& display_name,
                             const std::vector<std::string>& members = {}) {
        auto r = call(token, "POST", "/scim/v2/Groups", group_json(display_name, members).dump());
        EXPECT_EQ(r.status, 201) << r.body;
        auto j = parse(r);
        return j.is_object() && j.contains("id") ? j["id"].get<std::string>() : std::string();
    }

    static std::string patch_body(const std::string& operations) {
        return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + operations +
               "}";
    }

    http_result patch(const std::string& token, const std::string& id, const std::string& operations,
                      std::vector<std::string> headers = {}) {
        return call(token, "PATCH", "/scim/v2/Groups/" + id, patch_body(operations), std::move(headers));
    }

    std::set<std::string> member_ids(const std::string& token, const std::string& id) {
        auto r = call(token, "GET", "/scim/v2/Groups/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        auto j = parse(r);
        if (j.is_object() && j.contains("members"))
            for (const auto& m : j["members"]) out.insert(m["value"].get<std::string>());
        return out;
    }

    static std::string quoted_filter(const std::string& attribute, const std::string& value) {
        return "filter=" + attribute + "%20eq%20%22" + value + "%22";
    }
};

TEST_F(GroupsTest, CreateReadReplaceDelete) {
    auto alice = create_user(acme_token, "alice");
    auto bob = create_user(acme_token, "bob");
    json body = group_json("Engineering");
    body["externalId"] = "eng-1";
    body["members"] =
        json::array({{{"value", alice}, {"display", "Alice"}}, {{"value", bob}, {"type", "User"}}});
    auto created = call(acme_token, "POST", "/scim/v2/Groups", body.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    auto g = parse(created);
    const std::string id = g["id"];
    const std::string base = "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2";
    EXPECT_EQ(created.header("Location"), base + "/Groups/" + id);
    EXPECT_EQ(created.header("ETag"), "W/\"1\"");
    EXPECT_EQ(g["meta"]["resourceType"], "Group");
    EXPECT_EQ(g["meta"]["location"], base + "/Groups/" + id);
    EXPECT_EQ(g["displayName"], "Engineering");
    EXPECT_EQ(g["externalId"], "eng-1");
    ASSERT_EQ(g["members"].size(), 2u);
    for (const auto& m : g["members"]) {
        EXPECT_EQ(m["type"], "User");
        EXPECT_EQ(m["$ref"], base + "/Users/" + m["value"].get<std::string>());
        // The member's current name (these users have only a userName), not the display the client sent.
        EXPECT_EQ(m["display"], m["value"] == alice ? "alice" : "bob");
    }

    auto got = call(acme_token, "GET", "/scim/v2/Groups/" + id);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(parse(got), g);
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Groups/" + id, {}, {"If-None-Match: W/\"1\""}).status, 304);

    auto put = call(acme_token, "PUT", "/scim/v2/Groups/" + id, group_json("Eng", {bob}).dump());
    ASSERT_EQ(put.status, 200) << put.body;
    auto p = parse(put);
    EXPECT_EQ(p["displayName"], "Eng");
    EXPECT_FALSE(p.contains("externalId"));  // PUT replaces
    ASSERT_EQ(p["members"].size(), 1u);
    EXPECT_EQ(p["members"][0]["value"], bob);
    EXPECT_EQ(p["meta"]["version"], "W/\"2\"");
    expect_scim_error(
        call(acme_token, "PUT", "/scim/v2/Groups/" + id, group_json("X").dump(), {"If-Match: W/\"1\""}), 412);
    json wrong_id = group_json("X");
    wrong_id["id"] = "other";
    expect_scim_error(call(acme_token, "PUT", "/scim/v2/Groups/" + id, wrong_id.dump()), 400, "mutability");

    expect_scim_error(call(acme_token, "DELETE", "/scim/v2/Groups/" + id, {}, {"If-Match: W/\"1\""}), 412);
    EXPECT_EQ(call(acme_token, "DELETE", "/scim/v2/Groups/" + id).status, 204);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Groups/" + id), 404);
    expect_scim_error(call(acme_token, "DELETE", "/scim/v2/Groups/" + id), 404);
    // Deleting the group left the users alone.
    EXPECT_EQ(call(acme_token, "GET", "/scim/v2/Users/" + bob).status, 200);
}

TEST_F(GroupsTest, EntraSequence) {
    auto u1 = create_user(acme_token, "u1");
    auto u2 = create_user(acme_token, "u2");
    auto u3 = create_user(acme_token, "u3");
    // Entra lists its own schema URN and sends externalId; it creates with the first members.
    json body = {{"schemas", {group_urn, entra_group_urn}},
                 {"externalId", "8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159"},
                 {"displayName", "Group1DisplayName"},
                 {"members", {{{"value", u1}}}}};
    auto created = call(acme_token, "POST", "/scim/v2/Groups", body.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    auto g = parse(created);
    const std::string id = g["id"];
    EXPECT_EQ(g["schemas"], json::array({group_urn, entra_group_urn}));

    // Entra checks for the group with excludedAttributes=members.
    auto probe = parse(call(
        acme_token, "GET",
        "/scim/v2/Groups?excludedAttributes=members&" + quoted_filter("displayName", "Group1DisplayName")));
    EXPECT_EQ(probe["totalResults"], 1);
    EXPECT_FALSE(probe["Resources"][0].contains("members"));

    auto add = patch(acme_token, id,
                     R"([{"op":"Add","path":"members","value":[{"$ref":null,"value":")" + u2 +
                         R"("},{"$ref":null,"value":")" + u3 + R"("}]}])");
    ASSERT_EQ(add.status, 204) << add.body;
    EXPECT_EQ(add.header("ETag"), "W/\"2\"");
    EXPECT_EQ(member_ids(acme_token, id), (std::set<std::string>{u1, u2, u3}));

    auto remove =
        patch(acme_token, id, R"([{"op":"Remove","path":"members","value":[{"value":")" + u2 + R"("}]}])");
    ASSERT_EQ(remove.status, 204) << remove.body;
    EXPECT_EQ(member_ids(acme_token, id), (std::set<std::string>{u1, u3}));  // only u2 went

    auto rename = patch(
        acme_token, id,
        R"([{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}])");
    ASSERT_EQ(rename.status, 204) << rename.body;
    auto found = parse(
        call(acme_token, "GET",
             "/scim/v2/Groups?" +
                 quoted_filter("displayName", "1879DB59-3bdf-4490-ad68-ab880a269474updatedDisplayName")));
    ASSERT_EQ(found["totalResults"], 1);
    EXPECT_EQ(found["Resources"][0]["id"], id);
    EXPECT_EQ(found["Resources"][0]["members"].size(), 2u);
    EXPECT_EQ(found["Resources"][0]["externalId"], "8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159");
    auto by_ext =
        parse(call(acme_token, "GET",
                   "/scim/v2/Groups?" + quoted_filter("externalId", "8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159")));
    EXPECT_EQ(by_ext["totalResults"], 1);

    // A PATCH may ask for the representation.
    auto full =
        patch(acme_token, id, R"([{"op":"add","path":"members","value":[{"value":")" + u2 + R"("}]}])",
              {"Prefer: return=representation"});
    ASSERT_EQ(full.status, 200) << full.body;
    EXPECT_EQ(parse(full)["members"].size(), 3u);
    EXPECT_EQ(parse(full)["meta"]["version"], "W/\"5\"");
}

TEST_F(GroupsTest, OktaSequence) {
    auto a = create_user(acme_token, "a@okta.local");
    auto b = create_user(acme_token, "b@okta.local");
    auto c = create_user(acme_token, "c@okta.local");
    // Okta looks the group up first.
    auto none = parse(
        call(acme_token, "GET",
             "/scim/v2/Groups?" + quoted_filter("displayName", "Okta%20Group") + "&startIndex=1&count=100"));
    EXPECT_EQ(none["totalResults"], 0);
    auto id = create_group(acme_token, "Okta Group", {a, b});
    auto r = patch(acme_token, id,
                   R"([{"op":"remove","path":"members[value eq \")" + a + R"(\"]"},
                       {"op":"add","path":"members","value":[{"value":")" +
                       c + R"(","display":"c@okta.local"}]}])");
    ASSERT_EQ(r.status, 204) << r.body;
    EXPECT_EQ(member_ids(acme_token, id), (std::set<std::string>{b, c}));

    // Rename: a path-less replace with id and displayName.
    r = patch(acme_token, id, R"([{"op":"replace","value":{"id":")" + id + R"(","displayName":"Renamed"}}])");
    ASSERT_EQ(r.status, 204) << r.body;
    auto g = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id));
    EXPECT_EQ(g["displayName"], "Renamed");
    EXPECT_EQ(g["members"].size(), 2u);
    for (const auto& m : g["members"]) {
        if (m["value"] == c) {
            EXPECT_EQ(m["display"], "c@okta.local");
        }
    }
    // Okta's full push: replace members.
    r = patch(acme_token, id, R"([{"op":"replace","path":"members","value":[{"value":")" + a + R"("}]}])");
    ASSERT_EQ(r.status, 204) << r.body;
    EXPECT_EQ(member_ids(acme_token, id), std::set<std::string>{a});
    auto found = parse(call(acme_token, "GET", "/scim/v2/Groups?" + quoted_filter("displayName", "renamed")));
    EXPECT_EQ(found["totalResults"], 1);
}

TEST_F(GroupsTest, BadMembersAreRefusedAndNothingIsStored) {
    auto a = create_user(acme_token, "a");
    auto foreign = create_user(globex_token, "mallory");
    expect_scim_error(
        call(acme_token, "POST", "/scim/v2/Groups", group_json("G", {a, "no-such-user"}).dump()), 400,
        "invalidValue");
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Groups", group_json("G", {a, foreign}).dump()), 400,
                      "invalidValue");
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Groups"))["totalResults"], 0);

    auto id = create_group(acme_token, "G", {a});
    auto before = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id));
    expect_scim_error(patch(acme_token, id,
                            R"([{"op":"replace","path":"displayName","value":"Changed"},
                                {"op":"add","path":"members","value":[{"value":")" +
                                foreign + R"("}]}])"),
                      400, "invalidValue");
    expect_scim_error(patch(acme_token, id, R"([{"op":"add","path":"members","value":[{"value":"ghost"}]}])"),
                      400, "invalidValue");
    expect_scim_error(
        patch(acme_token, id,
              R"([{"op":"add","path":"members","value":[{"value":")" + a + R"(","type":"Group"}]}])"),
        400, "invalidValue");
    expect_scim_error(
        patch(acme_token, id,
              R"([{"op":"replace","path":"members[value eq \")" + a + R"(\"].display","value":"X"}])"),
        400, "mutability");
    expect_scim_error(patch(acme_token, id, R"([{"op":"remove","path":"displayName"}])"), 400,
                      "invalidValue");
    expect_scim_error(
        patch(acme_token, id, R"([{"op":"add","path":"members","value":[{"value":")" + id + R"("}]}])"), 400,
        "invalidValue");  // not itself
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Groups",
                           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]})"),
                      400, "invalidValue");  // displayName is required
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Groups/" + id)), before);
}

TEST_F(GroupsTest, UsersShowTheirGroupsAndLeaveThemWhenDeleted) {
    auto a = create_user(acme_token, "a");
    auto b = create_user(acme_token, "b");
    auto inner = create_group(acme_token, "Inner", {a});
    auto outer = create_group(acme_token, "Outer", {inner, b});
    auto u = parse(call(acme_token, "GET", "/scim/v2/Users/" + a));
    const std::string base = "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2";
    ASSERT_EQ(u["groups"].size(), 2u) << u.dump();
    EXPECT_EQ(u["groups"][0], json({{"value", inner},
                                    {"$ref", base + "/Groups/" + inner},
                                    {"display", "Inner"},
                                    {"type", "direct"}}));
    EXPECT_EQ(u["groups"][1]["value"], outer);
    EXPECT_EQ(u["groups"][1]["type"], "indirect");
    auto o = parse(call(acme_token, "GET", "/scim/v2/Groups/" + outer));
    for (const auto& m : o["members"])
        if (m["value"] == inner) {
            EXPECT_EQ(m["type"], "Group");
            EXPECT_EQ(m["$ref"], base + "/Groups/" + inner);
        }
    // In lists too, and clients can't write groups.
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users?" + quoted_filter("userName", "b")));
    EXPECT_EQ(list["Resources"][0]["groups"][0]["value"], outer);
    auto put_user = user_json("b");
    put_user["groups"] = json::array({{{"value", inner}}});
    auto put = call(acme_token, "PUT", "/scim/v2/Users/" + b, put_user.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(parse(put)["groups"].size(), 1u);
    EXPECT_EQ(member_ids(acme_token, inner), std::set<std::string>{a});

    auto version = parse(call(acme_token, "GET", "/scim/v2/Groups/" + inner))["meta"]["version"];
    ASSERT_EQ(call(acme_token, "DELETE", "/scim/v2/Users/" + a).status, 204);
    auto after = parse(call(acme_token, "GET", "/scim/v2/Groups/" + inner));
    EXPECT_FALSE(after.contains("members"));
    EXPECT_NE(after["meta"]["version"], version);
    ASSERT_EQ(call(acme_token, "DELETE", "/scim/v2/Groups/" + inner).status, 204);
    EXPECT_EQ(member_ids(acme_token, outer), std::set<std::string>{b});
}

TEST_F(GroupsTest, ExcludedAttributesMembersReturnsNoMembers) {
    auto a = create_user(acme_token, "a");
    auto id = create_group(acme_token, "G", {a});
    for (const std::string q : {"excludedAttributes=members", "excludedAttributes=Members",
                                "excludedAttributes=urn:ietf:params:scim:schemas:core:2.0:Group:members",
                                "attributes=displayName"}) {
        auto one = call(acme_token, "GET", "/scim/v2/Groups/" + id + "?" + q);
        ASSERT_EQ(one.status, 200) << one.body;
        auto j = parse(one);
        EXPECT_FALSE(j.contains("members")) << q;
        EXPECT_EQ(j["id"], id);
        auto list = parse(call(acme_token, "GET", "/scim/v2/Groups?" + q));
        ASSERT_EQ(list["totalResults"], 1) << q;
        EXPECT_FALSE(list["Resources"][0].contains("members")) << q;
    }
    auto with = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id + "?attributes=members"));
    EXPECT_EQ(with["members"].size(), 1u);
    // A filter on members still sees them, even when they are not returned.
    auto by_member = parse(
        call(acme_token, "GET",
             "/scim/v2/Groups?excludedAttributes=members&filter=members%5Bvalue%20eq%20%22" + a + "%22%5D"));
    EXPECT_EQ(by_member["totalResults"], 1);
    EXPECT_FALSE(by_member["Resources"][0].contains("members"));
    // POST /Groups/.search, and the root search covers Groups too.
    auto search = call(acme_token, "POST", "/scim/v2/Groups/.search",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                           "filter":"displayName eq \"g\"","excludedAttributes":["members"]})");
    ASSERT_EQ(search.status, 200) << search.body;
    EXPECT_EQ(parse(search)["totalResults"], 1);
    EXPECT_FALSE(parse(search)["Resources"][0].contains("members"));
}

TEST_F(GroupsTest, MembersAreShownWithTheirCurrentNames) {
    auto alice = create_user(acme_token, "alice");
    auto inner = create_group(acme_token, "Inner");
    json body = group_json("Outer");
    body["members"] = json::array({{{"value", alice}, {"display", "Sent by the IdP"}}, {{"value", inner}}});
    auto created = call(acme_token, "POST", "/scim/v2/Groups", body.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = parse(created)["id"];
    const auto displays = [&] {
        std::map<std::string, std::string> out;
        const json g = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id));
        for (const auto& m : g["members"]) out[m["value"].get<std::string>()] = m.value("display", "");
        return out;
    };
    EXPECT_EQ(displays(), (std::map<std::string, std::string>{{alice, "alice"}, {inner, "Inner"}}));

    auto renamed = call(acme_token, "PATCH", "/scim/v2/Users/" + alice,
                        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                            "Operations":[{"op":"replace","path":"displayName","value":"Alice Liddell"}]})");
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    ASSERT_EQ(patch(acme_token, inner, R"([{"op":"replace","path":"displayName","value":"Core"}])").status,
              204);
    EXPECT_EQ(displays(), (std::map<std::string, std::string>{{alice, "Alice Liddell"}, {inner, "Core"}}));
    // A filter on a member's display sees the current name too.
    auto found =
        parse(call(acme_token, "GET", "/scim/v2/Groups?filter=members.display%20eq%20%22alice%20liddell%22"));
    ASSERT_EQ(found["totalResults"], 1) << found.dump();
    EXPECT_EQ(found["Resources"][0]["id"], id);
}

TEST_F(GroupsTest, ListPagingAndSort) {
    std::vector<std::string> ids;
    for (const char* n : {"delta", "alpha", "charlie", "bravo"}) ids.push_back(create_group(acme_token, n));
    auto page = parse(call(acme_token, "GET", "/scim/v2/Groups?startIndex=2&count=2"));
    EXPECT_EQ(page["totalResults"], 4);
    ASSERT_EQ(page["Resources"].size(), 2u);
    EXPECT_EQ(page["Resources"][0]["id"], ids[1]);
    auto sorted = parse(call(acme_token, "GET", "/scim/v2/Groups?sortBy=displayName&count=1"));
    EXPECT_EQ(sorted["Resources"][0]["displayName"], "alpha");
    // displayName is not unique: two groups may share it, and the filter finds both.
    create_group(acme_token, "Alpha");
    EXPECT_EQ(parse(call(acme_token, "GET",
                         "/scim/v2/Groups?" + quoted_filter("displayName", "ALPHA")))["totalResults"],
              2);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Groups?filter=displayName%20eq"), 400,
                      "invalidFilter");
    auto wrong = call(acme_token, "DELETE", "/scim/v2/Groups");
    expect_scim_error(wrong, 405);
}

TEST_F(GroupsTest, TenantsAreIsolatedForEveryVerb) {
    auto a = create_user(acme_token, "a");
    auto id = create_group(acme_token, "Acme Admins", {a});
    auto before = parse(call(acme_token, "GET", "/scim/v2/Groups/" + id));

    expect_scim_error(call(globex_token, "GET", "/scim/v2/Groups/" + id), 404);
    expect_scim_error(call(globex_token, "PUT", "/scim/v2/Groups/" + id, group_json("pwned").dump()), 404);
    expect_scim_error(patch(globex_token, id, R"([{"op":"replace","path":"displayName","value":"pwned"}])"),
                      404);
    expect_scim_error(patch(globex_token, id, R"([{"op":"remove","path":"members"}])"), 404);
    expect_scim_error(call(globex_token, "DELETE", "/scim/v2/Groups/" + id), 404);
    EXPECT_EQ(parse(call(globex_token, "GET", "/scim/v2/Groups"))["totalResults"], 0);
    EXPECT_EQ(parse(call(globex_token, "GET",
                         "/scim/v2/Groups?" + quoted_filter("displayName", "Acme%20Admins")))["totalResults"],
              0);
    EXPECT_EQ(parse(call(globex_token, "GET", "/scim/v2/Groups?" + quoted_filter("id", id)))["totalResults"],
              0);
    auto search = call(globex_token, "POST", "/scim/v2/.search",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})");
    EXPECT_EQ(parse(search)["totalResults"], 0) << search.body;
    // A globex group can't take acme's user or group as a member.
    auto theirs = create_group(globex_token, "Theirs");
    expect_scim_error(
        patch(globex_token, theirs, R"([{"op":"add","path":"members","value":[{"value":")" + a + R"("}]}])"),
        400, "invalidValue");
    expect_scim_error(
        patch(globex_token, theirs, R"([{"op":"add","path":"members","value":[{"value":")" + id + R"("}]}])"),
        400, "invalidValue");
    // Deleting a globex user with acme's user's id is a 404 and does not touch acme's memberships.
    expect_scim_error(call(globex_token, "DELETE", "/scim/v2/Users/" + a), 404);
    EXPECT_EQ(parse(call(acme_token, "GET", "/scim/v2/Groups/" + id)), before);
    EXPECT_FALSE(parse(call(globex_token, "GET", "/scim/v2/Groups/" + theirs)).contains("members"));
}

TEST_F(GroupsTest, RestartKeepsGroupsAndMembers) {
    auto a = create_user(acme_token, "a");
    auto id = create_group(acme_token, "Durable", {a});
    restart();
    EXPECT_EQ(member_ids(acme_token, id), std::set<std::string>{a});
}

}  // namespace
}  // namespace dirsync::testing
