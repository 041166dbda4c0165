// The outbox worker against a real SMTP server (tests/support/smtp_sink.py) and a port nothing listens on:
// delivered, retried with backoff, failed after max_attempts or at once for a permanent refusal, and a
// code-holding body emptied once delivered.
#include "daemon/outbox_worker.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "common/clock.hpp"
#include "common/uuid.hpp"
#include "store/database.hpp"
#include "store/outbox_table.hpp"
#include "tests/support/smtp_sink.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::daemon {
namespace {

namespace outbox = store::outbox_table;

class OutboxWorkerTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "o.db")};
    testing::smtp_sink sink_{{"--reject", "gone@example.org=550 5.1.1 no such user"}};

    config::notification_settings settings(std::string url) const {
        config::notification_settings s;
        s.email = config::smtp_notification_settings{};
        s.email->url = std::move(url);
        s.email->starttls = config::smtp_notification_settings::starttls_mode::none;
        s.email->from = "bot@example.com";
        s.email->timeout = std::chrono::seconds(3);
        s.max_attempts = 3;
        s.retry_initial = std::chrono::milliseconds(1);
        s.retry_max = std::chrono::milliseconds(4);
        return s;
    }

    std::int64_t queue(const std::string& to, bool holds_code = false) {
        outbox::message_row m;
        m.tenant_id = "acme";
        m.event = "invitation.sent";
        m.channel = "email";
        m.recipient = to;
        m.subject = "Join";
        m.body = "code dsi_123";
        m.holds_code = holds_code;
        m.idempotency_key = common::random_uuid();
        m.created_ms = m.next_attempt_ms = common::to_epoch_ms(common::now());
        db_.write([&](store::connection& c) { outbox::insert(c, m); });
        return db_.read([](store::connection& c) { return outbox::list(c, "", "", 0, 1)[0].seq; });
    }

    outbox::message_row row(std::int64_t seq) {
        return *db_.read([&](store::connection& c) { return outbox::find(c, seq); });
    }
};

TEST_F(OutboxWorkerTest, DeliversAndEmptiesACodeHoldingBody) {
    outbox_worker worker(db_, settings(sink_.url()));
    const auto seq = queue("ann@example.org", true);
    EXPECT_EQ(worker.deliver_due(), 1u);
    const auto m = row(seq);
    EXPECT_EQ(m.state, "delivered");
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.body, "");
    ASSERT_EQ(sink_.messages().size(), 1u);
    EXPECT_EQ(sink_.messages()[0]["body"].get<std::string>().find("dsi_123") != std::string::npos, true);
    EXPECT_EQ(worker.deliver_due(), 0u);  // nothing is sent twice
}

TEST_F(OutboxWorkerTest, RetriesWithBackoffThenFailsAfterMaxAttempts) {
    const auto port = sink_.port();
    sink_.stop();
    outbox_worker worker(db_, settings("smtp://127.0.0.1:" + std::to_string(port)));
    const auto seq = queue("bob@example.org");
    for (int attempt = 1; attempt <= 3; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // past the backoff
        EXPECT_EQ(worker.deliver_due(), 1u) << attempt;
        const auto m = row(seq);
        EXPECT_EQ(m.attempts, attempt);
        EXPECT_TRUE(m.last_error && !m.last_error->empty());
        EXPECT_EQ(m.state, attempt < 3 ? "pending" : "failed");
    }
    EXPECT_EQ(row(seq).body, "code dsi_123");  // kept for a retry
    EXPECT_EQ(worker.backoff(1), std::chrono::milliseconds(1));
    EXPECT_EQ(worker.backoff(2), std::chrono::milliseconds(2));
    EXPECT_EQ(worker.backoff(10), std::chrono::milliseconds(4));
}

TEST_F(OutboxWorkerTest, APermanentRefusalFailsAtOnce) {
    outbox_worker worker(db_, settings(sink_.url()));
    const auto seq = queue("gone@example.org");
    EXPECT_EQ(worker.deliver_due(), 1u);
    const auto m = row(seq);
    EXPECT_EQ(m.state, "failed");
    EXPECT_EQ(m.attempts, 1);
    EXPECT_NE(m.last_error->find("550"), std::string::npos) << *m.last_error;
}

}  // namespace
}  // namespace dirsync::daemon
