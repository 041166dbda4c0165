#include <boost/asio/experimental/awaitable_operators.hpp>
#include <set>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "ldap/filter_escape.hpp"
#include "ldap/guid.hpp"
#include "ldap/range.hpp"

namespace dirsync::ldap::test {
namespace {

constexpr std::size_t bulk = 3000;

/// 3,000 people and a group of all of them, with the server's size limit at 1,000.
class PagedSearchTest : public ClientTest {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = bulk;
        o.big_group_members = bulk;
        o.size_limit = 1000;
        return o;
    }

    client& connected_reader(std::uint32_t page_size) {
        auto s = reader_settings();
        s.page_size = page_size;
        auto& c = make_client(std::move(s));
        connect_or_fail(c);
        return c;
    }
};

TEST_F(PagedSearchTest, ReturnsEveryEntryExactlyOncePageByPage) {
    auto& c = connected_reader(250);
    auto cursor =
        c.search(request("ou=Bulk,dc=example,dc=com", "(objectClass=inetOrgPerson)", {"uid", "entryUUID"}));
    std::set<std::string> dns;
    std::size_t pages = 0;
    while (cursor.has_more()) {
        auto page = run(cursor.next_page());
        ASSERT_TRUE(page.has_value()) << page.error().message;
        EXPECT_LE(page->size(), 250u);
        ++pages;
        for (const auto& e : *page) {
            EXPECT_TRUE(dns.insert(e.dn).second) << "returned twice: " << e.dn;
            EXPECT_EQ(e.attributes.size(), 2u) << e.dn;
            EXPECT_FALSE(e.first("uid").empty()) << e.dn;
            EXPECT_TRUE(format_uuid(e.first("entryUUID"))) << e.dn << ": " << e.first("entryUUID");
        }
        ASSERT_LT(pages, 100u);
    }
    EXPECT_EQ(dns.size(), bulk);
    EXPECT_EQ(cursor.entries_returned(), bulk);
    EXPECT_EQ(cursor.pages_returned(), pages);
    EXPECT_GE(pages, bulk / 250);
    EXPECT_TRUE(dns.contains("uid=person00001,ou=Bulk,dc=example,dc=com"));
    EXPECT_TRUE(dns.contains("uid=person03000,ou=Bulk,dc=example,dc=com"));

    // An exhausted cursor returns empty pages.
    auto after = run(cursor.next_page());
    ASSERT_TRUE(after.has_value());
    EXPECT_TRUE(after->empty());
}

TEST_F(PagedSearchTest, WithoutPagingTheSizeLimitStopsTheSearch) {
    auto& c = connected_reader(0);
    auto cursor = c.search(request("ou=Bulk,dc=example,dc=com", "(objectClass=inetOrgPerson)", {"uid"}));
    auto page = run(cursor.next_page());
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().kind, error_kind::search);
    EXPECT_EQ(page.error().code, 4);  // sizeLimitExceeded: a partial result is an error, never a short list
    EXPECT_NE(page.error().message.find("Size limit exceeded"), std::string::npos) << page.error().message;
    EXPECT_FALSE(cursor.has_more());
}

TEST_F(PagedSearchTest, APageSizeAboveTheServerLimitStillWorks) {
    auto& c = connected_reader(5000);
    auto cursor = c.search(request("ou=Bulk,dc=example,dc=com", "(uid=person0*)", {"uid"}));
    std::size_t total = 0;
    while (cursor.has_more()) {
        auto page = run(cursor.next_page());
        ASSERT_TRUE(page.has_value()) << page.error().message;
        total += page->size();
    }
    EXPECT_EQ(total, bulk);
}

TEST_F(PagedSearchTest, TheBigGroupArrivesWholeFromOpenLdap) {
    auto& c = connected_reader(250);
    auto group = run(c.read("cn=Big Group,ou=Groups,dc=example,dc=com", {"member"}));
    ASSERT_TRUE(group.has_value()) << group.error().message;
    ASSERT_TRUE(group->has_value());
    const auto* members = (*group)->find("member");
    ASSERT_NE(members, nullptr);
    EXPECT_EQ(members->size(), bulk);  // OpenLDAP has no MaxValRange: no "member;range=..." to complete
    EXPECT_FALSE(needs_range_retrieval(**group));
    EXPECT_EQ(members->front(), "uid=person00001,ou=Bulk,dc=example,dc=com");
}

// The connection reads through a read-ahead buffer of 64 KiB under TLS (ldap/detail/open.cpp): pages of
// many small messages, and one message (the group's 3,000 members) larger than the buffer, arrive whole
// through StartTLS (TLS added above the buffer after it) and ldaps (TLS there from the start).
TEST_F(PagedSearchTest, EveryEntryAndTheBigGroupArriveWholeOverTls) {
    for (const bool ldaps : {false, true}) {
        SCOPED_TRACE(ldaps ? "ldaps" : "StartTLS");
        auto s = reader_settings();
        s.page_size = 1000;
        s.ca_file = slapd_->ca_file();
        if (ldaps)
            s.url = slapd_->ldaps_url();
        else
            s.start_tls = true;
        auto& c = make_client(std::move(s));
        connect_or_fail(c);
        auto cursor = c.search(
            request("ou=Bulk,dc=example,dc=com", "(objectClass=inetOrgPerson)", {"uid", "entryUUID"}));
        std::set<std::string> uids;
        while (cursor.has_more()) {
            auto page = run(cursor.next_page());
            ASSERT_TRUE(page.has_value()) << page.error().message;
            for (const auto& e : *page) uids.insert(std::string(e.first("uid")));
        }
        EXPECT_EQ(uids.size(), bulk);
        EXPECT_TRUE(uids.contains("person03000"));
        auto group = run(c.read("cn=Big Group,ou=Groups,dc=example,dc=com", {"member"}));
        ASSERT_TRUE(group.has_value()) << group.error().message;
        ASSERT_TRUE(group->has_value());
        const auto* members = (*group)->find("member");
        ASSERT_NE(members, nullptr);
        EXPECT_EQ(members->size(), bulk);
        EXPECT_EQ(members->back(), "uid=person03000,ou=Bulk,dc=example,dc=com");
    }
}

TEST_F(PagedSearchTest, TwoCursorsOneAfterTheOther) {
    auto& c = connected_reader(1000);
    for (int round = 0; round < 2; ++round) {
        auto cursor = c.search(request("ou=Bulk,dc=example,dc=com", "(objectClass=inetOrgPerson)", {"1.1"}));
        std::size_t total = 0;
        while (cursor.has_more()) {
            auto page = run(cursor.next_page());
            ASSERT_TRUE(page.has_value()) << page.error().message;
            total += page->size();
            for (const auto& e : *page) EXPECT_TRUE(e.attributes.empty());  // "1.1": no attributes
        }
        EXPECT_EQ(total, bulk) << "round " << round;
    }
}

TEST_F(ClientTest, ReadsTheOpenLdapTestData) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    auto cursor = c.search(request("ou=People,dc=example,dc=com", "(objectClass=OpenLDAPperson)"));
    std::vector<entry> people;
    while (cursor.has_more()) {
        auto page = run(cursor.next_page());
        ASSERT_TRUE(page.has_value()) << page.error().message;
        people.insert(people.end(), page->begin(), page->end());
    }
    EXPECT_EQ(people.size(), 10u);

    auto barbara =
        run(c.read("cn=Barbara Jensen,ou=Information Technology Division,ou=People,dc=example,dc=com"));
    ASSERT_TRUE(barbara.has_value()) << barbara.error().message;
    ASSERT_TRUE(barbara->has_value());
    const entry& e = **barbara;
    EXPECT_EQ(e.first("sn"), " Jensen ");  // base64 in the LDIF, spaces kept
    ASSERT_NE(e.find("cn"), nullptr);
    EXPECT_EQ(*e.find("cn"), (std::vector<std::string>{"Barbara Jensen", "Babs Jensen"}));
    EXPECT_EQ(e.find("userPassword"), nullptr);  // not readable by the reader (ACL)

    auto staff = run(c.read("cn=All Staff,ou=Groups,dc=example,dc=com", {"member"}));
    ASSERT_TRUE(staff.has_value()) << staff.error().message;
    ASSERT_TRUE(staff->has_value());
    EXPECT_EQ((*staff)->find("member")->size(), 11u);
}

TEST_F(ClientTest, EscapedValuesMatchLiterallyAndBinaryValuesArriveByteForByte) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    const std::string description(testing::slapd_server::special_description);
    auto cursor = c.search(request(testing::slapd_server::base_dn,
                                   "(description=" + escape_filter_value(description) + ")",
                                   {"description", "jpegPhoto"}));
    auto page = run(cursor.next_page());
    ASSERT_TRUE(page.has_value()) << page.error().message;
    ASSERT_EQ(page->size(), 1u);
    const entry& e = page->front();
    EXPECT_EQ(e.dn, testing::slapd_server::special_dn);
    EXPECT_EQ(e.first("description"), description);
    EXPECT_EQ(e.first("jpegPhoto"), testing::slapd_server::special_photo());
    EXPECT_EQ(e.first("jpegPhoto").size(), 8u);

    // The same value unescaped is a different filter: a substring match or a syntax error, never this entry.
    auto injected =
        c.search(request(testing::slapd_server::base_dn, "(cn=" + escape_filter_value("*") + ")"));
    auto none = run(injected.next_page());
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_TRUE(none->empty());
}

TEST_F(ClientTest, AMissingBaseIsNoSuchObject) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    auto cursor = c.search(request("ou=Nowhere,dc=example,dc=com"));
    auto page = run(cursor.next_page());
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().kind, error_kind::search);
    EXPECT_EQ(page.error().code, 32);
    EXPECT_NE(page.error().message.find("ou=Nowhere,dc=example,dc=com"), std::string::npos);

    auto missing = run(c.read("cn=Nobody,ou=People,dc=example,dc=com"));
    ASSERT_TRUE(missing.has_value()) << missing.error().message;
    EXPECT_FALSE(missing->has_value());
}

TEST_F(ClientTest, ABadFilterIsASettingsErrorAndTheConnectionLivesOn) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    auto cursor = c.search(request(testing::slapd_server::base_dn, "(cn=unbalanced"));
    auto page = run(cursor.next_page());
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().kind, error_kind::settings) << page.error().message;
    EXPECT_EQ(page.error().code, -7);  // LDAP_FILTER_ERROR
    EXPECT_TRUE(c.connected());
    auto who = run(c.who_am_i());
    EXPECT_TRUE(who.has_value());
}

TEST_F(ClientTest, ConcurrentOperationsOnOneConnection) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    // Three operations outstanding at once: the reader hands each its own messages.
    auto all_three = [&]() -> asio::awaitable<bool> {
        using namespace asio::experimental::awaitable_operators;
        auto people =
            c.search(request("ou=People,dc=example,dc=com", "(objectClass=OpenLDAPperson)", {"cn"}));
        // Named, not braced, arguments: GCC 12 miscompiles braced temporaries in a co_await expression.
        std::vector<std::string> member{"member"};
        auto [page, who, group] = co_await (people.next_page() && c.who_am_i() &&
                                            c.read("cn=All Staff,ou=Groups,dc=example,dc=com", member));
        co_return page && page->size() == 10 && who&&* who == "dn:cn=reader,ou=Services,dc=example,dc=com" &&
            group&&* group && (*group)->find("member")->size() == 11;
    };
    EXPECT_TRUE(run(all_three()));
}

}  // namespace
}  // namespace dirsync::ldap::test
