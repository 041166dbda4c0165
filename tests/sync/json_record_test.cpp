// Records read from SCIM sources: json_record's paths, expressions with SCIM references, SCIM conditions.
#include "sync/json_record.hpp"

#include <gtest/gtest.h>

#include "sync/mapping.hpp"
#include "sync/record_condition.hpp"

namespace dirsync::sync {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

json okta_user() {
    return json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      "id": "00u1abcd", "userName": "bjensen@example.com", "active": false,
      "name": {"givenName": "Barbara", "familyName": "Jensen"},
      "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                 {"value": "babs@home.example", "type": "home"}],
      "phoneNumbers": [{"value": "555-0100", "type": "mobile"}],
      "groups": [{"value": "g1", "display": "Admins"}, {"value": "g2", "display": "Staff"}],
      "x-loginCount": 42,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "department": "Tours", "manager": {"value": "00u2", "displayName": "John"}},
      "meta": {"lastModified": "2026-12-01T10:00:00Z"}
    })");
}

strings values(const json_record& r, std::string_view path) {
    const auto* found = r.find(path);
    return found != nullptr ? *found : strings{};
}

TEST(JsonRecord, PathsReadTheResource) {
    const json_record r(okta_user());
    EXPECT_EQ(r.name(), "00u1abcd");
    EXPECT_EQ(values(r, "userName"), strings{"bjensen@example.com"});
    EXPECT_EQ(values(r, "USERNAME"), strings{"bjensen@example.com"});  // names any case
    EXPECT_EQ(values(r, "name.givenName"), strings{"Barbara"});
    EXPECT_EQ(values(r, "active"), strings{"false"});
    EXPECT_EQ(values(r, "x-loginCount"), strings{"42"});
    EXPECT_EQ(values(r, "emails.value"), (strings{"bjensen@example.com", "babs@home.example"}));
    EXPECT_EQ(values(r, "emails"), (strings{"bjensen@example.com", "babs@home.example"}));
    EXPECT_EQ(values(r, R"(emails[type eq "work"].value)"), strings{"bjensen@example.com"});
    EXPECT_EQ(values(r, R"(emails[type eq "HOME"].value)"), strings{"babs@home.example"});
    EXPECT_EQ(values(r, R"(emails[primary eq true])"), strings{"bjensen@example.com"});
    EXPECT_EQ(values(r, "meta.lastModified"), strings{"2026-12-01T10:00:00Z"});
    EXPECT_EQ(values(r, std::string(enterprise) + ":department"), strings{"Tours"});
    EXPECT_EQ(values(r, std::string(enterprise) + ":manager.value"), strings{"00u2"});
    EXPECT_EQ(values(r, std::string(enterprise) + ":manager"), strings{"00u2"});
    EXPECT_EQ(values(r, "department"), strings{"Tours"});  // unqualified: found in the extension
    EXPECT_EQ(values(r, "urn:ietf:params:scim:schemas:core:2.0:User:userName"),
              strings{"bjensen@example.com"});
    EXPECT_EQ(r.find("name"), nullptr);  // a complex value without a `value`
    EXPECT_EQ(r.find("nickName"), nullptr);
    EXPECT_EQ(r.find("emails[type eq"), nullptr);  // not a path
    ASSERT_NE(r.resource(), nullptr);
    EXPECT_EQ((*r.resource())["id"], "00u1abcd");
}

TEST(JsonRecord, ExpressionsTakeScimPaths) {
    const json_record r(okta_user());
    const auto compile = [](std::string_view text) {
        auto e = expression::compile(text, config::record_language::scim);
        EXPECT_TRUE(e) << text << ": " << (e ? "" : e.error().message);
        return e;
    };
    EXPECT_EQ(compile("{name.givenName} {name.familyName}")->evaluate(r).values, strings{"Barbara Jensen"});
    EXPECT_EQ(compile(R"({emails[type eq "work"].value|upper})")->evaluate(r).values,
              strings{"BJENSEN@EXAMPLE.COM"});
    EXPECT_EQ(compile("{urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department!}")
                  ->evaluate(r)
                  .values,
              strings{"Tours"});
    EXPECT_EQ(compile("{emails.value|join \", \"}")->evaluate(r).values,
              strings{"bjensen@example.com, babs@home.example"});
    EXPECT_EQ(compile("{ nickName | default \"{userName}\" }")->evaluate(r).values,
              strings{"bjensen@example.com"});
    EXPECT_EQ(compile("{nickName!}")->evaluate(r).missing_required, "nickName");

    auto bad = expression::compile("{emails[type eq]}", config::record_language::scim);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().position, 1u);
    // Paths are not attribute descriptions: an LDAP source refuses them, a SCIM source refuses `dn`'s form.
    EXPECT_FALSE(expression::compile("{name.givenName}"));
    auto cn = expression::compile("{cn;lang-en}", config::record_language::scim);
    EXPECT_FALSE(cn);
}

TEST(JsonRecord, ConditionsAreScimFilters) {
    const json_record r(okta_user());
    const auto& users = resource::user_resource_schema();
    const auto holds = [&](std::string_view text) {
        auto c = record_condition::compile(text, config::record_language::scim, users);
        EXPECT_TRUE(c) << text;
        return c && c->matches(r);
    };
    EXPECT_TRUE(holds("active eq false"));
    EXPECT_FALSE(holds("active eq true"));
    EXPECT_TRUE(holds(R"(groups[display eq "admins"])"));
    EXPECT_FALSE(holds(R"(groups[display eq "Sales"])"));
    EXPECT_TRUE(holds(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Tours")"));
    EXPECT_TRUE(holds(R"(emails[type eq "work" and value ew "@example.com"])"));
    EXPECT_TRUE(holds(R"(meta.lastModified gt "2026-11-30T00:00:00Z")"));

    auto bad = record_condition::compile("userName eq", config::record_language::scim, users);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().position, 11u);
    // An LDAP filter is not a SCIM one, and a SCIM condition matches nothing on a record without JSON.
    EXPECT_FALSE(record_condition::compile("(uid=x)", config::record_language::scim, users));
    auto ldap =
        record_condition::compile("(userName=bjensen@example.com)", config::record_language::ldap, users);
    ASSERT_TRUE(ldap);
    EXPECT_TRUE(ldap->matches(r));  // an RFC 4515 filter reads the record's values by name
}

}  // namespace
}  // namespace dirsync::sync
