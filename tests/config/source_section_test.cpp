#include "config/source_section.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "config/load.hpp"
#include "config/value_readers.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::config {
namespace {

using dirsync::testing::scoped_env;
using dirsync::testing::temp_dir;

using namespace std::chrono_literals;

// Lines 1-5 of every test document; the source item starts on line 6.
constexpr std::string_view prefix =
    "storage: {sqlite: x.db}\n"
    "tenants:\n"
    "  - id: acme\n"
    "    name: Acme\n"
    "sources:\n";

// A valid source, lines 6-13.
constexpr std::string_view minimal =
    "  - name: corp\n"                              // 6
    "    tenant: acme\n"                            // 7
    "    url: ldap://127.0.0.1:3890\n"              // 8
    "    bind: anonymous\n"                         // 9
    "    users:\n"                                  // 10
    "      base_dn: ou=people,dc=example,dc=com\n"  // 11
    "      map:\n"                                  // 12
    "        userName: \"{uid}\"\n";                // 13

// `text` with `from` (which must occur) replaced by `to`.
std::string variant(std::string_view text, std::string_view from, std::string_view to) {
    std::string out(text);
    auto at = out.find(from);
    if (at == std::string::npos) throw std::logic_error("variant: '" + std::string(from) + "' not found");
    out.replace(at, from.size(), to);
    return out;
}

// `minimal` with `extra` lines appended to the source item (4-space indented keys): they start on line 14.
std::string with(std::string_view extra) { return std::string(minimal) + std::string(extra); }

boost::system::result<settings, config_error> load(std::string_view source_item) {
    return load_settings_string(std::string(prefix) + std::string(source_item), "test.yaml");
}

std::vector<std::string> errors_of(std::string_view source_item) {
    std::vector<std::string> out;
    auto loaded = load(source_item);
    if (loaded) return out;
    for (const auto& d : loaded.error().diagnostics)
        out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

source_settings only_source(const boost::system::result<settings, config_error>& loaded) {
    if (!loaded) throw std::runtime_error(loaded.error().to_string());
    if (loaded->sources.size() != 1) throw std::runtime_error("expected one source");
    return loaded->sources.front();
}

const ldap_source& ldap_of(const source_settings& s) {
    if (!std::holds_alternative<ldap_source>(s.kind)) throw std::runtime_error("expected an LDAP source");
    return std::get<ldap_source>(s.kind);
}

// -----------------------------------------------------------------------------------------------------------
// Valid sources

TEST(SourceSection, MinimalSourceGetsTheOpenLdapDefaults) {
    const auto& s = only_source(load(minimal));
    EXPECT_EQ(s.name, "corp");
    EXPECT_EQ(s.tenant, "acme");
    EXPECT_EQ(type_name(s.kind), "ldap");
    EXPECT_EQ(ldap_of(s).flavour, ldap_flavour::openldap);
    EXPECT_EQ(ldap_of(s).url, "ldap://127.0.0.1:3890");
    EXPECT_FALSE(ldap_of(s).start_tls);
    EXPECT_EQ(ldap_of(s).tls_verify, ldap_tls_verify::demand);
    EXPECT_EQ(ldap_of(s).bind, ldap_bind::anonymous);
    EXPECT_FALSE(ldap_of(s).bind_password.has_value());
    EXPECT_EQ(ldap_of(s).page_size, 500u);
    EXPECT_EQ(s.timeouts.network, 10s);
    EXPECT_EQ(s.timeouts.connect, 30s);
    EXPECT_EQ(s.timeouts.operation, 60s);
    EXPECT_EQ(s.timeouts.run, 1h);
    EXPECT_EQ(s.schedule.every, 15min);
    EXPECT_EQ(s.schedule.jitter, 1min);
    EXPECT_EQ(s.schedule.full_every, 24h);
    EXPECT_EQ(ldap_of(s).incremental, incremental_method::syncrepl);
    EXPECT_EQ(ldap_of(s).users.base_dn, "ou=people,dc=example,dc=com");
    EXPECT_EQ(ldap_of(s).users.scope, ldap_scope::sub);
    EXPECT_EQ(ldap_of(s).users.filter.text, "(objectClass=inetOrgPerson)");
    EXPECT_EQ(s.users.anchor, "entryUUID");
    ASSERT_TRUE(s.users.disabled_when.has_value());
    EXPECT_EQ(s.users.disabled_when->text, "(pwdAccountLockedTime=*)");
    ASSERT_EQ(s.users.map.size(), 1u);
    EXPECT_EQ(s.users.map[0].target.text, "userName");
    EXPECT_EQ(s.users.map[0].value.text, "{uid}");
    EXPECT_FALSE(s.users.map[0].required);
    EXPECT_FALSE(s.groups.has_value());
    EXPECT_TRUE(s.roles.empty());
    EXPECT_TRUE(s.match_existing.empty());
    EXPECT_EQ(s.safety.max_orphans, 500u);
    EXPECT_DOUBLE_EQ(s.safety.max_orphan_ratio, 0.10);
    EXPECT_EQ(s.orphans.action, orphan_action::flag);
    EXPECT_EQ(s.orphans.disable_after, std::optional<std::chrono::milliseconds>(7 * 24h));
    EXPECT_FALSE(s.orphans.delete_after.has_value());
    EXPECT_EQ(s.location.line, 6);
    EXPECT_EQ(s.location.column, 5);
}

TEST(SourceSection, FlavourDecidesAnchorDisabledFilterAndIncremental) {
    struct {
        const char* flavour;
        const char* anchor;
        const char* disabled;
        const char* filter;
        incremental_method incremental;
    } cases[] = {
        {"openldap", "entryUUID", "(pwdAccountLockedTime=*)", "(objectClass=inetOrgPerson)",
         incremental_method::syncrepl},
        {"active_directory", "objectGUID", "(userAccountControl:1.2.840.113556.1.4.803:=2)",
         "(&(objectCategory=person)(objectClass=user))", incremental_method::usn},
        {"389ds", "nsUniqueId", "(nsAccountLock=true)", "(objectClass=inetOrgPerson)",
         incremental_method::modify_timestamp},
        {"freeipa", "ipaUniqueID", "(nsAccountLock=true)", "(objectClass=inetOrgPerson)",
         incremental_method::modify_timestamp},
    };
    for (const auto& c : cases) {
        auto loaded = load(with(std::string("    flavour: ") + c.flavour +
                                "\n    groups:\n      base_dn: ou=groups,dc=example,dc=com\n"));
        const auto& s = only_source(loaded);
        EXPECT_EQ(s.users.anchor, c.anchor) << c.flavour;
        ASSERT_TRUE(s.users.disabled_when.has_value());
        EXPECT_EQ(s.users.disabled_when->text, c.disabled) << c.flavour;
        EXPECT_EQ(ldap_of(s).users.filter.text, c.filter) << c.flavour;
        EXPECT_EQ(ldap_of(s).incremental, c.incremental) << c.flavour;
        ASSERT_TRUE(s.groups.has_value());
        EXPECT_EQ(s.groups->anchor, c.anchor);
        const auto form = std::string(c.anchor) == "objectGUID"   ? anchor_value_form::guid
                          : std::string(c.anchor) == "nsUniqueId" ? anchor_value_form::lowercase_text
                                                                  : anchor_value_form::uuid;
        EXPECT_EQ(s.users.anchor_form, form) << c.flavour;
        EXPECT_EQ(s.groups->anchor_form, form) << c.flavour;
        EXPECT_EQ(ldap_of(s).groups->filter.text,
                  std::string(c.flavour) == "active_directory"
                      ? "(objectClass=group)"
                      : "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))");
        ASSERT_EQ(s.groups->map.size(), 1u);
        EXPECT_EQ(s.groups->map[0].target.text, "displayName");
        EXPECT_EQ(s.groups->map[0].value.text, "{cn}");
        EXPECT_EQ(s.groups->member_attribute, "member");
        EXPECT_EQ(s.groups->nested, nested_groups::flatten);
    }
}

TEST(SourceSection, FullSourceSetsEveryField) {
    temp_dir dir;
    auto password = dir.write("ldap.pw", "secret\n");
    auto ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
    std::string item =
        "  - name: corp-ldap\n"
        "    tenant: acme\n"
        "    type: ldap\n"
        "    flavour: openldap\n"
        "    url: ldap://a.example.com ldap://b.example.com:1389\n"
        "    start_tls: true\n"
        "    ca_file: " +
        ca +
        "\n"
        "    tls_verify: try\n"
        "    bind: simple\n"
        "    bind_dn: cn=sync,dc=example,dc=com\n"
        "    bind_password: { file: " +
        password +
        " }\n"
        "    page_size: 1000\n"
        "    timeouts: { network: 5s, connect: 20s, operation: 2m, run: 3h }\n"
        "    schedule: { every: 10m, jitter: 30s, full_every: 12h }\n"
        "    incremental: modify_timestamp\n"
        "    users:\n"
        "      base_dn: ou=people,dc=example,dc=com\n"
        "      scope: one\n"
        "      filter: (&(objectClass=inetOrgPerson)(!(employeeType=contractor)))\n"
        "      anchor: entryuuid\n"
        "      disabled_when: { attribute: nsAccountLock, equals: \"TRUE\" }\n"
        "      map:\n"
        "        userName: \"{uid}\"\n"
        "        name.givenName: \"{givenName}\"\n"
        "        emails[type eq \"work\"].value: \"{mail|lower}\"\n"
        "        title: { value: \"{title}\", when: \"(objectClass=manager)\", required: true }\n"
        "    groups:\n"
        "      base_dn: ou=groups,dc=example,dc=com\n"
        "      scope: base\n"
        "      filter: (objectClass=groupOfUniqueNames)\n"
        "      member_attribute: uniqueMember\n"
        "      nested: keep\n"
        "      map: { displayName: \"{cn}\", externalId: \"{entryUUID}\" }\n"
        "    roles:\n"
        "      - { role: admin, when_member_of: \"cn=it-admins,ou=groups,dc=example,dc=com\" }\n"
        "      - { role: service_account, when: \"(ou=services)\" }\n"
        "    match_existing: [externalId, userName, emails]\n"
        "    safety: { max_orphans: 20, max_orphan_ratio: 5% }\n"
        "    orphans: { action: flag, disable_after: 3d, delete_after: 30d }\n";
    auto loaded = load(item);
    const auto& s = only_source(loaded);
    EXPECT_EQ(s.name, "corp-ldap");
    EXPECT_EQ(ldap_of(s).url, "ldap://a.example.com ldap://b.example.com:1389");
    EXPECT_TRUE(ldap_of(s).start_tls);
    EXPECT_EQ(ldap_of(s).ca_file, ca);
    EXPECT_EQ(ldap_of(s).tls_verify, ldap_tls_verify::if_presented);
    EXPECT_EQ(ldap_of(s).bind, ldap_bind::simple);
    EXPECT_EQ(ldap_of(s).bind_dn, "cn=sync,dc=example,dc=com");
    ASSERT_TRUE(ldap_of(s).bind_password.has_value());
    EXPECT_EQ(*ldap_of(s).bind_password, (secret_reference{secret_source_kind::file, password}));
    EXPECT_EQ(ldap_of(s).page_size, 1000u);
    EXPECT_EQ(s.timeouts.network, 5s);
    EXPECT_EQ(s.timeouts.connect, 20s);
    EXPECT_EQ(s.timeouts.operation, 2min);
    EXPECT_EQ(s.timeouts.run, 3h);
    EXPECT_EQ(s.schedule.every, 10min);
    EXPECT_EQ(s.schedule.jitter, 30s);
    EXPECT_EQ(s.schedule.full_every, 12h);
    EXPECT_EQ(ldap_of(s).incremental, incremental_method::modify_timestamp);
    EXPECT_EQ(ldap_of(s).users.scope, ldap_scope::one);
    EXPECT_EQ(ldap_of(s).users.filter.text, "(&(objectClass=inetOrgPerson)(!(employeeType=contractor)))");
    EXPECT_EQ(s.users.anchor, "entryUUID");
    ASSERT_TRUE(s.users.disabled_when.has_value());
    EXPECT_EQ(s.users.disabled_when->text, "(nsAccountLock=TRUE)");
    ASSERT_EQ(s.users.map.size(), 4u);
    EXPECT_EQ(s.users.map[2].target.text, "emails[type eq \"work\"].value");
    EXPECT_EQ(s.users.map[2].value.text, "{mail|lower}");
    EXPECT_EQ(s.users.map[3].target.text, "title");
    EXPECT_EQ(s.users.map[3].value.text, "{title}");
    ASSERT_TRUE(s.users.map[3].when.has_value());
    EXPECT_EQ(s.users.map[3].when->text, "(objectClass=manager)");
    EXPECT_TRUE(s.users.map[3].required);
    ASSERT_TRUE(s.groups.has_value());
    EXPECT_EQ(ldap_of(s).groups->scope, ldap_scope::base);
    EXPECT_EQ(s.groups->member_attribute, "uniqueMember");
    EXPECT_EQ(s.groups->nested, nested_groups::keep);
    ASSERT_EQ(s.groups->map.size(), 2u);
    EXPECT_EQ(s.groups->map[1].target.text, "externalId");
    ASSERT_EQ(s.roles.size(), 2u);
    EXPECT_EQ(s.roles[0].role, "admin");
    EXPECT_EQ(s.roles[0].when_member_of,
              std::optional<std::string>("cn=it-admins,ou=groups,dc=example,dc=com"));
    EXPECT_FALSE(s.roles[0].when.has_value());
    EXPECT_EQ(s.roles[1].role, "service_account");
    ASSERT_TRUE(s.roles[1].when.has_value());
    EXPECT_EQ(s.roles[1].when->text, "(ou=services)");
    EXPECT_EQ(s.match_existing,
              (std::vector<match_key>{match_key::external_id, match_key::user_name, match_key::emails}));
    EXPECT_EQ(s.safety.max_orphans, 20u);
    EXPECT_DOUBLE_EQ(s.safety.max_orphan_ratio, 0.05);
    EXPECT_EQ(s.orphans.disable_after, std::optional<std::chrono::milliseconds>(3 * 24h));
    EXPECT_EQ(s.orphans.delete_after, std::optional<std::chrono::milliseconds>(30 * 24h));
}

TEST(SourceSection, DisabledWhenForms) {
    struct {
        const char* yaml;
        std::optional<std::string> filter;
    } cases[] = {
        {"never", std::nullopt},
        {"\"(nsAccountLock=true)\"", "(nsAccountLock=true)"},
        {"{ attribute: userAccountControl, mask: 2 }", "(userAccountControl:1.2.840.113556.1.4.803:=2)"},
        {"{ attribute: nsAccountLock, equals: \"tr*e(\" }", "(nsAccountLock=tr\\2ae\\28)"},
        {"{ attribute: pwdAccountLockedTime, present: true }", "(pwdAccountLockedTime=*)"},
    };
    for (const auto& c : cases) {
        auto loaded = load(variant(minimal, "      map:\n",
                                   "      disabled_when: " + std::string(c.yaml) + "\n      map:\n"));
        const auto& s = only_source(loaded);
        if (!c.filter) {
            EXPECT_FALSE(s.users.disabled_when.has_value()) << c.yaml;
        } else {
            ASSERT_TRUE(s.users.disabled_when.has_value()) << c.yaml;
            EXPECT_EQ(s.users.disabled_when->text, *c.filter);
        }
    }
}

TEST(SourceSection, OrphanActionDisableMeansAtOnce) {
    const auto& s = only_source(load(with("    orphans: { action: disable, delete_after: never }\n")));
    EXPECT_EQ(s.orphans.action, orphan_action::disable);
    EXPECT_EQ(s.orphans.disable_after, std::optional<std::chrono::milliseconds>(0ms));
    EXPECT_FALSE(s.orphans.delete_after.has_value());
    const auto& never = only_source(load(with("    orphans: { disable_after: never, delete_after: 90d }\n")));
    EXPECT_FALSE(never.orphans.disable_after.has_value());
    EXPECT_EQ(never.orphans.delete_after, std::optional<std::chrono::milliseconds>(90 * 24h));
}

TEST(SourceSection, PasswordFromEnvironmentAndCredential) {
    temp_dir dir;
    dir.write("ldap", "pw\n");
    scoped_env password("DIRSYNC_SOURCE_TEST_PW", "pw");
    scoped_env credentials("CREDENTIALS_DIRECTORY", dir.path().c_str());
    auto env = variant(minimal, "    bind: anonymous\n",
                       "    bind_dn: cn=x\n    bind_password: { env: DIRSYNC_SOURCE_TEST_PW }\n");
    const auto& s = only_source(load(env));
    EXPECT_EQ(*ldap_of(s).bind_password,
              (secret_reference{secret_source_kind::env, "DIRSYNC_SOURCE_TEST_PW"}));
    auto credential = variant(minimal, "    bind: anonymous\n",
                              "    bind_dn: cn=x\n    bind_password: { credential: ldap }\n");
    const auto& c = only_source(load(credential));
    EXPECT_EQ(*ldap_of(c).bind_password, (secret_reference{secret_source_kind::credential, "ldap"}));
}

TEST(SourceSection, SeveralSourcesMayFeedOneTenant) {
    std::string two = std::string(minimal) + variant(minimal, "name: corp", "name: other");
    auto loaded = load(two);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    ASSERT_EQ(loaded->sources.size(), 2u);
    EXPECT_EQ(loaded->sources[1].name, "other");
    EXPECT_EQ(loaded->sources[1].location.line, 14);
}

TEST(SourceSection, SaslExternalWithClientCertificate) {
    temp_dir dir;
    auto cert = dir.write("c.pem", "x");
    auto key = dir.write("k.pem", "x");
    auto item =
        variant(minimal, "    url: ldap://127.0.0.1:3890\n    bind: anonymous\n",
                "    url: ldaps://ldap.example.com\n    bind: sasl_external\n    client_cert_file: " + cert +
                    "\n    client_key_file: " + key + "\n");
    const auto& s = only_source(load(item));
    EXPECT_EQ(ldap_of(s).bind, ldap_bind::sasl_external);
    EXPECT_EQ(ldap_of(s).client_cert_file, cert);
    EXPECT_EQ(ldap_of(s).client_key_file, key);
}

// -----------------------------------------------------------------------------------------------------------
// Where expressions are: the mapping's positions point into the file

TEST(SourceSection, ExpressionsKnowWhereTheirCharactersAre) {
    std::string item = variant(minimal, "        userName: \"{uid}\"\n",
                               "        userName: \"{uid}\"\n"                    // 13
                               "        displayName: {givenName} {sn}\n"          // 14 (plain)
                               "        nickName: '{cn}'\n"                       // 15
                               "        title: \"a\\tb {x}\"\n"                   // 16 (escape)
                               "        profileUrl: |\n          {labeledURI}\n"  // 17-18 (block)
                               "        name.familyName: { value: \"{sn}\", when: \"(sn=*)\" }\n");  // 19
    // displayName: {givenName} {sn} would be a YAML flow mapping; quote-free plain text must not start with {
    item = variant(item, "displayName: {givenName} {sn}", "displayName: x{givenName} {sn}");
    const auto& s = only_source(load(item));
    ASSERT_EQ(s.users.map.size(), 6u);
    auto at = [](const located_text& t) {
        return std::to_string(t.location.line) + ":" + std::to_string(t.location.column) +
               (t.location.columns_exact ? " exact" : "");
    };
    EXPECT_EQ(at(s.users.map[0].target), "13:9 exact");
    EXPECT_EQ(at(s.users.map[0].value), "13:20 exact");
    EXPECT_EQ(at(s.users.map[1].value), "14:22 exact");
    EXPECT_EQ(at(s.users.map[2].value), "15:20 exact");
    EXPECT_EQ(at(s.users.map[3].value), "16:17");
    EXPECT_EQ(at(s.users.map[4].value), "17:21");
    EXPECT_EQ(at(s.users.map[5].target), "19:9 exact");
    EXPECT_EQ(at(s.users.map[5].value), "19:36 exact");
    ASSERT_TRUE(s.users.map[5].when.has_value());
    EXPECT_EQ(at(*s.users.map[5].when), "19:50 exact");
    auto inside = s.users.map[1].value.location.at_offset(3);
    EXPECT_EQ(inside.column, 25);
    auto not_exact = s.users.map[3].value.location.at_offset(3);
    EXPECT_EQ(not_exact.column, 17);
}

TEST(SourceSection, MemberValuesFollowTheMemberAttribute) {
    auto values_of = [](const char* groups) {
        return only_source(load(with(std::string("    groups: { base_dn: dc=x") + groups + " }\n"))).groups;
    };
    EXPECT_EQ(values_of("")->member_values, member_value_kind::dn);
    EXPECT_EQ(values_of(", member_attribute: uniqueMember")->member_values, member_value_kind::dn);
    auto posix = values_of(", member_attribute: memberUid");
    EXPECT_EQ(posix->member_values, member_value_kind::name);
    EXPECT_EQ(posix->member_name_attribute, "uid");
    auto custom =
        values_of(", member_attribute: nisNetgroupMember, member_values: name, member_name_attribute: cn");
    EXPECT_EQ(custom->member_values, member_value_kind::name);
    EXPECT_EQ(custom->member_name_attribute, "cn");
    EXPECT_EQ(values_of(", member_attribute: roleOccupant, member_values: dn")->member_values,
              member_value_kind::dn);
}

// -----------------------------------------------------------------------------------------------------------
// Errors, each at its line and column

struct bad_case {
    const char* name;
    std::string item;      ///< the sources item (lines from 6)
    const char* position;  ///< "line:column" of the first diagnostic
    const char* message;   ///< part of its message
};

class BadSource : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadSource, IsRejectedAtThePosition) {
    const auto& c = GetParam();
    auto found = errors_of(c.item);
    ASSERT_FALSE(found.empty()) << c.name << " loaded";
    auto expected = std::string(c.position) + ": ";
    EXPECT_EQ(found.front().rfind(expected, 0), 0u) << joined(found);
    EXPECT_NE(found.front().find(c.message), std::string::npos) << joined(found);
}

std::string swap_line(std::string_view from, std::string_view to) { return variant(minimal, from, to); }

INSTANTIATE_TEST_SUITE_P(
    SourceSection, BadSource,
    ::testing::Values(
        bad_case{"not_a_list", "  {}\n", "6:3", "expected a list for sources, got a mapping"},
        bad_case{"item_not_a_mapping", "  - corp\n", "6:5", "expected a mapping for sources[0]"},
        bad_case{"name_missing", swap_line("  - name: corp\n    tenant", "  - tenant"), "6:5",
                 "missing required key 'name' in sources[0]"},
        bad_case{"name_bad", swap_line("name: corp", "name: Corp"), "6:11", "invalid source name 'Corp'"},
        bad_case{"name_reserved", swap_line("name: corp", "name: scim"), "6:11", "is reserved"},
        bad_case{"name_duplicate", std::string(minimal) + std::string(minimal), "14:11",
                 "duplicate source name 'corp' (first defined at line 6)"},
        bad_case{"tenant_unknown", swap_line("tenant: acme", "tenant: globex"), "7:13",
                 "source tenant 'globex' is not a declared tenant (declared: acme)"},
        bad_case{"type_unknown", with("    type: ad\n"), "14:11", "invalid type 'ad' (allowed: ldap, scim)"},
        bad_case{"flavour_unknown", with("    flavour: novell\n"), "14:14",
                 "invalid flavour 'novell' (allowed: openldap, active_directory, 389ds, freeipa)"},
        bad_case{"unknown_key", with("    bind_pasword: x\n"), "14:5",
                 "unknown key 'bind_pasword' in sources[0]"},
        bad_case{"url_missing", swap_line("    url: ldap://127.0.0.1:3890\n", ""), "6:5",
                 "missing required key 'url'"},
        bad_case{"url_scheme", swap_line("ldap://127.0.0.1:3890", "http://x"), "8:10",
                 "invalid url: 'http://x' is not an ldap:// or ldaps:// URL"},
        bad_case{"url_path", swap_line("ldap://127.0.0.1:3890", "ldap://x/dc=example"), "8:10", "has a path"},
        bad_case{"url_port", swap_line("ldap://127.0.0.1:3890", "ldap://x:99999"), "8:10", "invalid port"},
        bad_case{"url_no_host", swap_line("ldap://127.0.0.1:3890", "ldaps://"), "8:10", "names no host"},
        bad_case{"url_second_bad", swap_line("ldap://127.0.0.1:3890", "ldap://a ftp://b"), "8:10",
                 "'ftp://b' is not an ldap://"},
        bad_case{"start_tls_with_ldaps",
                 swap_line("ldap://127.0.0.1:3890\n", "ldaps://127.0.0.1:6360\n    start_tls: true\n"),
                 "9:16", "start_tls cannot be used with an ldaps:// URL"},
        bad_case{"start_tls_not_bool", with("    start_tls: yes\n"), "14:16", "expected true or false"},
        bad_case{"ca_file_missing", with("    ca_file: /nonexistent/ca.pem\n"), "14:14",
                 "ca_file: cannot read '/nonexistent/ca.pem'"},
        bad_case{"tls_verify_bad", with("    tls_verify: hard\n"), "14:17",
                 "invalid tls_verify 'hard' (allowed: demand, try, allow, never)"},
        bad_case{"bind_bad", swap_line("bind: anonymous", "bind: kerberos"), "9:11",
                 "invalid bind 'kerberos' (allowed: simple, sasl_external, anonymous)"},
        bad_case{"simple_needs_dn", swap_line("    bind: anonymous\n", ""), "6:5",
                 "missing required key 'bind_dn' in sources[0] (bind: simple needs it"},
        bad_case{"simple_needs_password",
                 swap_line("    bind: anonymous\n", "    bind_dn: cn=sync,dc=example,dc=com\n"), "6:5",
                 "missing required key 'bind_password' in sources[0] (bind: simple needs it)"},
        bad_case{
            "password_literal",
            swap_line("    bind: anonymous\n", "    bind_dn: cn=x\n    bind_password: hunter2\n"), "10:20",
            "expected a mapping with one of file, env or credential for bind_password, got a plain value "
            "(a password never goes in the configuration"},
        bad_case{"password_two_sources",
                 swap_line("    bind: anonymous\n",
                           "    bind_dn: cn=x\n    bind_password: { env: A, file: /b }\n"),
                 "10:20", "expected exactly one of file, env or credential in bind_password"},
        bad_case{"password_unknown_key_hidden",
                 swap_line("    bind: anonymous\n", "    bind_dn: cn=x\n    bind_password: { hunter2: x }\n"),
                 "10:22", "unknown key in sources[0].bind_password (allowed: file, env, credential)"},
        bad_case{"password_file_missing",
                 swap_line("    bind: anonymous\n",
                           "    bind_dn: cn=x\n    bind_password: { file: /nonexistent/pw }\n"),
                 "10:28", "bind_password: cannot read '/nonexistent/pw'"},
        bad_case{"password_env_unset",
                 swap_line("    bind: anonymous\n",
                           "    bind_dn: cn=x\n    bind_password: { env: DIRSYNC_SURELY_UNSET_VAR }\n"),
                 "10:27", "bind_password: environment variable 'DIRSYNC_SURELY_UNSET_VAR' is not set"},
        bad_case{"anonymous_with_password", with("    bind_password: { env: X }\n"), "14:20",
                 "bind_password is not used with bind: anonymous"},
        bad_case{"anonymous_with_dn", with("    bind_dn: cn=x\n"), "14:14",
                 "bind_dn is not used with bind: anonymous"},
        bad_case{"bind_dn_bad", with("    bind_dn: sync\n"), "14:14",
                 "invalid DN for bind_dn: expected type=value"},
        bad_case{"sasl_needs_cert", swap_line("bind: anonymous", "bind: sasl_external"), "6:5",
                 "missing required key 'client_cert_file'"},
        bad_case{"sasl_needs_tls",
                 swap_line("bind: anonymous",
                           "bind: sasl_external\n    client_cert_file: /etc/hostname\n"
                           "    client_key_file: /etc/hostname"),
                 "9:11", "bind: sasl_external needs TLS"},
        bad_case{"cert_without_key", with("    client_cert_file: /etc/hostname\n"), "14:23",
                 "client_cert_file and client_key_file go together"},
        bad_case{"page_size_zero", with("    page_size: 0\n"), "14:16",
                 "page_size must be between 1 and 10000"},
        bad_case{"page_size_big", with("    page_size: 10001\n"), "14:16", "must be between 1 and 10000"},
        bad_case{"timeout_bad", with("    timeouts: { connect: 30 }\n"), "14:26",
                 "invalid duration for connect"},
        bad_case{"timeouts_unknown", with("    timeouts: { read: 30s }\n"), "14:17", "unknown key 'read'"},
        bad_case{"full_every_over_a_day", with("    schedule: { full_every: 25h }\n"), "14:29",
                 "full_every must be at most 24h"},
        bad_case{"full_every_shorter_than_every", with("    schedule: { every: 2h, full_every: 1h }\n"),
                 "14:40", "full_every must not be shorter than every"},
        bad_case{"jitter_too_big", with("    schedule: { every: 5m, jitter: 5m }\n"), "14:36",
                 "jitter must be shorter than every"},
        bad_case{"jitter_vs_default_every", with("    schedule: { jitter: 20m }\n"), "14:25",
                 "jitter must be shorter than every"},
        bad_case{"incremental_bad", with("    incremental: dirsync\n"), "14:18",
                 "invalid incremental 'dirsync' (allowed: auto, syncrepl, usn, modify_timestamp, none)"},
        bad_case{"incremental_usn_on_openldap", with("    incremental: usn\n"), "14:18",
                 "incremental: usn needs flavour active_directory"},
        bad_case{"incremental_syncrepl_on_ad",
                 with("    flavour: active_directory\n    incremental: syncrepl\n"), "15:18",
                 "syncrepl is not available with flavour active_directory"},
        bad_case{"users_missing",
                 std::string("  - name: corp\n    tenant: acme\n    url: ldap://x\n    bind: anonymous\n"),
                 "6:5", "missing required key 'users' in sources[0]"},
        bad_case{"users_base_dn_missing", swap_line("      base_dn: ou=people,dc=example,dc=com\n", ""),
                 "11:7", "missing required key 'base_dn' in sources[0].users"},
        bad_case{"users_base_dn_bad", swap_line("ou=people,dc=example,dc=com", "ou=people,,dc=com"), "11:16",
                 "invalid DN for base_dn"},
        bad_case{"users_base_dn_unescaped", swap_line("ou=people,dc=example,dc=com", "ou=a=b,dc=com"),
                 "11:16", "'=' must be escaped"},
        bad_case{"users_scope_bad", swap_line("      map:\n", "      scope: subtree\n      map:\n"), "12:14",
                 "invalid scope 'subtree' (allowed: base, one, sub)"},
        bad_case{"users_filter_bad",
                 swap_line("      map:\n", "      filter: (&(objectClass=person)(uid=a(b))\n      map:\n"),
                 "12:43", "invalid LDAP filter for filter: '(' must be written \\28 in a value"},
        bad_case{"users_filter_quoted",
                 swap_line("      map:\n", "      filter: \"(objectClass=person\"\n      map:\n"), "12:35",
                 "missing ')'"},
        bad_case{"users_filter_no_parens",
                 swap_line("      map:\n", "      filter: objectClass=person\n      map:\n"), "12:15",
                 "a filter must be in parentheses"},
        bad_case{"users_anchor_dn", swap_line("      map:\n", "      anchor: dn\n      map:\n"), "12:15",
                 "invalid anchor 'dn' (allowed: entryUUID, objectGUID, nsUniqueId, ipaUniqueID"},
        bad_case{"disabled_when_filter_bad",
                 swap_line("      map:\n", "      disabled_when: \"(nsAccountLock=true\"\n      map:\n"),
                 "12:42", "invalid LDAP filter for disabled_when"},
        bad_case{"disabled_when_two_tests",
                 swap_line("      map:\n",
                           "      disabled_when: { attribute: a, mask: 2, present: true }\n      map:\n"),
                 "12:22", "expected exactly one of mask, equals or present"},
        bad_case{"disabled_when_mask_zero",
                 swap_line("      map:\n", "      disabled_when: { attribute: a, mask: 0 }\n      map:\n"),
                 "12:44", "mask must be between 1"},
        bad_case{"disabled_when_bad_attribute",
                 swap_line("      map:\n",
                           "      disabled_when: { attribute: \"a b\", present: true }\n      map:\n"),
                 "12:35", "invalid attribute name 'a b'"},
        bad_case{
            "disabled_when_present_false",
            swap_line("      map:\n", "      disabled_when: { attribute: a, present: false }\n      map:\n"),
            "12:47", "present: false is not a test"},
        bad_case{"disabled_when_list", swap_line("      map:\n", "      disabled_when: [a]\n      map:\n"),
                 "12:22", "expected a filter, never, or a mapping"},
        bad_case{"map_missing", swap_line("      map:\n        userName: \"{uid}\"\n", ""), "11:7",
                 "missing required key 'map' in sources[0].users"},
        bad_case{"map_not_a_mapping",
                 swap_line("      map:\n        userName: \"{uid}\"\n", "      map: [a]\n"), "12:12",
                 "expected a mapping of SCIM attribute paths to expressions for map, got a list"},
        bad_case{"map_empty", swap_line("      map:\n        userName: \"{uid}\"\n", "      map: {}\n"),
                 "12:12", "map must map at least one attribute"},
        bad_case{
            "map_value_empty", swap_line("userName: \"{uid}\"", "userName: \"\""), "13:19",
            "expected an expression (\"{attribute}\") or a mapping with value for userName, got an empty "
            "string"},
        bad_case{"map_value_null", swap_line("userName: \"{uid}\"", "userName:"), "13:9",
                 "got an empty value"},
        bad_case{"map_value_list", swap_line("userName: \"{uid}\"", "userName: [a]"), "13:19", "got a list"},
        bad_case{"map_duplicate",
                 swap_line("userName: \"{uid}\"\n", "userName: \"{uid}\"\n        userName: x\n"), "14:9",
                 "duplicate key 'userName' in sources[0].users.map (first at line 13)"},
        bad_case{"map_entry_unknown_key",
                 swap_line("userName: \"{uid}\"", "userName: { value: x, wen: \"(a=1)\" }"), "13:31",
                 "unknown key 'wen' in sources[0].users.map.userName"},
        bad_case{"map_entry_value_missing", swap_line("userName: \"{uid}\"", "userName: { required: true }"),
                 "13:19", "missing required key 'value'"},
        bad_case{"map_entry_when_bad",
                 swap_line("userName: \"{uid}\"", "userName: { value: x, when: \"(a=1\" }"), "13:42",
                 "invalid LDAP filter for when"},
        bad_case{"map_entry_required_bad",
                 swap_line("userName: \"{uid}\"", "userName: { value: x, required: 1 }"), "13:41",
                 "expected true or false for required"},
        bad_case{"groups_not_a_mapping", with("    groups: ou=groups\n"), "14:13",
                 "expected a mapping for groups"},
        bad_case{"groups_base_dn_missing", with("    groups: { nested: keep }\n"), "14:13",
                 "missing required key 'base_dn' in sources[0].groups"},
        bad_case{"groups_nested_bad", with("    groups: { base_dn: dc=x, nested: deep }\n"), "14:38",
                 "invalid nested 'deep' (allowed: flatten, keep)"},
        bad_case{"groups_member_attribute_bad",
                 with("    groups: { base_dn: dc=x, member_attribute: \"m m\" }\n"), "14:48",
                 "invalid attribute name 'm m'"},
        bad_case{"groups_member_attribute_unknown_values",
                 with("    groups: { base_dn: dc=x, member_attribute: gidMembers }\n"), "14:48",
                 "set groups.member_values to dn or name"},
        bad_case{"groups_member_values_bad", with("    groups: { base_dn: dc=x, member_values: names }\n"),
                 "14:45", "invalid member_values 'names' (allowed: dn, name)"},
        bad_case{"groups_member_name_attribute_with_dns",
                 with("    groups: { base_dn: dc=x, member_name_attribute: cn }\n"), "14:53",
                 "applies only when the members are names"},
        bad_case{"roles_not_a_list", with("    roles: { role: admin }\n"), "14:12",
                 "expected a list for roles"},
        bad_case{"role_both_conditions",
                 with("    roles:\n      - { role: admin, when_member_of: \"cn=a\", when: \"(a=1)\" }\n"),
                 "15:9",
                 "expected exactly one of when_member_of (a group DN) or when (an LDAP filter) in roles[0]"},
        bad_case{"role_no_condition", with("    roles:\n      - { role: admin }\n"), "15:9",
                 "expected exactly one"},
        bad_case{"role_name_bad", with("    roles:\n      - { role: Admin, when: \"(a=1)\" }\n"), "15:17",
                 "invalid role 'Admin'"},
        bad_case{"role_missing", with("    roles:\n      - { when: \"(a=1)\" }\n"), "15:9",
                 "missing required key 'role' in sources[0].roles[0]"},
        bad_case{"role_dn_bad", with("    roles:\n      - { role: a, when_member_of: admins }\n"), "15:36",
                 "invalid DN for when_member_of"},
        bad_case{"role_filter_bad", with("    roles:\n      - { role: a, when: \"(ou=)services)\" }\n"),
                 "15:32", "invalid LDAP filter for when: unexpected 's' after the end of the filter"},
        bad_case{"match_existing_bad", with("    match_existing: [externalId, mail]\n"), "14:34",
                 "invalid match_existing[1] 'mail' (allowed: externalId, userName, emails)"},
        bad_case{"match_existing_repeat", with("    match_existing: [userName, userName]\n"), "14:32",
                 "match_existing[1] repeats 'userName'"},
        bad_case{"safety_ratio_bad", with("    safety: { max_orphan_ratio: lots }\n"), "14:33",
                 "expected a ratio between 0 and 1"},
        bad_case{"safety_ratio_over_one", with("    safety: { max_orphan_ratio: 150% }\n"), "14:33",
                 "max_orphan_ratio must be between 0 and 1"},
        bad_case{"safety_ratio_negative", with("    safety: { max_orphan_ratio: -0.1 }\n"), "14:33",
                 "expected a ratio"},
        bad_case{"safety_max_negative", with("    safety: { max_orphans: -1 }\n"), "14:28",
                 "max_orphans must be between 0 and"},
        bad_case{"orphans_action_bad", with("    orphans: { action: delete }\n"), "14:24",
                 "invalid action 'delete' (allowed: flag, disable)"},
        bad_case{"orphans_duration_bad", with("    orphans: { delete_after: soon }\n"), "14:30",
                 "invalid duration (or never) for delete_after"},
        bad_case{"orphans_delete_before_disable",
                 with("    orphans: { disable_after: 30d, delete_after: 7d }\n"), "14:50",
                 "delete_after must not be shorter than disable_after"},
        bad_case{"orphans_disable_after_with_disable",
                 with("    orphans: { action: disable, disable_after: 3d }\n"), "14:48",
                 "disable_after has no effect with action: disable"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SourceSection, EveryProblemIsReportedAtOnce) {
    std::string item = variant(minimal, "tenant: acme", "tenant: nobody");
    item = variant(item, "ldap://127.0.0.1:3890", "http://x");
    item += "    page_size: 0\n    roles:\n      - { role: x }\n";
    auto found = errors_of(item);
    EXPECT_EQ(found.size(), 4u) << joined(found);
    auto text = joined(found);
    EXPECT_NE(text.find("7:13: source tenant 'nobody'"), std::string::npos) << text;
    EXPECT_NE(text.find("8:10: invalid url"), std::string::npos) << text;
    EXPECT_NE(text.find("14:16: page_size"), std::string::npos) << text;
    EXPECT_NE(text.find("16:9: expected exactly one"), std::string::npos) << text;
}

TEST(SourceSection, LaterChecksSeePartialSourcesAndReportInFileOrder) {
    std::string yaml = std::string(prefix) + variant(minimal, "tenant: acme", "tenant: nobody");
    load_options options;
    int calls = 0;
    options.check = [&](const settings& s, std::vector<diagnostic>& out) {
        ++calls;
        ASSERT_EQ(s.sources.size(), 1u);
        ASSERT_EQ(s.sources[0].users.map.size(), 1u);
        auto at = s.sources[0].users.map[0].value.location.at_offset(1);
        out.push_back(diagnostic{"ignored", at.line, at.column, "later check"});
        out.push_back(diagnostic{"ignored", 1, 1, "first line"});
    };
    auto loaded = load_settings_string(yaml, "f.yaml", options);
    EXPECT_EQ(calls, 1);
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(loaded.error().to_string(),
              "f.yaml:1:1: first line\n"
              "f.yaml:7:13: source tenant 'nobody' is not a declared tenant (declared: acme)\n"
              "f.yaml:13:21: later check\n");
    // A check with nothing to say leaves a good configuration good.
    options.check = [](const settings&, std::vector<diagnostic>&) {};
    EXPECT_TRUE(
        load_settings_string(std::string(prefix) + std::string(minimal), "f.yaml", options).has_value());
}

TEST(SourceSection, AdminTokensAreHashedAndNeverShareASciminToken) {
    std::string good =
        "storage: {sqlite: x.db}\n"
        "admin_tokens:\n"
        "  - sha256: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
        "tenants:\n"
        "  - id: a\n    name: A\n    scim_tokens:\n"
        "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
    auto loaded = load_settings_string(good, "t.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    ASSERT_EQ(loaded->admin_tokens.size(), 1u);
    EXPECT_EQ(common::to_hex(loaded->admin_tokens[0]), std::string(64, 'b'));

    std::string shared = variant(good, std::string(64, 'b'), std::string(64, 'A'));
    auto rejected = load_settings_string(shared, "t.yaml");
    ASSERT_FALSE(rejected.has_value());
    auto diagnostics = rejected.error().diagnostics;
    ASSERT_EQ(diagnostics.size(), 1u);
    const auto& d = diagnostics[0];
    EXPECT_EQ(d.line, 3);
    EXPECT_EQ(d.column, 5);
    EXPECT_EQ(d.message,
              "admin_tokens[0] is the same token as one used by tenant 'a' (line 8); an admin token must "
              "not also be a SCIM token");

    auto not_a_list = load_settings_string("storage: {sqlite: x.db}\nadmin_tokens: abc\n", "t.yaml");
    ASSERT_FALSE(not_a_list.has_value());
    EXPECT_EQ(not_a_list.error().diagnostics[0].message, "expected a list for admin_tokens, got 'abc'");
    auto plain = load_settings_string("storage: {sqlite: x.db}\nadmin_tokens:\n  - hunter2\n", "t.yaml");
    ASSERT_FALSE(plain.has_value());
    EXPECT_EQ(plain.error().to_string().find("hunter2"), std::string::npos);
}

// -----------------------------------------------------------------------------------------------------------
// locate_scalar on its own

TEST(LocateScalar, PlainQuotedAndEscaped) {
    struct {
        const char* yaml;
        const char* expected;  ///< "line:column[ exact]" of the value of key k
    } cases[] = {
        {"k: abc\n", "1:4 exact"},
        {"k: \"abc\"\n", "1:5 exact"},
        {"k: 'abc'\n", "1:5 exact"},
        {"k: \"a\\\"c\"\n", "1:5"},
        {"k: 'it''s'\n", "1:5"},
        {"k: |\n  abc\n", "1:4"},
        {"k: >-\n  abc\n", "1:4"},
        {"k: \"two\n  lines\"\n", "1:5"},
        {"  \n\nk:    x y z\n", "3:7 exact"},
        {"{k: \"{uid}\"}\n", "1:6 exact"},
        {"k: caf\xc3\xa9 {x}\n", "1:4 exact"},
    };
    for (const auto& c : cases) {
        auto node = YAML::Load(c.yaml);
        auto at = locate_scalar(c.yaml, node["k"]);
        auto got =
            std::to_string(at.line) + ":" + std::to_string(at.column) + (at.columns_exact ? " exact" : "");
        EXPECT_EQ(got, c.expected) << c.yaml;
    }
}

TEST(SourceSection, ATenantThatInvitesItsUsersTakesNoSource) {
    auto loaded = load_settings_string(
        variant(prefix, "    name: Acme\n", "    name: Acme\n    provisioning: invite\n") +
            std::string(minimal),
        "test.yaml");
    ASSERT_FALSE(loaded);
    ASSERT_EQ(loaded.error().diagnostics.size(), 1u);
    const auto& d = loaded.error().diagnostics[0];
    EXPECT_EQ(std::to_string(d.line) + ":" + std::to_string(d.column), "8:13");
    EXPECT_NE(d.message.find("has provisioning: invite"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace dirsync::config
