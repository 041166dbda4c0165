#include <set>
#include <string>
#include <vector>

#include "client_fixture.hpp"

namespace dirsync::ldap::test {
namespace {

constexpr std::size_t bulk = 3000;

/// 3,000 people; the reader may read 1,000 per search, the rootdn any number.
class BatchedSearchTest : public ClientTest {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = bulk;
        o.size_limit = 1000;
        return o;
    }

    client& connect_as_admin() {
        auto s = reader_settings();
        s.bind_dn = testing::slapd_server::admin_dn;
        s.bind_password = secret(testing::slapd_server::admin_password);
        auto& c = make_client(std::move(s));
        connect_or_fail(c);
        return c;
    }

    static search_request batched(std::uint32_t batch) {
        search_request r;
        r.base = "ou=Bulk,dc=example,dc=com";
        r.filter = "(objectClass=inetOrgPerson)";
        r.attributes = {"uid"};
        r.page_size = 0;
        r.batch_size = batch;
        return r;
    }
};

TEST_F(BatchedSearchTest, AnUnpagedSearchComesInBoundedBatches) {
    auto& c = connect_as_admin();
    auto cursor = c.search(batched(100));
    std::set<std::string> dns;
    std::size_t batches = 0;
    while (cursor.has_more()) {
        auto r = run(cursor.next_results());
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_LE(r->entries.size(), 100u);
        EXPECT_TRUE(r->intermediates.empty());
        if (cursor.has_more()) {
            EXPECT_TRUE(r->result_controls.empty());
        }
        for (const auto& e : r->entries) EXPECT_TRUE(dns.insert(e.dn).second) << e.dn;
        ++batches;
        ASSERT_LT(batches, 100u);
    }
    EXPECT_EQ(dns.size(), bulk);
    EXPECT_GE(batches, bulk / 100);
    EXPECT_EQ(cursor.entries_returned(), bulk);
}

TEST_F(BatchedSearchTest, TheSizeLimitEndsABatchedSearchWithAnError) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    auto cursor = c.search(batched(300));
    std::size_t seen = 0;
    std::optional<error> failure;
    while (cursor.has_more()) {
        auto page = run(cursor.next_page());
        if (!page) {
            failure = page.error();
            break;
        }
        seen += page->size();
    }
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->code, 4);  // sizeLimitExceeded: never a short result that looks complete
    EXPECT_EQ(seen, 900u);        // three whole batches; the one with the error is dropped
    EXPECT_FALSE(cursor.has_more());
}

TEST_F(BatchedSearchTest, DroppingABatchedCursorAbandonsItsSearch) {
    auto& c = connect_as_admin();
    {
        auto cursor = c.search(batched(10));
        auto first = run(cursor.next_page());
        ASSERT_TRUE(first.has_value()) << first.error().message;
        EXPECT_EQ(first->size(), 10u);
        run_for(std::chrono::milliseconds(300));  // the next batch arrives: the reader stops reading
    }  // destroyed here, off the strand, with thousands of entries unread
    // The connection reads again: other operations go through.
    auto who = run(c.who_am_i());
    ASSERT_TRUE(who.has_value()) << who.error().message;
    EXPECT_EQ(*who, std::string("dn:") + testing::slapd_server::admin_dn);
    auto again = c.search(batched(5000));
    auto all = run(again.next_page());
    ASSERT_TRUE(all.has_value()) << all.error().message;
    EXPECT_EQ(all->size(), bulk);
    EXPECT_FALSE(again.has_more());
}

TEST_F(BatchedSearchTest, RequestControlsAreSent) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    // An unknown critical control must make the server refuse the search.
    auto r = request("ou=Bulk,dc=example,dc=com", "(uid=person00001)", {"uid"});
    r.controls.push_back(control{"1.3.6.1.4.1.99999.1", std::nullopt, true});
    auto refused = c.search(r);
    auto page = run(refused.next_results());
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().code, 12) << page.error().message;  // unavailableCriticalExtension
    // Not critical: ignored.
    r.controls.front().critical = false;
    auto ignored = c.search(r);
    auto found = run(ignored.next_results());
    ASSERT_TRUE(found.has_value()) << found.error().message;
    ASSERT_EQ(found->entries.size(), 1u);
    EXPECT_TRUE(found->entries.front().controls.empty());
    EXPECT_TRUE(found->result_controls.empty());  // the paged-results response control is the cursor's
}

}  // namespace
}  // namespace dirsync::ldap::test
