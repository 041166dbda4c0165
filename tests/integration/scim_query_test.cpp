// attributes/excludedAttributes, sortBy/sortOrder, .search and the discovery endpoints, over loopback HTTP.
#include <set>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* search_urn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

class ScimQueryTest : public DaemonTest {
  protected:
    static std::set<std::string> keys(const json& j) {
        std::set<std::string> out;
        for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
        return out;
    }

    /// Creates a user with the enterprise extension; returns its id.
    std::string create_full_user(const std::string& user_name) {
        json u = user_json(user_name, "ext-" + user_name);
        u["schemas"].push_back(enterprise);
        u[enterprise] = {{"department", "Tours"}, {"manager", {{"value", "m-1"}, {"displayName", "Boss"}}}};
        auto r = call(acme_token, "POST", "/scim/v2/Users", u.dump());
        EXPECT_EQ(r.status, 201) << r.body;
        return parse(r).value("id", "");
    }

    static std::vector<std::string> user_names(const json& list) {
        std::vector<std::string> out;
        for (const auto& r : list["Resources"]) out.push_back(r.value("userName", "?"));
        return out;
    }

    static std::string search_body(json extra) {
        json body = {{"schemas", {search_urn}}};
        if (extra.is_object()) body.update(extra);
        return body.dump();
    }
};

TEST_F(ScimQueryTest, AttributesOnGetAndList) {
    std::string id = create_full_user("bjensen");
    auto only = call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=userName");
    ASSERT_EQ(only.status, 200) << only.body;
    auto j = parse(only);
    // id and schemas are returned "always"; meta is "default" (RFC 7643 §3.1), so it is not returned here.
    EXPECT_EQ(keys(j), (std::set<std::string>{"schemas", "id", "userName"}));
    EXPECT_EQ(j["id"], id);
    EXPECT_EQ(only.header("ETag"), "W/\"1\"");

    auto sub =
        parse(call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=name.givenName,EMAILS.value"));
    EXPECT_EQ(sub["name"], json({{"givenName", "Barbara"}}));
    EXPECT_EQ(sub["emails"], json::array({{{"value", "bjensen@example.com"}}}));
    EXPECT_FALSE(sub.contains("userName"));

    auto ext = parse(call(acme_token, "GET",
                          "/scim/v2/Users/" + id + "?attributes=" + enterprise + ":manager.value,meta"));
    EXPECT_EQ(ext[enterprise], json({{"manager", {{"value", "m-1"}}}}));
    EXPECT_TRUE(ext.contains("meta"));

    auto excluded = parse(call(acme_token, "GET", "/scim/v2/Users/" + id + "?excludedAttributes=emails,id"));
    EXPECT_FALSE(excluded.contains("emails"));
    EXPECT_EQ(excluded["id"], id);  // "always": cannot be excluded
    EXPECT_EQ(excluded["userName"], "bjensen");
    EXPECT_TRUE(excluded.contains("meta"));
    EXPECT_TRUE(excluded.contains(enterprise));

    auto unknown = parse(call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=noSuchAttribute"));
    EXPECT_EQ(keys(unknown), (std::set<std::string>{"schemas", "id"}));

    create_full_user("alice");
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users?attributes=userName"));
    EXPECT_EQ(list["totalResults"], 2);
    for (const auto& r : list["Resources"])
        EXPECT_EQ(keys(r), (std::set<std::string>{"schemas", "id", "userName"}));
    auto filtered = parse(call(
        acme_token, "GET",
        "/scim/v2/Users?filter=userName%20eq%20%22alice%22&excludedAttributes=" + std::string(enterprise)));
    ASSERT_EQ(filtered["totalResults"], 1);
    EXPECT_FALSE(filtered["Resources"][0].contains(enterprise));

    expect_scim_error(
        call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=userName&excludedAttributes=emails"),
        400, "invalidValue");
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?attributes=user%20name"), 400, "invalidValue");
}

TEST_F(ScimQueryTest, BareFilterValuesAsMicrosoftsReferenceClientSendsThem) {
    create_full_user("bjensen");
    create_full_user("ojones");
    auto total = [&](const std::string& filter) {
        auto r = call(acme_token, "GET", "/scim/v2/Users?count=0&filter=" + filter);
        EXPECT_EQ(r.status, 200) << filter << ": " << r.body;
        return parse(r).value("totalResults", -1);
    };
    EXPECT_EQ(total("userName%20sw%20o"), 1);
    EXPECT_EQ(total("userName%20eq%20bjensen%20or%20userName%20eq%20ojones"), 2);
    // A bare date-time is compared as a date-time, offset and 7-digit fraction included.
    EXPECT_EQ(total("meta.created%20gt%202015-10-10T14:38:21.8617979-07:00"), 2);
    EXPECT_EQ(total("meta.created%20lt%202015-10-10T14:38:21.8617979-07:00"), 0);
    // Two words are not one value.
    auto two = call(acme_token, "GET", "/scim/v2/Users?filter=userName%20eq%20x%20y");
    EXPECT_EQ(two.status, 400) << two.body;
    EXPECT_EQ(parse(two)["scimType"], "invalidFilter");
}

TEST_F(ScimQueryTest, ValuePathsInAttributesAsMicrosoftsReferenceClientSendsThem) {
    json u = user_json("bjensen");
    u["emails"] = json::array({{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}},
                               {{"value", "babs@home.example"}, {"type", "home"}}});
    auto created = call(acme_token, "POST", "/scim/v2/Users", u.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = parse(created)["id"];
    const json work = {{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}};

    auto by_type =
        call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=emails%5Btype%20eq%20%22work%22%5D");
    ASSERT_EQ(by_type.status, 200) << by_type.body;
    auto j = parse(by_type);
    EXPECT_EQ(keys(j), (std::set<std::string>{"schemas", "id", "emails"}));
    EXPECT_EQ(j["emails"], json::array({work}));

    auto by_value =
        parse(call(acme_token, "GET",
                   "/scim/v2/Users/" + id +
                       "?attributes=userName,emails%5Bvalue%20eq%20%22BABS@home.example%22%5D.value"));
    EXPECT_EQ(by_value["userName"], "bjensen");
    EXPECT_EQ(by_value["emails"], json::array({{{"value", "babs@home.example"}}}));

    auto list =
        parse(call(acme_token, "GET", "/scim/v2/Users?attributes=emails%5Btype%20eq%20%22work%22%5D"));
    ASSERT_EQ(list["totalResults"], 1);
    EXPECT_EQ(list["Resources"][0]["emails"], json::array({work}));

    auto search = call(acme_token, "POST", "/scim/v2/Users/.search",
                       search_body({{"attributes", {"emails[type eq \"home\"]"}}}));
    ASSERT_EQ(search.status, 200) << search.body;
    EXPECT_EQ(parse(search)["Resources"][0]["emails"],
              json::array({{{"value", "babs@home.example"}, {"type", "home"}}}));

    auto excluded =
        parse(call(acme_token, "GET",
                   "/scim/v2/Users/" + id + "?excludedAttributes=emails%5Btype%20eq%20%22home%22%5D"));
    EXPECT_EQ(excluded["emails"], json::array({work}));
    EXPECT_EQ(excluded["userName"], "bjensen");

    // Group members by value path.
    auto other = call(acme_token, "POST", "/scim/v2/Users", user_json("other").dump());
    ASSERT_EQ(other.status, 201);
    const std::string other_id = parse(other)["id"];
    auto group = call(acme_token, "POST", "/scim/v2/Groups",
                      json({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", "G"},
                            {"members", {{{"value", id}}, {{"value", other_id}}}}})
                          .dump());
    ASSERT_EQ(group.status, 201) << group.body;
    const std::string gid = parse(group)["id"];
    auto one_member =
        parse(call(acme_token, "GET",
                   "/scim/v2/Groups/" + gid + "?attributes=members%5Bvalue%20eq%20%22" + id + "%22%5D"));
    ASSERT_EQ(one_member["members"].size(), 1u) << one_member.dump();
    EXPECT_EQ(one_member["members"][0]["value"], id);
    EXPECT_EQ(one_member["members"][0]["display"], "bjensen");
    EXPECT_FALSE(one_member.contains("displayName"));

    for (const char* bad : {"emails%5Btype%20eq%5D", "emails%5Btype%20eq%20%22work%22",
                            "emails%5Btype%20eq%20%22work%22%5Dx"}) {
        expect_scim_error(call(acme_token, "GET", "/scim/v2/Users/" + id + "?attributes=" + bad), 400,
                          "invalidValue");
    }
}

TEST_F(ScimQueryTest, AttributesOnWrites) {
    auto created = call(acme_token, "POST", "/scim/v2/Users?attributes=userName", user_json("writer").dump());
    ASSERT_EQ(created.status, 201) << created.body;
    auto c = parse(created);
    EXPECT_EQ(keys(c), (std::set<std::string>{"schemas", "id", "userName"}));
    std::string id = c["id"];
    EXPECT_EQ(created.header("Location"),
              "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2/Users/" + id);

    auto replacement = user_json("writer");
    replacement["title"] = "Scribe";
    auto replaced =
        call(acme_token, "PUT", "/scim/v2/Users/" + id + "?excludedAttributes=name,meta", replacement.dump());
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_FALSE(parse(replaced).contains("name"));
    EXPECT_FALSE(parse(replaced).contains("meta"));
    EXPECT_EQ(parse(replaced)["title"], "Scribe");
    EXPECT_EQ(replaced.header("ETag"), "W/\"2\"");

    auto patched = call(acme_token, "PATCH", "/scim/v2/Users/" + id + "?attributes=displayName",
                        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                            "Operations":[{"op":"replace","path":"displayName","value":"W"}]})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    // schemas lists only what the projection kept (the directory extension was not asked for).
    EXPECT_EQ(parse(patched), json({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                                    {"id", id},
                                    {"displayName", "W"}}));

    // A bad projection is refused before anything is written.
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Users?attributes=a%20b", user_json("never").dump()),
                      400, "invalidValue");
    expect_scim_error(call(acme_token, "PUT", "/scim/v2/Users/" + id + "?attributes=x&excludedAttributes=y",
                           user_json("renamed").dump()),
                      400, "invalidValue");
    auto list = parse(call(acme_token, "GET", "/scim/v2/Users"));
    EXPECT_EQ(list["totalResults"], 1);
    EXPECT_EQ(list["Resources"][0]["userName"], "writer");
}

TEST_F(ScimQueryTest, SortByDescendingPagesAreStable) {
    const std::vector<std::string> created = {"mike",    "Bravo", "xray",  "alpha", "kilo",
                                              "charlie", "Echo",  "delta", "golf"};
    for (const auto& n : created) create_user(acme_token, n);
    const std::vector<std::string> descending = {"xray",  "mike",    "kilo",  "golf", "Echo",
                                                 "delta", "charlie", "Bravo", "alpha"};
    std::vector<std::string> paged;
    for (int start : {1, 5, 9}) {
        auto page = parse(call(acme_token, "GET",
                               "/scim/v2/Users?sortBy=userName&sortOrder=DESCENDING&count=4&startIndex=" +
                                   std::to_string(start) + "&attributes=userName"));
        EXPECT_EQ(page["totalResults"], 9);
        EXPECT_EQ(page["startIndex"], start);
        EXPECT_EQ(page["itemsPerPage"], start == 9 ? 1 : 4);
        for (auto& n : user_names(page)) paged.push_back(n);
    }
    EXPECT_EQ(paged, descending);

    // The same request again gives the same page.
    auto again = parse(
        call(acme_token, "GET", "/scim/v2/Users?sortBy=userName&sortOrder=descending&count=4&startIndex=5"));
    EXPECT_EQ(user_names(again), (std::vector<std::string>{"Echo", "delta", "charlie", "Bravo"}));

    auto ascending = parse(call(acme_token, "GET", "/scim/v2/Users?sortBy=USERNAME&count=3"));
    EXPECT_EQ(user_names(ascending), (std::vector<std::string>{"alpha", "Bravo", "charlie"}));

    auto filtered =
        parse(call(acme_token, "GET",
                   "/scim/v2/Users?filter=userName%20lt%20%22f%22&sortBy=userName&sortOrder=descending"));
    EXPECT_EQ(filtered["totalResults"], 5);
    EXPECT_EQ(user_names(filtered), (std::vector<std::string>{"Echo", "delta", "charlie", "Bravo", "alpha"}));

    auto counted = parse(call(acme_token, "GET", "/scim/v2/Users?sortBy=userName&count=0"));
    EXPECT_EQ(counted["totalResults"], 9);
    EXPECT_EQ(counted["itemsPerPage"], 0);
    EXPECT_TRUE(counted["Resources"].empty());
    auto beyond = parse(call(acme_token, "GET", "/scim/v2/Users?sortBy=userName&startIndex=50"));
    EXPECT_EQ(beyond["totalResults"], 9);
    EXPECT_EQ(beyond["startIndex"], 50);
    EXPECT_TRUE(beyond["Resources"].empty());

    // meta.created sorts by time: creation order.
    auto by_created = parse(call(acme_token, "GET", "/scim/v2/Users?sortBy=meta.created&count=2"));
    EXPECT_EQ(user_names(by_created), (std::vector<std::string>{"mike", "Bravo"}));

    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?sortBy=noSuchAttribute"), 400, "invalidValue");
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?sortBy=name"), 400, "invalidValue");
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Users?sortBy=userName&sortOrder=sideways"), 400,
                      "invalidValue");
}

TEST_F(ScimQueryTest, SearchEndpoints) {
    for (auto n : {"carol", "alice", "bob"}) create_user(acme_token, n);
    create_user(globex_token, "alice");

    auto users = call(acme_token, "POST", "/scim/v2/Users/.search",
                      search_body({{"attributes", {"userName"}},
                                   {"filter", "userName ne \"bob\""},
                                   {"sortBy", "userName"},
                                   {"startIndex", 1},
                                   {"count", 10}}));
    ASSERT_EQ(users.status, 200) << users.body;
    EXPECT_EQ(users.header("Content-Type").rfind("application/scim+json", 0), 0u);
    auto u = parse(users);
    EXPECT_EQ(u["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
    EXPECT_EQ(u["totalResults"], 2);
    EXPECT_EQ(user_names(u), (std::vector<std::string>{"alice", "carol"}));
    EXPECT_EQ(keys(u["Resources"][0]), (std::set<std::string>{"schemas", "id", "userName"}));

    auto paged = parse(call(
        acme_token, "POST", "/scim/v2/Users/.search",
        search_body({{"sortBy", "userName"}, {"sortOrder", "descending"}, {"startIndex", 2}, {"count", 1}})));
    EXPECT_EQ(paged["totalResults"], 3);
    EXPECT_EQ(paged["startIndex"], 2);
    EXPECT_EQ(user_names(paged), std::vector<std::string>{"bob"});

    auto root = call(acme_token, "POST", "/scim/v2/.search",
                     search_body({{"filter", "userName eq \"alice\""}, {"excludedAttributes", {"emails"}}}));
    ASSERT_EQ(root.status, 200) << root.body;
    auto r = parse(root);
    EXPECT_EQ(r["totalResults"], 1);  // the other tenant's alice is not found
    EXPECT_EQ(r["Resources"][0]["userName"], "alice");
    EXPECT_EQ(r["Resources"][0]["meta"]["resourceType"], "User");
    EXPECT_FALSE(r["Resources"][0].contains("emails"));
    auto root_all =
        parse(call(acme_token, "POST", "/scim/v2/.search",
                   search_body({{"filter", "userName pr"}, {"sortBy", "userName"}, {"count", 0}})));
    EXPECT_EQ(root_all["totalResults"], 3);
    EXPECT_TRUE(root_all["Resources"].empty());

    for (const char* target : {"/scim/v2/Users/.search", "/scim/v2/.search"}) {
        expect_scim_error(call(acme_token, "POST", target, "{not json"), 400, "invalidSyntax");
        expect_scim_error(call(acme_token, "POST", target, R"({"filter":"userName pr"})"), 400,
                          "invalidSyntax");
        expect_scim_error(call(acme_token, "POST", target, search_body({{"count", "many"}})), 400,
                          "invalidSyntax");
        expect_scim_error(call(acme_token, "POST", target, search_body({{"filter", "userName eq"}})), 400,
                          "invalidFilter");
        expect_scim_error(call(acme_token, "POST", target, search_body({{"sortBy", "noSuchAttribute"}})), 400,
                          "invalidValue");
        expect_scim_error(
            call(acme_token, "POST", target, search_body({{"sortBy", "userName"}, {"sortOrder", "up"}})), 400,
            "invalidValue");
        expect_scim_error(
            call(acme_token, "POST", target,
                 search_body({{"attributes", {"userName"}}, {"excludedAttributes", {"emails"}}})),
            400, "invalidValue");
        auto get = call(acme_token, "GET", target);
        expect_scim_error(get, 405);
        EXPECT_EQ(get.header("Allow"), "POST");
        expect_scim_error(call("", "POST", target, search_body({})), 401);
    }
}

/// Every attribute and sub-attribute of a /Schemas resource has the RFC 7643 §7 characteristics.
void expect_attribute_shape(const json& a, const std::string& where) {
    ASSERT_TRUE(a.is_object()) << where;
    for (auto key :
         {"name", "type", "multiValued", "required", "caseExact", "mutability", "returned", "uniqueness"})
        EXPECT_TRUE(a.contains(key)) << where << " lacks " << key;
    EXPECT_TRUE(a["name"].is_string()) << where;
    EXPECT_TRUE(a["multiValued"].is_boolean()) << where;
    EXPECT_TRUE(a["required"].is_boolean()) << where;
    EXPECT_TRUE(a["caseExact"].is_boolean()) << where;
    static const std::set<std::string> types = {"string",   "boolean",   "decimal", "integer",
                                                "dateTime", "reference", "binary",  "complex"};
    EXPECT_EQ(types.count(a.value("type", "")), 1u) << where;
    static const std::set<std::string> mutabilities = {"readOnly", "readWrite", "immutable", "writeOnly"};
    EXPECT_EQ(mutabilities.count(a.value("mutability", "")), 1u) << where;
    static const std::set<std::string> returns = {"always", "never", "default", "request"};
    EXPECT_EQ(returns.count(a.value("returned", "")), 1u) << where;
    static const std::set<std::string> uniquenesses = {"none", "server", "global"};
    EXPECT_EQ(uniquenesses.count(a.value("uniqueness", "")), 1u) << where;
    if (a.value("type", "") == "complex") {
        ASSERT_TRUE(a.contains("subAttributes") && a["subAttributes"].is_array()) << where;
        for (const auto& sub : a["subAttributes"])
            expect_attribute_shape(sub, where + "." + sub.value("name", "?"));
    }
}

TEST_F(ScimQueryTest, DiscoveryEndpoints) {
    const std::string base = "http://127.0.0.1:" + std::to_string(port()) + "/scim/v2";

    auto spc_r = call(acme_token, "GET", "/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(spc_r.status, 200) << spc_r.body;
    EXPECT_EQ(spc_r.header("Content-Type").rfind("application/scim+json", 0), 0u);
    auto spc = parse(spc_r);
    EXPECT_EQ(spc["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}));
    EXPECT_EQ(spc["patch"]["supported"], true);
    EXPECT_EQ(spc["bulk"]["supported"], true);
    EXPECT_EQ(spc["bulk"]["maxOperations"], 1000);
    EXPECT_EQ(spc["bulk"]["maxPayloadSize"], 65536);  // the default 1 MiB, lowered to max_body_bytes
    EXPECT_EQ(spc["filter"]["supported"], true);
    EXPECT_EQ(spc["filter"]["maxResults"], 1000);
    EXPECT_EQ(spc["changePassword"]["supported"], false);
    EXPECT_EQ(spc["sort"]["supported"], true);
    EXPECT_EQ(spc["etag"]["supported"], true);
    ASSERT_EQ(spc["authenticationSchemes"].size(), 1u);
    EXPECT_EQ(spc["authenticationSchemes"][0]["type"], "oauthbearertoken");
    EXPECT_TRUE(spc["authenticationSchemes"][0]["name"].is_string());
    EXPECT_TRUE(spc["authenticationSchemes"][0]["description"].is_string());
    EXPECT_TRUE(spc["authenticationSchemes"][0]["specUri"].is_string());
    EXPECT_EQ(spc["meta"]["resourceType"], "ServiceProviderConfig");
    EXPECT_EQ(spc["meta"]["location"], base + "/ServiceProviderConfig");

    auto types = parse(call(acme_token, "GET", "/scim/v2/ResourceTypes"));
    EXPECT_EQ(types["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
    EXPECT_EQ(types["totalResults"], 2);
    ASSERT_EQ(types["Resources"].size(), 2u);
    auto user_type_r = call(acme_token, "GET", "/scim/v2/ResourceTypes/User");
    ASSERT_EQ(user_type_r.status, 200);
    auto user_type = parse(user_type_r);
    EXPECT_EQ(user_type, types["Resources"][0]);
    EXPECT_EQ(user_type["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}));
    EXPECT_EQ(user_type["id"], "User");
    EXPECT_EQ(user_type["name"], "User");
    EXPECT_EQ(user_type["endpoint"], "/Users");
    EXPECT_EQ(user_type["schema"], "urn:ietf:params:scim:schemas:core:2.0:User");
    EXPECT_EQ(user_type["schemaExtensions"],
              json::array({{{"schema", enterprise}, {"required", false}},
                           {{"schema", "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User"},
                            {"required", false}}}));
    EXPECT_EQ(user_type["meta"],
              json({{"resourceType", "ResourceType"}, {"location", base + "/ResourceTypes/User"}}));
    auto group_type = parse(call(acme_token, "GET", "/scim/v2/ResourceTypes/Group"));
    EXPECT_EQ(group_type["endpoint"], "/Groups");
    EXPECT_EQ(group_type["schema"], "urn:ietf:params:scim:schemas:core:2.0:Group");

    auto schemas = parse(call(acme_token, "GET", "/scim/v2/Schemas"));
    EXPECT_EQ(schemas["totalResults"], 4);
    std::set<std::string> ids;
    for (const auto& s : schemas["Resources"]) {
        ids.insert(s["id"]);
        EXPECT_EQ(s["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:Schema"}));
        EXPECT_EQ(s["meta"]["resourceType"], "Schema");
        EXPECT_EQ(s["meta"]["location"], base + "/Schemas/" + s["id"].get<std::string>());
        ASSERT_TRUE(s["attributes"].is_array());
        for (const auto& a : s["attributes"]) {
            expect_attribute_shape(a, s["name"].get<std::string>() + "." + a.value("name", "?"));
            for (auto common : {"id", "externalId", "meta", "schemas"}) EXPECT_NE(a["name"], common);
        }
    }
    EXPECT_EQ(ids, (std::set<std::string>{"urn:ietf:params:scim:schemas:core:2.0:User",
                                          "urn:ietf:params:scim:schemas:core:2.0:Group", enterprise,
                                          "urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User"}));

    auto ent_r = call(acme_token, "GET", std::string("/scim/v2/Schemas/") + enterprise);
    ASSERT_EQ(ent_r.status, 200) << ent_r.body;
    auto ent = parse(ent_r);
    EXPECT_EQ(ent["id"], enterprise);
    EXPECT_EQ(ent["name"], "EnterpriseUser");
    std::set<std::string> ent_names;
    for (const auto& a : ent["attributes"]) ent_names.insert(a["name"]);
    EXPECT_EQ(ent_names, (std::set<std::string>{"employeeNumber", "costCenter", "organization", "division",
                                                "department", "manager"}));

    expect_scim_error(call(acme_token, "GET", "/scim/v2/Schemas?filter=id%20eq%20%22x%22"), 403);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/ResourceTypes?filter=name%20eq%20%22User%22"), 403);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/ServiceProviderConfig?filter=x"), 403);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/Schemas/urn:nope"), 404);
    expect_scim_error(call(acme_token, "GET", "/scim/v2/ResourceTypes/Device"), 404);
    expect_scim_error(call(acme_token, "POST", "/scim/v2/Schemas", "{}"), 405);
    // Like every endpoint, discovery needs the bearer token (see README).
    expect_scim_error(call("", "GET", "/scim/v2/ServiceProviderConfig"), 401);
    expect_scim_error(call("wrong-token", "GET", "/scim/v2/Schemas"), 401);
}

}  // namespace
}  // namespace dirsync::testing
