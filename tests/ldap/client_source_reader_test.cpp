#include <openssl/evp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "ldap/generalized_time.hpp"
#include "ldap/guid.hpp"
#include "ldap/source_reader.hpp"

namespace dirsync::ldap::test {
namespace {

constexpr std::size_t people = 250;
constexpr std::size_t big_group = 120;
constexpr const char* bulk_base = "ou=Bulk,dc=example,dc=com";
constexpr const char* big_group_dn = "cn=Big Group,ou=Groups,dc=example,dc=com";

std::string person_dn(int i, const char* base = bulk_base) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "uid=person%05d,%s", i, base);
    return buffer;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

/// Everything the handlers were given.
struct collected {
    std::map<std::string, entry> users;   ///< by anchor
    std::map<std::string, entry> groups;  ///< by anchor
    std::map<std::size_t, std::set<std::string>> roles;
    std::vector<std::string> skipped;

    source_handlers handlers() {
        source_handlers h;
        h.on_user = [this](entry&& e, std::string anchor) {
            EXPECT_TRUE(users.emplace(std::move(anchor), std::move(e)).second) << "user handed twice";
        };
        h.on_group = [this](entry&& e, std::string anchor) {
            EXPECT_TRUE(groups.emplace(std::move(anchor), std::move(e)).second) << "group handed twice";
        };
        h.on_role_member = [this](std::size_t role, std::string anchor) {
            EXPECT_TRUE(roles[role].insert(std::move(anchor)).second) << "role member named twice";
        };
        h.on_skipped = [this](std::string dn, std::string reason) { skipped.push_back(dn + ": " + reason); };
        return h;
    }

    std::set<std::string> user_dns() const {
        std::set<std::string> out;
        for (const auto& [anchor, e] : users) out.insert(e.dn);
        return out;
    }
};

class SourceReaderBase : public ClientTest {
  protected:
    std::unique_ptr<client> admin_;

    void TearDown() override {
        admin_.reset();
        ClientTest::TearDown();
    }

    client& reader(std::uint32_t page_size = 50) {
        if (!client_) {
            auto s = reader_settings();
            s.page_size = page_size;
            connect_or_fail(make_client(std::move(s)));
        }
        return *client_;
    }

    client& admin() {
        if (!admin_) {
            auto s = reader_settings();
            s.bind_dn = testing::slapd_server::admin_dn;
            s.bind_password = secret(testing::slapd_server::admin_password);
            admin_ = std::make_unique<client>(io_.get_executor(), pool_, std::move(s));
            auto r = run(admin_->connect());
            EXPECT_TRUE(r.has_value()) << r.error().message;
        }
        return *admin_;
    }

    void write_ok(asio::awaitable<boost::system::result<void, error>> op) {
        auto r = run(std::move(op));
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    full_read_result full(const source_query& q, incremental_method method, collected& into) {
        auto r = run(read_full(reader(), q, method, into.handlers()));
        if (!r) {
            ADD_FAILURE() << r.error().message;
            return {};
        }
        return std::move(*r);
    }

    incremental_result incremental(const source_query& q, const incremental_state& state, collected& into) {
        auto r = run(read_incremental(reader(), q, state, into.handlers()));
        if (!r) {
            ADD_FAILURE() << r.error().message;
            return {};
        }
        return std::move(*r);
    }

    std::string uuid_of(const std::string& dn) {
        auto e = run(reader().read(dn, {"entryUUID"}));
        EXPECT_TRUE(e && *e) << dn;
        if (!e || !*e) return {};
        return format_uuid((*e)->first("entryUUID")).value_or("");
    }
};

/// OpenLDAP: 250 people, a group of 120 of them, pages of 50 entries, stale cookies refused.
class SourceReaderTest : public SourceReaderBase {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = people;
        o.big_group_members = big_group;
        o.syncprov_reloadhint = true;
        return o;
    }

    static source_query query() {
        source_query q;
        q.flavour = directory_flavour::openldap;
        q.users.base = bulk_base;
        q.users.filter = "(objectClass=inetOrgPerson)";
        q.users.attributes = {"uid", "mail"};
        group_query g;
        g.base = "ou=Groups,dc=example,dc=com";
        g.filter = "objectClass=groupOfNames";
        g.attributes = {"cn"};
        q.groups = g;
        q.role_filters = {"(mail=person0000*)", "cn=Person 1*"};  // persons 1-9; persons 1, 10-19, 100-199
        return q;
    }
};

TEST_F(SourceReaderTest, AFullReadStreamsUsersGroupsAndRolesPageByPage) {
    collected got;
    auto r = full(query(), incremental_method::syncrepl, got);
    EXPECT_EQ(r.users, people);
    EXPECT_EQ(got.users.size(), people);
    EXPECT_EQ(r.skipped, 0u);
    for (const auto& [anchor, e] : got.users) {
        EXPECT_EQ(format_uuid(e.first("entryUUID")), anchor) << e.dn;  // the anchor attribute was added
        EXPECT_FALSE(e.first("uid").empty()) << e.dn;
        EXPECT_FALSE(e.first("mail").empty()) << e.dn;
        EXPECT_EQ(e.find("cn"), nullptr) << e.dn;  // only what was asked
    }
    EXPECT_EQ(got.user_dns().count(person_dn(250)), 1u);

    // groupOfNames only: All Staff, Alumni Assoc Staff, Big Group; members complete.
    EXPECT_EQ(r.groups, 3u);
    const std::string big = uuid_of(big_group_dn);
    ASSERT_TRUE(got.groups.count(big));
    const auto* members = got.groups.at(big).find("member");
    ASSERT_NE(members, nullptr);
    EXPECT_EQ(members->size(), big_group);
    EXPECT_EQ(got.groups.at(big).first("cn"), "Big Group");

    ASSERT_EQ(r.role_members.size(), 2u);
    EXPECT_EQ(r.role_members[0], 9u);
    EXPECT_EQ(r.role_members[1], 1u + 10u + 100u);
    EXPECT_EQ(got.roles[0].size(), 9u);
    EXPECT_TRUE(got.roles[0].count(uuid_of(person_dn(9))));
    EXPECT_FALSE(got.roles[0].count(uuid_of(person_dn(10))));
    EXPECT_TRUE(got.roles[1].count(uuid_of(person_dn(150))));

    // The state for syncrepl: a cookie per search, taken before the read.
    EXPECT_EQ(r.state.method, incremental_method::syncrepl);
    ASSERT_TRUE(r.state.users_cookie);
    ASSERT_TRUE(r.state.groups_cookie);
    EXPECT_NE(r.state.users_cookie->find("csn="), std::string::npos);
    auto stored = parse_incremental_state(nlohmann::json::parse(nlohmann::json(r.state).dump()));
    ASSERT_TRUE(stored);
    EXPECT_EQ(*stored, r.state);
}

TEST_F(SourceReaderTest, EntriesWithoutAnAnchorAreSkippedNotDropped) {
    auto q = query();
    q.anchor_attribute = "employeeNumber";  // no bulk person has one
    q.groups.reset();
    q.role_filters.clear();
    collected got;
    auto r = full(q, incremental_method::timestamp, got);
    EXPECT_EQ(r.users, 0u);
    EXPECT_EQ(r.skipped, people);
    ASSERT_EQ(got.skipped.size(), people);
    EXPECT_NE(got.skipped.front().find("no usable employeeNumber"), std::string::npos) << got.skipped.front();
}

TEST_F(SourceReaderTest, SyncreplIncrementalSeesChangesDeletesGroupsAndRoles) {
    const auto q = query();
    collected first;
    auto base = full(q, incremental_method::syncrepl, first);
    ASSERT_TRUE(base.state.users_cookie);

    const std::string changed = uuid_of(person_dn(20));
    const std::string deleted = uuid_of(person_dn(30));
    const std::vector<modification> into_role0{
        {modification::operation::replace, "mail", {"person00003-alias@example.com"}}};
    write_ok(admin().modify(person_dn(20), into_role0));
    write_ok(admin().remove(person_dn(30)));
    entry newcomer;
    newcomer.dn = "uid=newcomer,ou=Bulk,dc=example,dc=com";
    newcomer.attributes["objectClass"] = {"inetOrgPerson"};
    newcomer.attributes["uid"] = {"newcomer"};
    newcomer.attributes["cn"] = {"Person 1 Junior"};  // role 1
    newcomer.attributes["sn"] = {"Junior"};
    newcomer.attributes["mail"] = {"newcomer@example.com"};
    write_ok(admin().add(newcomer));
    const std::vector<modification> drop_member{{modification::operation::remove, "member", {person_dn(1)}}};
    write_ok(admin().modify(big_group_dn, drop_member));
    const std::string added = uuid_of(newcomer.dn);

    collected delta;
    auto r = incremental(q, base.state, delta);
    EXPECT_FALSE(r.full_read_required) << r.reason;
    EXPECT_EQ(delta.users.size(), 2u);
    EXPECT_EQ(r.users, 2u);
    EXPECT_TRUE(delta.users.count(changed));
    EXPECT_TRUE(delta.users.count(added));
    ASSERT_EQ(delta.groups.size(), 1u);
    EXPECT_EQ(delta.groups.begin()->second.find("member")->size(), big_group - 1);

    // Without a session log slapd answers with a present phase: the deleted user is the one not present.
    ASSERT_TRUE(r.present_users);
    std::set<std::string> gone;
    for (const auto& [anchor, e] : first.users)
        if (!std::binary_search(r.present_users->begin(), r.present_users->end(), anchor))
            gone.insert(anchor);
    EXPECT_EQ(gone, std::set<std::string>{deleted});
    ASSERT_TRUE(r.present_groups);
    EXPECT_EQ(r.present_groups->size(), 3u);

    // Roles of the changed users only: person 20 now matches role 0, the newcomer role 1.
    EXPECT_EQ(delta.roles[0], std::set<std::string>{changed});
    EXPECT_EQ(delta.roles[1], std::set<std::string>{added});

    ASSERT_TRUE(r.state.users_cookie);
    EXPECT_NE(*r.state.users_cookie, *base.state.users_cookie);
    collected none;
    auto again = incremental(q, r.state, none);
    EXPECT_FALSE(again.full_read_required);
    EXPECT_TRUE(none.users.empty());
    EXPECT_TRUE(none.groups.empty());
    EXPECT_TRUE(again.deleted_anchors.empty());
    EXPECT_EQ(again.state, r.state);
}

TEST_F(SourceReaderTest, AStaleOrMissingCookieAsksForAFullRead) {
    const auto q = query();
    incremental_state stale;
    stale.method = incremental_method::syncrepl;
    stale.users_cookie = "rid=000,csn=20000101000000.000000Z#000000#000#000000";
    stale.groups_cookie = stale.users_cookie;
    collected got;
    auto r = incremental(q, stale, got);
    EXPECT_TRUE(r.full_read_required);
    EXPECT_NE(r.reason.find("e-syncRefreshRequired"), std::string::npos) << r.reason;
    EXPECT_EQ(r.state, stale);
    EXPECT_TRUE(got.users.empty());

    incremental_state empty;
    empty.method = incremental_method::syncrepl;
    r = incremental(q, empty, got);
    EXPECT_TRUE(r.full_read_required);
    EXPECT_NE(r.reason.find("no syncrepl cookie"), std::string::npos) << r.reason;
}

TEST_F(SourceReaderTest, SyncreplNeedsEntryUuidAnchors) {
    auto q = query();
    q.anchor_attribute = "mail";
    auto r = run(read_full(reader(), q, incremental_method::syncrepl, {}));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::settings);
}

TEST_F(SourceReaderTest, UsnTrackingNeedsActiveDirectory) {
    auto r = run(read_full(reader(), query(), incremental_method::usn, {}));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::protocol);
    EXPECT_NE(r.error().message.find("highestCommittedUSN"), std::string::npos) << r.error().message;
}

TEST_F(SourceReaderTest, AConnectionLostMidReadIsAnErrorNotAShortRead) {
    collected got;
    auto handlers = got.handlers();
    std::size_t seen = 0;
    handlers.on_user = [&](entry&&, std::string) {
        if (++seen == 1) slapd_->kill();  // the next page request finds no server
    };
    auto r = run(read_full(reader(), query(), incremental_method::timestamp, handlers));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(is_connection_error(r.error())) << r.error().message;
    EXPECT_EQ(seen, 50u);  // one page
}

TEST_F(SourceReaderTest, AServerThatStopsAnsweringIsATimeout) {
    auto s = reader_settings();
    s.operation_timeout = std::chrono::milliseconds(500);
    connect_or_fail(make_client(std::move(s)));
    slapd_->suspend();
    auto r = run(read_full(*client_, query(), incremental_method::syncrepl, {}));
    slapd_->resume();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::timeout) << r.error().message;
}

/// 20 people under ou=Old whose modifyTimestamps are a minute apart in 2020, so that a read's high-water
/// mark is known.
class TimestampReaderTest : public SourceReaderBase {
  protected:
    static constexpr int old_people = 20;
    static constexpr const char* old_base = "ou=Old,dc=example,dc=com";

    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        std::string ldif =
            "dn: ou=Old,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Old\n"
            "modifyTimestamp: 20200101000000Z\ncreateTimestamp: 20200101000000Z\n\n";
        for (int i = 1; i <= old_people; ++i) {
            char stamp[32];
            std::snprintf(stamp, sizeof stamp, "202001010%03d00Z", i - 1);  // 00:00:00 .. 00:19:00
            ldif += "dn: " + person_dn(i, old_base) + "\nobjectClass: inetOrgPerson\nuid: person" +
                    std::to_string(i) + "\ncn: Old " + std::to_string(i) +
                    "\nsn: Old\nmodifyTimestamp: " + stamp + "\ncreateTimestamp: 20200101000000Z\n\n";
        }
        o.extra_ldif = ldif;
        return o;
    }

    static source_query query() {
        source_query q;
        q.flavour = directory_flavour::generic;
        q.users.base = old_base;
        q.users.filter = "(objectClass=inetOrgPerson)";
        q.users.attributes = {"uid"};
        return q;
    }
};

TEST_F(TimestampReaderTest, AModifyIsSeenAndTheMarkMovesOn) {
    collected all;
    auto base = full(query(), incremental_method::timestamp, all);
    ASSERT_EQ(all.users.size(), static_cast<std::size_t>(old_people));
    ASSERT_TRUE(base.state.since);
    // The latest timestamp seen (00:19:00) less the read's duration and a second.
    EXPECT_LT(*base.state.since, "20200101001900Z");
    EXPECT_GT(*base.state.since, "20200101001800Z");

    const std::vector<modification> change{{modification::operation::replace, "sn", {"Changed"}}};
    write_ok(admin().modify(person_dn(5, old_base), change));

    collected delta;
    auto r = incremental(query(), base.state, delta);
    EXPECT_FALSE(r.full_read_required) << r.reason;
    // The modified person, and the one at the old high-water mark (re-read: the filter is >=).
    EXPECT_EQ(delta.user_dns(), (std::set<std::string>{person_dn(5, old_base), person_dn(20, old_base)}));
    ASSERT_TRUE(r.state.since);
    EXPECT_GT(*r.state.since, *base.state.since);
    EXPECT_TRUE(r.deleted_anchors.empty());
    EXPECT_FALSE(r.present_users);

    collected next;
    auto again = incremental(query(), r.state, next);
    EXPECT_EQ(next.user_dns(), std::set<std::string>{person_dn(5, old_base)});
}

TEST_F(TimestampReaderTest, NoMarkMeansAFullReadFirst) {
    incremental_state none;
    none.method = incremental_method::timestamp;
    collected got;
    auto r = incremental(query(), none, got);
    EXPECT_TRUE(r.full_read_required);
    EXPECT_TRUE(got.users.empty());
}

/// Active Directory's attributes taught to slapd: objectGUID anchors, uSNChanged on entries, a RootDSE
/// with dnsHostName, highestCommittedUSN 100 and dsServiceName naming an entry with an invocationId.
class UsnReaderTest : public SourceReaderBase {
  protected:
    static constexpr const char* ad_base = "ou=AD,dc=example,dc=com";
    static constexpr const char* ntds = "cn=NTDS Settings,ou=AD,dc=example,dc=com";

    static std::string guid_bytes(int i) {
        std::string g(16, '\0');
        for (int k = 0; k < 16; ++k) g[static_cast<std::size_t>(k)] = static_cast<char>(i * 16 + k);
        return g;
    }

    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.extra_schema =
            "attributetype ( 1.2.840.113556.1.2.120 NAME 'uSNChanged' EQUALITY integerMatch "
            "ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
            "attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID' EQUALITY octetStringMatch "
            "SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )\n"
            "attributetype ( 1.2.840.113556.1.4.619 NAME 'dNSHostName' EQUALITY caseIgnoreMatch "
            "SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )\n"
            "attributetype ( 1.2.840.113556.1.2.115 NAME 'invocationId' EQUALITY octetStringMatch "
            "SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )\n"
            "attributetype ( 2.25.251187612337911412960434011627352766661 NAME 'highestCommittedUSN' "
            "EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
            "attributetype ( 2.25.251187612337911412960434011627352766662 NAME 'dsServiceName' "
            "EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )\n";
        o.root_dse_ldif =
            std::string("dn:\ndNSHostName: DC1.example.com\nhighestCommittedUSN: 100\ndsServiceName: ") +
            ntds + "\n";
        std::string ldif = std::string("dn: ") + ad_base + "\nobjectClass: organizationalUnit\nou: AD\n\n" +
                           "dn: " + ntds + "\nobjectClass: device\nobjectClass: extensibleObject\n" +
                           "cn: NTDS Settings\ninvocationId:: " + base64(guid_bytes(9)) + "\n\n";
        for (int i = 1; i <= 5; ++i)
            ldif += "dn: " + person_dn(i, ad_base) +
                    "\nobjectClass: inetOrgPerson\nobjectClass: extensibleObject\nuid: ad" +
                    std::to_string(i) + "\ncn: AD " + std::to_string(i) +
                    "\nsn: AD\nobjectGUID:: " + base64(guid_bytes(i)) +
                    "\nuSNChanged: " + std::to_string(i * 10) + "\n\n";
        o.extra_ldif = ldif;
        return o;
    }

    static source_query query() {
        source_query q;
        q.flavour = directory_flavour::active_directory;
        q.users.base = ad_base;
        q.users.filter = "(objectClass=inetOrgPerson)";
        q.users.attributes = {"uid"};
        return q;
    }
};

TEST_F(UsnReaderTest, TheDomainControllersHighWaterMarkDrivesIncrementals) {
    collected all;
    auto base = full(query(), incremental_method::usn, all);
    ASSERT_EQ(all.users.size(), 5u);
    EXPECT_TRUE(all.users.count(*format_guid(guid_bytes(3))));  // objectGUID anchors in canonical form
    const std::map<std::string, dc_high_water> expected{
        {"dc1.example.com", dc_high_water{*format_guid(guid_bytes(9)), 100}}};
    EXPECT_EQ(base.state.domain_controllers, expected);

    const std::vector<modification> change{{modification::operation::replace, "uSNChanged", {"150"}},
                                           {modification::operation::replace, "mail", {"ad3@example.com"}}};
    write_ok(admin().modify(person_dn(3, ad_base), change));

    collected delta;
    auto r = incremental(query(), base.state, delta);
    EXPECT_FALSE(r.full_read_required) << r.reason;
    EXPECT_EQ(delta.user_dns(), std::set<std::string>{person_dn(3, ad_base)});
    EXPECT_EQ(r.state.domain_controllers, expected);  // this DC's highestCommittedUSN at the read's start

    // Another DC's mark says nothing about this one; a restored DC reuses USNs.
    incremental_state other = base.state;
    other.domain_controllers = {{"dc2.example.com", dc_high_water{"", 5000}}};
    collected none;
    auto r2 = incremental(query(), other, none);
    EXPECT_TRUE(r2.full_read_required);
    EXPECT_NE(r2.reason.find("dc1.example.com"), std::string::npos) << r2.reason;
    incremental_state restored = base.state;
    restored.domain_controllers["dc1.example.com"].invocation_id = *format_guid(guid_bytes(8));
    auto r3 = incremental(query(), restored, none);
    EXPECT_TRUE(r3.full_read_required);
    EXPECT_NE(r3.reason.find("invocationId"), std::string::npos) << r3.reason;
    EXPECT_TRUE(none.users.empty());
}

}  // namespace
}  // namespace dirsync::ldap::test
