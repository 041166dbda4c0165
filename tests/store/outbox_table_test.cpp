// The outbox's claims: a message claimed by one worker is not due for another until its lease runs out, on
// either engine (workers of several instances share a PostgreSQL store; `dirsyncd sync` shares a file).
#include "store/outbox_table.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::store {
namespace {

namespace outbox = outbox_table;

class OutboxTableTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    database db_{testing::test_store(dir_, "o.db")};

    void queue(int n, std::int64_t due_ms) {
        db_.write([&](connection& c) {
            for (int i = 0; i < n; ++i) {
                outbox::message_row m;
                m.tenant_id = "acme";
                m.event = "invitation.sent";
                m.channel = "email";
                m.recipient = "x" + std::to_string(i) + "@example.com";
                m.body = "hello";
                m.holds_code = true;
                m.idempotency_key = "key-" + std::to_string(due_ms) + "-" + std::to_string(i);
                m.next_attempt_ms = due_ms;
                m.created_ms = due_ms;
                outbox::insert(c, m);
            }
        });
    }

    std::vector<outbox::message_row> claim(std::int64_t now_ms, std::int64_t limit = 100) {
        return db_.write([&](connection& c) { return outbox::claim_due(c, now_ms, limit, 60'000); });
    }
};

TEST_F(OutboxTableTest, AClaimedMessageIsNotDueAgainUntilItsLeaseRanOut) {
    queue(3, 1000);
    auto first = claim(1000);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_LT(first[0].seq, first[1].seq);  // queue order
    EXPECT_TRUE(claim(1000).empty());
    EXPECT_TRUE(claim(60'999).empty());
    // The worker died without marking them: another one gets them once the lease ran out.
    EXPECT_EQ(claim(61'000).size(), 3u);
}

TEST_F(OutboxTableTest, AReleasedClaimIsDueAtOnceAndADeliveredMessageNeverAgain) {
    queue(2, 1000);
    auto claimed = claim(1000);
    ASSERT_EQ(claimed.size(), 2u);
    db_.write([&](connection& c) {
        outbox::mark_delivered(c, claimed[0].seq, 1, 1500);
        outbox::release_claim(c, claimed[1].seq, 1500);
    });
    auto again = claim(1500);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].seq, claimed[1].seq);
    auto delivered = db_.read([&](connection& c) { return outbox::find(c, claimed[0].seq); });
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->state, "delivered");
    EXPECT_EQ(delivered->body, "");  // it held a code: emptied once delivered
}

TEST_F(OutboxTableTest, ConcurrentClaimsShareNoMessage) {
    queue(200, 1000);
    std::mutex m;
    std::multiset<std::int64_t> seen;
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&] {
            for (int round = 0; round < 20; ++round)
                for (const auto& row : claim(1000, 7)) {
                    std::lock_guard lock(m);
                    seen.insert(row.seq);
                }
        });
    for (auto& w : workers) w.join();
    EXPECT_EQ(seen.size(), 200u);
    for (auto seq : seen) EXPECT_EQ(seen.count(seq), 1u) << seq;
}

}  // namespace
}  // namespace dirsync::store
