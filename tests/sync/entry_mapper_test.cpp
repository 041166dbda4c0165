#include "sync/entry_mapper.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "common/ascii.hpp"
#include "config/load.hpp"
#include "entry_fixture.hpp"
#include "sync/source_check.hpp"

namespace dirsync::sync {
namespace {

using nlohmann::json;
using testing::jdoe;
using testing::make_entry;

// Lines 1-12; the users map's entries start on line 13 (8 spaces of indentation), `extra` follows the map
// (source keys at 4 spaces).
std::string document(const std::string& map_lines, const std::string& extra = "",
                     const std::string& users_extra = "") {
    return "storage: {sqlite: x.db}\n"                     // 1
           "tenants:\n"                                    // 2
           "  - id: acme\n"                                // 3
           "    name: Acme\n"                              // 4
           "sources:\n"                                    // 5
           "  - name: corp\n"                              // 6
           "    tenant: acme\n"                            // 7
           "    url: ldap://127.0.0.1:3890\n"              // 8
           "    bind: anonymous\n"                         // 9
           "    users:\n"                                  // 10
           "      base_dn: ou=people,dc=example,dc=com\n"  // 11
           + users_extra +                                 //
           "      map:\n"                                  // 12 (without users_extra)
           + map_lines + extra;
}

config::load_options checked() {
    config::load_options options;
    options.check = check_sources;
    return options;
}

// The compiled mapper of the document's only source; fails the test on any diagnostic.
source_mapper mapper_for(const std::string& yaml) {
    auto loaded = config::load_settings_string(yaml, "t.yaml", checked());
    if (!loaded) throw std::runtime_error(loaded.error().to_string());
    std::vector<config::diagnostic> problems;
    auto mapper = compile_source(*loaded, loaded->sources.at(0), problems);
    if (!mapper) throw std::runtime_error("compile_source failed");
    return *mapper;
}

// "line:column: message" of every diagnostic of loading `yaml` with the sources check.
std::vector<std::string> problems_of(const std::string& yaml) {
    std::vector<std::string> out;
    auto loaded = config::load_settings_string(yaml, "t.yaml", checked());
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

const std::string basic_map = "        userName: \"{uid}\"\n";

// -----------------------------------------------------------------------------------------------------------
// Users

TEST(EntryMapper, BuildsTheScimResource) {
    auto mapper = mapper_for(
        document("        userName: \"{uid}\"\n"
                 "        externalId: \"{employeeNumber}\"\n"
                 "        name.givenName: \"{givenName}\"\n"
                 "        name.familyName: \"{sn}\"\n"
                 "        name.formatted: \"{givenName} {sn}\"\n"
                 "        displayName: \"{cn}\"\n"
                 "        nickName: \"{nickName}\"\n"
                 "        title: \"{title}\"\n"
                 "        emails[type eq \"work\"].value: \"{mail|lower}\"\n"
                 "        emails[type eq \"work\"].primary: \"true\"\n"
                 "        emails[type eq \"home\"].value: \"{homeMail}\"\n"
                 "        emails[type eq \"home\"].primary: \"false\"\n"
                 "        phoneNumbers[type eq \"mobile\"].value: \"{mobile}\"\n"
                 "        urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber: "
                 "\"{employeeNumber}\"\n"
                 "        urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department: \"{ou}\"\n"
                 "        urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: "
                 "\"{manager|rdn}\"\n"));
    auto user = mapper.map_user(jdoe());
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    EXPECT_EQ(user->anchor, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    EXPECT_EQ(user->dn, "uid=jdoe,ou=people,dc=example,dc=com");
    EXPECT_FALSE(user->disabled);
    EXPECT_TRUE(user->roles.empty());
    json expected = {
        {"schemas",
         {"urn:ietf:params:scim:schemas:core:2.0:User",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}},
        {"userName", "jdoe"},
        {"externalId", "1042"},
        {"name", {{"givenName", "John"}, {"familyName", "Doe"}, {"formatted", "John Doe"}}},
        {"displayName", "John Doe"},
        {"title", "Engineer"},
        {"emails", {{{"type", "work"}, {"value", "john.doe@example.com"}, {"primary", true}}}},
        {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
         {{"employeeNumber", "1042"}, {"department", "Engineering"}, {"manager", {{"value", "Jane Roe"}}}}}};
    EXPECT_EQ(user->resource, expected) << user->resource.dump(2);
}

TEST(EntryMapper, MultiValuedTargetsTakeEveryValue) {
    auto mapper = mapper_for(document(basic_map + "        emails.value: \"{mail|lower}\"\n"));
    auto user = mapper.map_user(jdoe());
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->resource["emails"],
              (json{{{"value", "john.doe@example.com"}}, {{"value", "jd@example.com"}}}));
    EXPECT_EQ(user->resource["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:User"}));
}

TEST(EntryMapper, ConditionsAndFallbacks) {
    auto mapper = mapper_for(
        document(basic_map +
                 "        title: { value: \"Manager of {ou}\", when: \"(employeeType=manager)\" }\n"
                 "        urn:ietf:params:scim:schemas:core:2.0:User:title: \"{title}\"\n"
                 "        nickName: { value: \"{cn|first}\", when: \"(!(objectClass=inetOrgPerson))\" }\n"));
    auto staff = mapper.map_user(jdoe());
    ASSERT_TRUE(staff.has_value());
    EXPECT_EQ(staff->resource["title"], "Engineer");
    EXPECT_FALSE(staff->resource.contains("nickName"));
    auto boss = jdoe();
    boss.attributes["employeetype"] = {"Manager"};
    auto managed = mapper.map_user(boss);
    ASSERT_TRUE(managed.has_value());
    EXPECT_EQ(managed->resource["title"], "Manager of Engineering");
}

/// A record that is not an LDAP entry: attributes held in a map with their names as written, found in any
/// case, named by a URL as a SCIM source would name a resource.
class keyed_record final : public source_record {
  public:
    keyed_record(std::string name, std::map<std::string, std::vector<std::string>> attributes)
        : name_(std::move(name)), attributes_(std::move(attributes)) {}
    const std::string& name() const override { return name_; }
    const std::vector<std::string>* find(std::string_view attribute) const override {
        for (const auto& [key, values] : attributes_)
            if (common::iequals_ascii(key, attribute)) return &values;
        return nullptr;
    }

  private:
    std::string name_;
    std::map<std::string, std::vector<std::string>> attributes_;
};

TEST(EntryMapper, MapsAnySourceRecordNotOnlyLdapEntries) {
    auto mapper =
        mapper_for(document(
            basic_map + "        title: { value: \"Manager of {ou}\", when: \"(employeeType=manager)\" }\n"
                        "        nickName: \"{dn}\"\n"));
    keyed_record record("https://idp.example.com/scim/v2/Users/42",
                        {{"uid", {"jdoe"}},
                         {"givenName", {"John"}},
                         {"SN", {"Doe"}},
                         {"mail", {"jd@example.com"}},
                         {"ou", {"Engineering"}},
                         {"EmployeeType", {"manager"}},
                         {"entryUUID", {"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"}}});
    auto user = mapper.map_user(record);
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    EXPECT_EQ(user->anchor, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    EXPECT_EQ(user->dn, "https://idp.example.com/scim/v2/Users/42");
    EXPECT_EQ(user->resource["userName"], "jdoe");
    EXPECT_EQ(user->resource["title"], "Manager of Engineering");
    EXPECT_EQ(user->resource["nickName"], "https://idp.example.com/scim/v2/Users/42");
}

TEST(EntryMapper, TheAnchorsFormComesFromTheSourceKindNotFromItsName) {
    // A kind whose anchors are opaque ids (a SCIM server's `id`) says so with exact_text; the mapper keeps
    // them as they are instead of asking for a UUID because the attribute is not entryUUID.
    auto loaded = config::load_settings_string(document(basic_map), "t.yaml", checked());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    auto& source = loaded->sources.at(0);
    EXPECT_EQ(source.users.anchor_form, config::anchor_value_form::uuid);  // entryUUID, from the LDAP kind
    source.users.anchor = "id";
    source.users.anchor_form = config::anchor_value_form::exact_text;
    std::vector<config::diagnostic> problems;
    auto mapper = compile_source(*loaded, source, problems);
    ASSERT_TRUE(mapper.has_value());
    keyed_record record("https://idp.example.com/scim/v2/Users/AbC-42",
                        {{"uid", {"jdoe"}}, {"givenName", {"John"}}, {"sn", {"Doe"}}, {"id", {"AbC-42"}}});
    auto user = mapper->map_user(record);
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    EXPECT_EQ(user->anchor, "AbC-42");
    keyed_record binary("x", {{"uid", {"x"}}, {"givenName", {"X"}}, {"sn", {"X"}}, {"id", {"\xff\xfe"}}});
    auto refused = mapper->map_user(binary);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().to_string().find("id is not text"), std::string::npos)
        << refused.error().to_string();
}

TEST(EntryMapper, FallbackForAMultiValuedTargetOnlyWhenTheFirstGaveNothing) {
    auto mapper = mapper_for(
        document(basic_map + "        emails.value: { value: \"{mail}\", when: \"(employeeType=staff)\" }\n"
                             "        Emails.Value: \"{uid}@fallback.example\"\n"
                             "        emails[type eq \"work\"].value: \"{mail|first}\"\n"));
    auto staff = jdoe();
    staff.attributes["employeetype"] = {"staff"};
    auto with_mail = mapper.map_user(staff);
    ASSERT_TRUE(with_mail.has_value());
    EXPECT_EQ(with_mail->resource["emails"], (json{{{"value", "John.Doe@Example.com"}},
                                                   {{"value", "jd@example.com"}},
                                                   {{"type", "work"}, {"value", "John.Doe@Example.com"}}}));
    auto other = mapper.map_user(jdoe());
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(other->resource["emails"], (json{{{"value", "jdoe@fallback.example"}},
                                               {{"type", "work"}, {"value", "John.Doe@Example.com"}}}));
}

TEST(EntryMapper, TypedTargetsConvertAndNoteWhatDoesNot) {
    resource::schema extension;
    extension.id = "urn:example:ext:1.0:User";
    extension.name = "Ext";
    auto add = [&](std::string name, resource::attribute_type type, bool multi = false) {
        resource::attribute a;
        a.name = std::move(name);
        a.type = type;
        a.multi_valued = multi;
        extension.attributes.push_back(a);
    };
    add("hired", resource::attribute_type::date_time);
    add("level", resource::attribute_type::integer);
    add("ratio", resource::attribute_type::decimal);
    add("contractor", resource::attribute_type::boolean);
    add("tags", resource::attribute_type::string, true);
    resource::resource_schema users(resource::core_user_schema(), {extension});
    auto yaml = document(basic_map +
                         "        urn:example:ext:1.0:User:hired: \"{hired}\"\n"
                         "        urn:example:ext:1.0:User:level: \"{level}\"\n"
                         "        urn:example:ext:1.0:User:ratio: \"{ratio}\"\n"
                         "        urn:example:ext:1.0:User:contractor: \"{contractor}\"\n"
                         "        urn:example:ext:1.0:User:tags: \"{tag}\"\n"
                         "        nickName: \"{binary}\"\n");
    auto loaded = config::load_settings_string(yaml, "t.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    std::vector<config::diagnostic> problems;
    auto mapper = source_mapper::compile(loaded->sources[0], users, resource::group_resource_schema(),
                                         "t.yaml", problems);
    ASSERT_TRUE(mapper.has_value()) << (problems.empty() ? "" : problems[0].message);

    auto e = make_entry("uid=t,dc=x", {{"entryUUID", {"00000000-0000-0000-0000-000000000001"}},
                                       {"uid", {"t"}},
                                       {"hired", {"20240131123456Z"}},
                                       {"level", {"7"}},
                                       {"ratio", {"0.25"}},
                                       {"contractor", {"TRUE"}},
                                       {"tag", {"a", "b", "a"}},
                                       {"binary", {std::string("\xff\xfe", 2)}}});
    std::vector<std::string> notes;
    auto user = mapper->map_user(e, &notes);
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    json expected_ext = {{"hired", "2024-01-31T12:34:56.000Z"},
                         {"level", 7},
                         {"ratio", 0.25},
                         {"contractor", true},
                         {"tags", {"a", "b"}}};
    EXPECT_EQ(user->resource["urn:example:ext:1.0:User"], expected_ext) << user->resource.dump(2);
    EXPECT_FALSE(user->resource.contains("nickName"));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0],
              "uid=t,dc=x: the value for nickName is not UTF-8 text (a binary attribute needs |base64 or "
              "|guid); left out");

    struct {
        const char* attribute;
        const char* value;
        const char* problem;
    } bad[] = {
        {"hired", "yesterday", "is not a date and time"},
        {"level", "seven", "is not an integer"},
        {"ratio", "1/4", "is not a number"},
        {"contractor", "yes", "is not true or false"},
    };
    for (const auto& b : bad) {
        auto entry = e;
        entry.attributes[b.attribute] = {b.value};
        notes.clear();
        auto mapped = mapper->map_user(entry, &notes);
        ASSERT_TRUE(mapped.has_value());
        EXPECT_FALSE(mapped->resource["urn:example:ext:1.0:User"].contains(b.attribute)) << b.attribute;
        ASSERT_EQ(notes.size(), 2u) << b.attribute;
        EXPECT_NE(notes[0].find(b.problem), std::string::npos) << notes[0];
    }
}

TEST(EntryMapper, GeneralizedTimeForms) {
    resource::schema extension;
    extension.id = "urn:example:t:1.0:User";
    extension.name = "T";
    resource::attribute a;
    a.name = "at";
    a.type = resource::attribute_type::date_time;
    extension.attributes.push_back(a);
    resource::resource_schema users(resource::core_user_schema(), {extension});
    auto loaded = config::load_settings_string(
        document(basic_map + "        urn:example:t:1.0:User:at: \"{t}\"\n"), "t.yaml");
    ASSERT_TRUE(loaded.has_value());
    std::vector<config::diagnostic> problems;
    auto mapper = source_mapper::compile(loaded->sources[0], users, resource::group_resource_schema(),
                                         "t.yaml", problems);
    ASSERT_TRUE(mapper.has_value());
    struct {
        const char* in;
        const char* out;  // nullptr: left out
    } cases[] = {
        {"20240131123456Z", "2024-01-31T12:34:56.000Z"},
        {"20240131123456.5Z", "2024-01-31T12:34:56.500Z"},
        {"20240131123456,25Z", "2024-01-31T12:34:56.250Z"},
        {"202401311234Z", "2024-01-31T12:34:00.000Z"},
        {"2024013112Z", "2024-01-31T12:00:00.000Z"},
        {"20240131123456+0200", "2024-01-31T10:34:56.000Z"},
        {"20240131123456-0130", "2024-01-31T14:04:56.000Z"},
        {"20240131123456+02", "2024-01-31T10:34:56.000Z"},
        {"2024013112.5Z", "2024-01-31T12:30:00.000Z"},
        {"2024-01-31T12:34:56Z", "2024-01-31T12:34:56.000Z"},
        {"2024-01-31T12:34:56+01:00", "2024-01-31T11:34:56.000Z"},
        {"20240131123456", nullptr},
        {"20241331123456Z", nullptr},
        {"2024013112345Z", nullptr},
        {"20240131123456.Z", nullptr},
        {"133456789012345678", nullptr},
    };
    for (const auto& c : cases) {
        auto e = make_entry(
            "uid=t",
            {{"entryUUID", {"00000000-0000-0000-0000-000000000001"}}, {"uid", {"t"}}, {"t", {c.in}}});
        auto user = mapper->map_user(e);
        ASSERT_TRUE(user.has_value());
        const auto& resource = user->resource;
        if (c.out == nullptr) {
            EXPECT_FALSE(resource.contains("urn:example:t:1.0:User")) << c.in << " -> " << resource.dump();
        } else {
            ASSERT_TRUE(resource.contains("urn:example:t:1.0:User")) << c.in;
            EXPECT_EQ(resource["urn:example:t:1.0:User"]["at"], c.out) << c.in;
        }
    }
}

TEST(EntryMapper, AnchorsByAttribute) {
    std::string guid_bytes("\x33\x22\x11\x00\x55\x44\x77\x66\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
    struct {
        const char* flavour;
        const char* attribute;
        std::string value;
        const char* anchor;  // nullptr: skipped
        const char* reason;
    } cases[] = {
        {"openldap", "entryUUID", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",
         "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", ""},
        {"openldap", "entryUUID", "not-a-uuid", nullptr, "entryUUID is not a UUID"},
        {"openldap", "entryUUID", "", nullptr, "no entryUUID (the anchor attribute"},
        {"active_directory", "objectGUID", guid_bytes, "00112233-4455-6677-8899-aabbccddeeff", ""},
        {"active_directory", "objectGUID", "00112233-4455-6677-8899-AABBCCDDEEFF",
         "00112233-4455-6677-8899-aabbccddeeff", ""},
        {"active_directory", "objectGUID", "short", nullptr, "objectGUID is not a 16-byte GUID"},
        {"389ds", "nsUniqueId", "66446001-1DD211B2-800000A3-00000000", "66446001-1dd211b2-800000a3-00000000",
         ""},
        {"freeipa", "ipaUniqueID", "5D7A4C1E-8E21-11EE-9A3B-525400123456",
         "5d7a4c1e-8e21-11ee-9a3b-525400123456", ""},
        {"freeipa", "ipaUniqueID", "autogenerate", nullptr, "ipaUniqueID is not a UUID"},
    };
    for (const auto& c : cases) {
        auto mapper = mapper_for(document(basic_map, std::string("    flavour: ") + c.flavour + "\n"));
        ldap::entry_record e = make_entry("uid=jdoe,dc=x", {{"uid", {"jdoe"}}});
        if (!c.value.empty()) e.attributes[ldap::lowercase_attribute(c.attribute)] = {c.value};
        auto user = mapper.map_user(e);
        if (c.anchor != nullptr) {
            ASSERT_TRUE(user.has_value()) << c.flavour << ": " << user.error().to_string();
            EXPECT_EQ(user->anchor, c.anchor);
        } else {
            ASSERT_FALSE(user.has_value()) << c.flavour << " " << c.value;
            EXPECT_EQ(user.error().dn, "uid=jdoe,dc=x");
            EXPECT_FALSE(user.error().anchor.has_value());
            EXPECT_NE(user.error().reason.find(c.reason), std::string::npos) << user.error().reason;
        }
    }
}

TEST(EntryMapper, DisabledStateByFlavourAndRule) {
    struct {
        const char* extra;
        const char* users_extra;
        std::pair<const char*, const char*> attribute;
        bool disabled;
    } cases[] = {
        {"", "", {"pwdAccountLockedTime", "000001010000Z"}, true},
        {"", "", {"description", "x"}, false},
        {"    flavour: active_directory\n", "", {"userAccountControl", "514"}, true},
        {"    flavour: active_directory\n", "", {"userAccountControl", "512"}, false},
        {"    flavour: 389ds\n", "", {"nsAccountLock", "True"}, true},
        {"    flavour: 389ds\n", "", {"nsAccountLock", "false"}, false},
        {"", "      disabled_when: never\n", {"pwdAccountLockedTime", "000001010000Z"}, false},
        {"",
         "      disabled_when: { attribute: loginDisabled, equals: \"TRUE\" }\n",
         {"loginDisabled", "true"},
         true},
        {"",
         "      disabled_when: \"(|(shadowExpire=1)(employeeType=former))\"\n",
         {"employeeType", "Former"},
         true},
    };
    for (const auto& c : cases) {
        auto mapper = mapper_for(document(basic_map, c.extra, c.users_extra));
        auto e = jdoe();
        if (std::string(c.extra).find("active_directory") != std::string::npos)
            e.attributes["objectguid"] = {"00112233-4455-6677-8899-aabbccddeeff"};
        if (std::string(c.extra).find("389ds") != std::string::npos)
            e.attributes["nsuniqueid"] = {"66446001-1dd211b2-800000a3-00000000"};
        e.attributes[ldap::lowercase_attribute(c.attribute.first)] = {c.attribute.second};
        auto user = mapper.map_user(e);
        ASSERT_TRUE(user.has_value()) << user.error().to_string();
        EXPECT_EQ(user->disabled, c.disabled) << c.extra << c.users_extra << c.attribute.first;
    }
}

TEST(EntryMapper, RolesByFilterAndByMemberOf) {
    auto mapper = mapper_for(
        document(basic_map,
                 "    roles:\n"
                 "      - { role: admin, when_member_of: \"cn=IT Admins,ou=groups,dc=example,dc=com\" }\n"
                 "      - { role: service_account, when: \"(ou=services)\" }\n"
                 "      - { role: engineer, when: \"(ou=engineering)\" }\n"
                 "      - { role: admin, when: \"(employeeType=root)\" }\n"));
    EXPECT_TRUE(mapper.has_group_roles());
    auto plain = mapper.map_user(jdoe());
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->roles, std::vector<std::string>{"engineer"});
    auto e = jdoe();
    e.attributes["memberof"] = {"CN=it admins, OU=Groups, DC=example, DC=com", "cn=other,dc=x"};
    e.attributes["employeetype"] = {"root"};
    e.attributes["ou"] = {"Engineering", "Services"};
    auto member = mapper.map_user(e);
    ASSERT_TRUE(member.has_value());
    EXPECT_EQ(member->roles, (std::vector<std::string>{"admin", "engineer", "service_account"}));
    EXPECT_EQ(mapper.roles_for_groups({"cn=it admins,ou=groups,dc=example,dc=com"}),
              std::vector<std::string>{"admin"});
    EXPECT_TRUE(mapper.roles_for_groups({"cn=x"}).empty());
}

TEST(EntryMapper, SkipsWithAReasonNotAnError) {
    auto mapper =
        mapper_for(document("        userName: \"{uid}\"\n"
                            "        displayName: \"{displayName!}\"\n"
                            "        title: { value: \"{title}\", required: true }\n"));
    auto e = jdoe();
    auto missing = mapper.map_user(e);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(
        missing.error().to_string(),
        "uid=jdoe,ou=people,dc=example,dc=com: required attribute 'displayName' is missing (displayName)");
    EXPECT_EQ(missing.error().anchor, std::optional<std::string>("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
    e.attributes["displayname"] = {"JD"};
    e.attributes.erase("title");
    auto empty = mapper.map_user(e);
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().reason, "title is empty and marked required");
    e.attributes["title"] = {"T"};
    e.attributes.erase("uid");
    auto no_name = mapper.map_user(e);
    ASSERT_FALSE(no_name.has_value());
    EXPECT_EQ(no_name.error().reason, "no userName: its mapping gave nothing");
    e.attributes["uid"] = {"jdoe"};
    EXPECT_TRUE(mapper.map_user(e).has_value());
}

TEST(EntryMapper, AttributesTheReaderMustRequest) {
    auto mapper =
        mapper_for(document("        userName: \"{uid}\"\n"
                            "        displayName: { value: \"{cn|first}\", when: \"(objectClass=person)\" }\n"
                            "        title: \"{title|default \\\"{ou}\\\"}\"\n",
                            "    roles:\n"
                            "      - { role: admin, when_member_of: \"cn=a,dc=x\" }\n"
                            "      - { role: ops, when: \"(departmentNumber=7)\" }\n"
                            "    groups:\n"
                            "      base_dn: ou=groups,dc=example,dc=com\n"
                            "      member_attribute: uniqueMember\n"
                            "      map: { displayName: \"{cn}\", externalId: \"{gidNumber}\" }\n"));
    EXPECT_EQ(mapper.user_attributes(),
              (std::vector<std::string>{"cn", "departmentnumber", "entryuuid", "memberof", "objectclass",
                                        "ou", "pwdaccountlockedtime", "title", "uid"}));
    EXPECT_TRUE(mapper.has_groups());
    EXPECT_EQ(mapper.group_attributes(),
              (std::vector<std::string>{"cn", "entryuuid", "gidnumber", "uniquemember"}));
    EXPECT_EQ(mapper.source_name(), "corp");
}

// -----------------------------------------------------------------------------------------------------------
// Groups

TEST(EntryMapper, GroupsWithMembersAsDns) {
    auto mapper = mapper_for(document(basic_map,
                                      "    groups:\n"
                                      "      base_dn: ou=groups,dc=example,dc=com\n"
                                      "      map:\n"
                                      "        displayName: \"{cn}\"\n"
                                      "        externalId: \"{gidNumber}\"\n"));
    auto g = make_entry("cn=Admins,ou=groups,dc=example,dc=com",
                        {{"entryUUID", {"11111111-2222-3333-4444-555555555555"}},
                         {"cn", {"Admins"}},
                         {"gidNumber", {"500"}},
                         {"member",
                          {"uid=jdoe,ou=people,dc=example,dc=com", "UID=JDoe, OU=People,DC=Example,DC=Com",
                           "cn=Nested,ou=groups,dc=example,dc=com"}}});
    auto group = mapper.map_group(g);
    ASSERT_TRUE(group.has_value()) << group.error().to_string();
    EXPECT_EQ(group->group.anchor, "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(group->group.resource, (json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                           {"displayName", "Admins"},
                                           {"externalId", "500"}}));
    EXPECT_EQ(group->member_dns, (std::vector<std::string>{"uid=jdoe,ou=people,dc=example,dc=com",
                                                           "cn=nested,ou=groups,dc=example,dc=com"}));
    auto nameless = make_entry("cn=x", {{"entryUUID", {"11111111-2222-3333-4444-555555555556"}}});
    auto skipped = mapper.map_group(nameless);
    ASSERT_FALSE(skipped.has_value());
    EXPECT_EQ(skipped.error().reason, "no displayName: its mapping gave nothing");
}

TEST(EntryMapper, UniqueMemberValuesLoseTheirOptionalUid) {
    auto mapper = mapper_for(document(basic_map,
                                      "    groups:\n"
                                      "      base_dn: ou=groups,dc=example,dc=com\n"
                                      "      member_attribute: uniqueMember\n"));
    auto g = make_entry("cn=Ops,ou=groups,dc=example,dc=com",
                        {{"entryUUID", {"11111111-2222-3333-4444-555555555555"}},
                         {"cn", {"Ops"}},
                         {"uniqueMember",
                          {"uid=jdoe,ou=people,dc=example,dc=com#'0101'B",
                           "uid=ann,ou=people,dc=example,dc=com", "uid=jdoe,ou=people,dc=example,dc=com"}}});
    auto group = mapper.map_group(g);
    ASSERT_TRUE(group.has_value()) << group.error().to_string();
    EXPECT_EQ(group->member_dns, (std::vector<std::string>{"uid=jdoe,ou=people,dc=example,dc=com",
                                                           "uid=ann,ou=people,dc=example,dc=com"}));
    EXPECT_TRUE(group->member_names.empty());
}

TEST(EntryMapper, MemberUidValuesAreNamesAndUsersTheirUid) {
    auto mapper = mapper_for(document(basic_map,
                                      "    groups:\n"
                                      "      base_dn: ou=groups,dc=example,dc=com\n"
                                      "      member_attribute: memberUid\n"));
    auto g = make_entry("cn=Ops,ou=groups,dc=example,dc=com",
                        {{"entryUUID", {"11111111-2222-3333-4444-555555555555"}},
                         {"cn", {"Ops"}},
                         {"memberUid", {"JDoe", "jdoe ", "ann"}}});
    auto group = mapper.map_group(g);
    ASSERT_TRUE(group.has_value()) << group.error().to_string();
    EXPECT_EQ(group->member_names, (std::vector<std::string>{"jdoe", "ann"}));
    EXPECT_TRUE(group->member_dns.empty());
    // The users' uid is read (the reader asks for it) and is their name.
    const auto& wanted = mapper.user_attributes();
    EXPECT_NE(std::find(wanted.begin(), wanted.end(), "uid"), wanted.end());
    auto u = make_entry("uid=JDoe,ou=people,dc=example,dc=com", {{"uid", {"JDoe"}}});
    EXPECT_EQ(mapper.member_name_of(u), "jdoe");
    EXPECT_EQ(mapper.member_name_of(make_entry("cn=x", {})), std::nullopt);
}

TEST(EntryMapper, GroupsDefaultToDisplayNameFromCn) {
    auto mapper =
        mapper_for(document(basic_map, "    groups: { base_dn: \"ou=groups,dc=example,dc=com\" }\n"));
    auto g =
        make_entry("cn=Ops,dc=x", {{"entryUUID", {"11111111-2222-3333-4444-555555555555"}}, {"cn", {"Ops"}}});
    auto group = mapper.map_group(g);
    ASSERT_TRUE(group.has_value());
    EXPECT_EQ(group->group.resource["displayName"], "Ops");
    EXPECT_TRUE(group->member_dns.empty());
    auto no_groups = mapper_for(document(basic_map));
    EXPECT_FALSE(no_groups.has_groups());
    EXPECT_FALSE(no_groups.map_group(g).has_value());
}

// -----------------------------------------------------------------------------------------------------------
// Problems in the rules, reported at load with the configuration's own

struct rule_problem {
    const char* name;
    std::string yaml;
    const char* position;
    const char* message;
};

class RuleProblem : public ::testing::TestWithParam<rule_problem> {};

TEST_P(RuleProblem, IsReportedAtItsPosition) {
    const auto& c = GetParam();
    auto found = problems_of(c.yaml);
    ASSERT_FALSE(found.empty()) << c.name;
    EXPECT_EQ(found.front().rfind(std::string(c.position) + ": ", 0), 0u) << joined(found);
    EXPECT_NE(found.front().find(c.message), std::string::npos) << joined(found);
}

INSTANTIATE_TEST_SUITE_P(
    EntryMapper, RuleProblem,
    ::testing::Values(
        rule_problem{"expression_unclosed", document("        userName: \"{uid\"\n"), "13:20",
                     "invalid expression for userName: unclosed '{'"},
        rule_problem{"expression_inside", document("        userName: \"x{uid|lowr}\"\n"), "13:26",
                     "unknown filter 'lowr'"},
        rule_problem{"expression_plain_scalar", document("        userName: x{uid|lowr}\n"), "13:25",
                     "unknown filter 'lowr'"},
        rule_problem{"expression_single_quoted", document("        userName: 'x{uid|lowr}'\n"), "13:26",
                     "unknown filter 'lowr'"},
        rule_problem{"expression_with_escapes_points_at_start",
                     document("        userName: \"\\u0078{uid|lowr}\"\n"), "13:20", "unknown filter 'lowr'"},
        rule_problem{"expression_entry_form", document("        userName: { value: '{uid|upper \"x\"}' }\n"),
                     "13:34", "filter 'upper' takes no argument"},
        rule_problem{"expression_entry_form_with_escapes",
                     document("        userName: { value: \"{uid|upper \\\"x\\\"}\" }\n"), "13:29",
                     "filter 'upper' takes no argument"},
        rule_problem{"regex_invalid", document("        userName: '{uid|replace \"(\" \"x\"}'\n"), "13:33",
                     "invalid regular expression"},
        rule_problem{
            "target_unknown", document(basic_map + "        titel: \"{title}\"\n"), "14:9",
            "invalid target 'titel' in users.map: unknown attribute 'titel' in the core User schema or its "
            "extensions; did you mean 'title'?"},
        rule_problem{"target_inside", document(basic_map + "        name.givenNme: \"{givenName}\"\n"),
                     "14:14", "'name' has no sub-attribute 'givenNme'"},
        rule_problem{"target_single_quoted_key",
                     document(basic_map + "        'emails[type ne \"w\"].value': x\n"), "14:22",
                     "'eq' only"},
        rule_problem{"target_quoted_key_with_escapes",
                     document(basic_map + "        \"emails[type ne \\\"w\\\"].value\": x\n"), "14:10",
                     "'eq' only"},
        rule_problem{"target_active", document(basic_map + "        active: \"true\"\n"), "14:9",
                     "'active' is not mapped"},
        rule_problem{"username_missing", document("        displayName: \"{cn}\"\n"), "13:9",
                     "users.map must map userName"},
        rule_problem{
            "target_twice",
            document(basic_map + "        title: \"{title}\"\n        urn:ietf:params:scim:schemas:core:2.0:"
                                 "User:title: \"{ou}\"\n"),
            "15:9", "maps the same attribute as the entry at line 14"},
        rule_problem{
            "when_server_only_rule",
            document(basic_map +
                     "        title: { value: x, when: \"(memberOf:1.2.840.113556.1.4.1941:=cn=g)\" }\n"),
            "14:35",
            "invalid filter for when: the matching rule '1.2.840.113556.1.4.1941' can only be "
            "evaluated by the server"},
        rule_problem{"disabled_when_dn_match",
                     document(basic_map, "", "      disabled_when: \"(&(a=1)(ou:dn:=x))\"\n"), "12:30",
                     "invalid filter for disabled_when: ':dn' matches DN components"},
        rule_problem{"role_when_server_only",
                     document(basic_map,
                              "    roles:\n      - { role: a, when: \"(x:1.2.840.113556.1.4.1941:=y)\" }\n"),
                     "15:27", "invalid filter for the role 'a'"},
        rule_problem{"group_target_members",
                     document(basic_map,
                              "    groups:\n      base_dn: dc=x\n      map: { displayName: x, members.value: "
                              "\"{member}\" }\n"),
                     "16:30", "'members' is not mapped"},
        rule_problem{"group_display_name_missing",
                     document(basic_map, "    groups:\n      base_dn: dc=x\n      map: { externalId: x }\n"),
                     "16:12", "groups.map must map displayName"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(EntryMapper, RuleProblemsComeWithTheConfigurationsOwnInFileOrder) {
    auto yaml = document("        userName: \"{uid|lowr}\"\n", "    page_size: 0\n");
    auto found = problems_of(yaml);
    ASSERT_EQ(found.size(), 2u) << joined(found);
    EXPECT_EQ(found[0].rfind("13:25: invalid expression for userName", 0), 0u) << found[0];
    EXPECT_EQ(found[1].rfind("14:16: page_size must be between 1 and 10000", 0), 0u) << found[1];
}

TEST(EntryMapper, ConfiguredExtensionSchemasAreTargets) {
    std::string yaml = document(basic_map +
                                "        urn:example:params:scim:schemas:extension:acme:1.0:User:badge: "
                                "\"{badge}\"\n") +
                       "schemas:\n"
                       "  - id: urn:example:params:scim:schemas:extension:acme:1.0:User\n"
                       "    name: Acme\n"
                       "    resource: User\n"
                       "    attributes:\n"
                       "      - { name: badge, type: string }\n";
    auto loaded = config::load_settings_string(yaml, "t.yaml", checked());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    std::vector<config::diagnostic> problems;
    auto mapper = compile_source(*loaded, loaded->sources[0], problems);
    ASSERT_TRUE(mapper.has_value());
    auto e = jdoe();
    e.attributes["badge"] = {"B-7"};
    auto user = mapper->map_user(e);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->resource["urn:example:params:scim:schemas:extension:acme:1.0:User"]["badge"], "B-7");
    EXPECT_EQ(user->resource["schemas"].size(), 2u);
}

TEST(EntryMapper, MappedResourcesMeetTheServedSchemaAsPushedOnesDo) {
    // The mapping is checked against the schema the SCIM service serves, required attributes included: an
    // entry whose extension lacks one is skipped, as a SCIM client's POST would be refused.
    std::string yaml = document(basic_map +
                                "        urn:example:acme:1.0:User:floor: \"{roomNumber}\"\n"
                                "        urn:example:acme:1.0:User:badge: \"{badge}\"\n") +
                       "schemas:\n"
                       "  - id: urn:example:acme:1.0:User\n"
                       "    name: Acme\n"
                       "    resource: User\n"
                       "    attributes:\n"
                       "      - { name: badge, required: true }\n"
                       "      - { name: floor }\n";
    auto mapper = mapper_for(yaml);
    auto e = jdoe();
    e.attributes["roomnumber"] = {"4"};
    auto refused = mapper.map_user(e);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().reason,
              "the mapped User is refused: 'urn:example:acme:1.0:User:badge' is required by that schema");
    e.attributes["badge"] = {"B-7"};
    auto user = mapper.map_user(e);
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    EXPECT_EQ(user->resource["urn:example:acme:1.0:User"], (json{{"badge", "B-7"}, {"floor", "4"}}));

    auto two_primaries =
        mapper_for(document(basic_map + "        emails[type eq \"work\"].value: \"{mail}\"\n"
                                        "        emails[type eq \"work\"].primary: \"true\"\n"
                                        "        emails[type eq \"home\"].value: \"{uid}@home.example\"\n"
                                        "        emails[type eq \"home\"].primary: \"true\"\n"));
    auto both = two_primaries.map_user(jdoe());
    ASSERT_FALSE(both.has_value());
    EXPECT_EQ(both.error().reason,
              "the mapped User is refused: emails has more than one value with \"primary\": true");
}

}  // namespace
}  // namespace dirsync::sync
