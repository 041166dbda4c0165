// `type: scim` items of `sources:` (config/scim_source_section.cpp).
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/load.hpp"
#include "tests/support/scoped_env.hpp"

namespace dirsync::config {
namespace {

// Lines 1-5 of every document; the source item starts on line 6.
constexpr std::string_view prefix =
    "storage: {sqlite: x.db}\n"
    "tenants:\n"
    "  - id: acme\n"
    "    name: Acme\n"
    "sources:\n";

// A valid SCIM source, lines 6-13.
constexpr std::string_view minimal =
    "  - name: okta\n"                                  // 6
    "    tenant: acme\n"                                // 7
    "    type: scim\n"                                  // 8
    "    url: https://idp.example.com/scim/v2/\n"       // 9
    "    auth: { bearer_token: { env: IDP_TOKEN } }\n"  // 10
    "    users:\n"                                      // 11
    "      map:\n"                                      // 12
    "        userName: \"{userName}\"\n";               // 13

std::string variant_of(std::string_view from, std::string_view to) {
    std::string out(minimal);
    const auto at = out.find(from);
    if (at == std::string::npos) throw std::logic_error("not found: " + std::string(from));
    out.replace(at, from.size(), to);
    return out;
}

boost::system::result<settings, config_error> load(const std::string& item) {
    return load_settings_string(std::string(prefix) + item, "test.yaml");
}

std::string first_error(const std::string& item) {
    auto loaded = load(item);
    if (loaded) return "(loaded)";
    const config_error error = loaded.error();  // error() answers a copy
    const auto& d = error.diagnostics.front();
    return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

/// The secrets the documents name exist (they are checked at load).
class ScimSourceSection : public ::testing::Test {
  protected:
    dirsync::testing::scoped_env token_{"IDP_TOKEN", "t0k3n"};
};

TEST_F(ScimSourceSection, DefaultsFollowTheKind) {
    auto loaded = load(std::string(minimal) + "    groups: {}\n");
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    const auto& source = loaded->sources.at(0);
    const auto* scim = std::get_if<scim_source>(&source.kind);
    ASSERT_NE(scim, nullptr);
    EXPECT_EQ(scim->url, "https://idp.example.com/scim/v2");  // trailing '/' dropped
    EXPECT_EQ(scim->page_size, 100u);
    EXPECT_EQ(scim->retries, 5u);
    EXPECT_EQ(scim->rate_limit, 0u);
    EXPECT_EQ(scim->incremental, scim_incremental::automatic);
    const auto* bearer = std::get_if<scim_bearer_auth>(&scim->auth);
    ASSERT_NE(bearer, nullptr);
    EXPECT_EQ(bearer->token.kind, secret_source_kind::env);
    EXPECT_EQ(language_of(source.kind), record_language::scim);
    EXPECT_EQ(source.users.anchor, "id");
    EXPECT_EQ(source.users.anchor_form, anchor_value_form::exact_text);
    ASSERT_TRUE(source.users.disabled_when);
    EXPECT_EQ(source.users.disabled_when->text, "active eq false");
    ASSERT_TRUE(source.groups);
    EXPECT_EQ(source.groups->member_attribute, "members.value");
    EXPECT_EQ(source.groups->member_values, member_value_kind::name);
    EXPECT_EQ(source.groups->member_name_attribute, "id");
    ASSERT_EQ(source.groups->map.size(), 1u);
    EXPECT_EQ(source.groups->map[0].value.text, "{displayName}");
}

TEST_F(ScimSourceSection, EverySettingIsRead) {
    const std::string item =
        variant_of("    auth: { bearer_token: { env: IDP_TOKEN } }\n",
                   "    auth:\n"
                   "      oauth:\n"
                   "        token_url: https://login.example.com/oauth2/token\n"
                   "        client_id: dirsyncd\n"
                   "        client_secret: { env: IDP_TOKEN }\n"
                   "        scope: scim.read\n"
                   "    page_size: 250\n"
                   "    rate_limit: 20\n"
                   "    retries: 2\n"
                   "    tls_verify: false\n"
                   "    incremental: last_modified\n") +
        "      filter: 'active eq true'\n"
        "      disabled_when: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
        "department eq \"Left\"'\n"
        "    roles:\n"
        "      - { role: admin, when: 'groups[display eq \"Admins\"]' }\n";
    auto loaded = load(item);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    const auto& source = loaded->sources.at(0);
    const auto& scim = std::get<scim_source>(source.kind);
    const auto* oauth = std::get_if<scim_oauth_auth>(&scim.auth);
    ASSERT_NE(oauth, nullptr);
    EXPECT_EQ(oauth->token_url, "https://login.example.com/oauth2/token");
    EXPECT_EQ(oauth->client_id, "dirsyncd");
    EXPECT_EQ(oauth->client_secret.kind, secret_source_kind::env);
    EXPECT_EQ(oauth->scope, "scim.read");
    EXPECT_EQ(scim.page_size, 250u);
    EXPECT_EQ(scim.rate_limit, 20u);
    EXPECT_EQ(scim.retries, 2u);
    EXPECT_FALSE(scim.tls_verify);
    EXPECT_EQ(scim.incremental, scim_incremental::last_modified);
    ASSERT_TRUE(scim.users_filter);
    EXPECT_EQ(scim.users_filter->text, "active eq true");
    ASSERT_EQ(source.roles.size(), 1u);
    EXPECT_EQ(source.roles[0].when->text, "groups[display eq \"Admins\"]");
}

struct bad_case {
    const char* name;
    std::string item;
    const char* expected;  ///< the first diagnostic, "line:column: message" prefix
};

class BadScimSource : public ::testing::TestWithParam<bad_case> {
  protected:
    dirsync::testing::scoped_env token_{"IDP_TOKEN", "t0k3n"};
};

TEST_P(BadScimSource, IsRejectedAtThePosition) {
    const auto& c = GetParam();
    const std::string got = first_error(c.item);
    EXPECT_EQ(got.rfind(c.expected, 0), 0u) << got;
}

INSTANTIATE_TEST_SUITE_P(
    ScimSourceSection, BadScimSource,
    ::testing::Values(
        bad_case{"url_not_http", variant_of("https://idp.example.com/scim/v2/", "ldap://idp"),
                 "9:10: invalid url: 'ldap://idp' is not an http:// or https:// URL"},
        bad_case{"url_query", variant_of("scim/v2/", "scim/v2?x=1"), "9:10: invalid url:"},
        bad_case{"url_credentials", variant_of("https://idp", "https://u:p@idp"), "9:10: invalid url:"},
        bad_case{"auth_missing", variant_of("    auth: { bearer_token: { env: IDP_TOKEN } }\n", ""),
                 "6:5: missing required key 'auth'"},
        bad_case{
            "auth_both",
            variant_of("{ bearer_token: { env: IDP_TOKEN } }",
                       "{ bearer_token: { env: IDP_TOKEN }, oauth: { token_url: 'https://x', client_id: c, "
                       "client_secret: { env: IDP_TOKEN } } }"),
            "10:11: expected exactly one of bearer_token or oauth"},
        bad_case{"oauth_without_secret",
                 variant_of("{ bearer_token: { env: IDP_TOKEN } }",
                            "{ oauth: { token_url: 'https://x', client_id: c } }"),
                 "10:20: missing required key 'client_secret'"},
        bad_case{"page_size_too_big", std::string(minimal) + "    page_size: 5000\n", "14:16:"},
        bad_case{"incremental_unknown", std::string(minimal) + "    incremental: syncrepl\n",
                 "14:18: invalid incremental 'syncrepl' (allowed: auto, last_modified, none)"},
        bad_case{"filter_bad", std::string(minimal) + "      when_unused: x\n", "14:7: unknown key"},
        bad_case{"users_filter_bad", variant_of("    users:\n", "    users:\n      filter: 'userName eq'\n"),
                 "12:27: invalid SCIM filter for filter:"},
        bad_case{"when_member_of",
                 std::string(minimal) + "    roles:\n      - { role: admin, when_member_of: 'cn=x' }\n",
                 "15:40: when_member_of is for LDAP sources"},
        bad_case{"anchor_with_filter",
                 variant_of("    users:\n", "    users:\n      anchor: 'emails[type eq \"work\"].value'\n"),
                 "12:15: invalid attribute path"}),
    [](const ::testing::TestParamInfo<bad_case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dirsync::config
