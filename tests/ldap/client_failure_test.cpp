#include <chrono>
#include <optional>

#include "client_fixture.hpp"

namespace dirsync::ldap::test {
namespace {

using namespace std::chrono_literals;

/// 3,000 people read 250 at a time, so a search is still running after its first page.
class FailureTest : public ClientTest {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = 3000;
        return o;
    }

    client& connected_reader(std::chrono::milliseconds operation_timeout) {
        auto s = reader_settings();
        s.page_size = 250;
        s.operation_timeout = operation_timeout;
        auto& c = make_client(std::move(s));
        connect_or_fail(c);
        return c;
    }

    static search_request bulk_request() {
        return request("ou=Bulk,dc=example,dc=com", "(objectClass=inetOrgPerson)");
    }
};

TEST_F(FailureTest, ASuspendedServerTimesOutAndTheConnectionStaysUsable) {
    auto& c = connected_reader(700ms);
    auto cursor = c.search(bulk_request());
    auto first = run(cursor.next_page());
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->size(), 250u);

    slapd_->suspend();
    const auto start = std::chrono::steady_clock::now();
    auto second = run(cursor.next_page());
    const auto took = std::chrono::steady_clock::now() - start;
    slapd_->resume();

    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, error_kind::timeout) << second.error().message;
    EXPECT_EQ(second.error().code, -5);  // LDAP_TIMEOUT
    EXPECT_NE(second.error().message.find("timed out after 700 ms"), std::string::npos)
        << second.error().message;
    EXPECT_GE(took, 650ms);
    EXPECT_LT(took, 3s);
    EXPECT_FALSE(cursor.has_more());  // a paged search cannot resume after an abandoned page

    // The request was abandoned; the late answer to it is dropped and the connection serves new requests.
    EXPECT_TRUE(c.connected());
    auto again = c.search(bulk_request());
    std::size_t total = 0;
    while (again.has_more()) {
        auto page = run(again.next_page());
        ASSERT_TRUE(page.has_value()) << page.error().message;
        total += page->size();
    }
    EXPECT_EQ(total, 3000u);
}

TEST_F(FailureTest, AServerKilledBetweenPagesIsAnErrorNotAHang) {
    auto& c = connected_reader(5s);
    auto cursor = c.search(bulk_request());
    auto first = run(cursor.next_page());
    ASSERT_TRUE(first.has_value()) << first.error().message;

    slapd_->kill();
    const auto start = std::chrono::steady_clock::now();
    auto second = run(cursor.next_page());
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, error_kind::disconnected) << second.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_FALSE(c.connected());
    EXPECT_TRUE(is_connection_error(second.error()));

    auto who = run(c.who_am_i());
    ASSERT_FALSE(who.has_value());
    EXPECT_EQ(who.error().kind, error_kind::disconnected);
}

TEST_F(FailureTest, AServerKilledWhileAPageIsOutstandingFailsIt) {
    auto& c = connected_reader(10s);
    auto cursor = c.search(bulk_request());
    ASSERT_TRUE(run(cursor.next_page()).has_value());

    slapd_->suspend();  // the next request is sent but not answered
    std::optional<boost::system::result<std::vector<entry>, error>> outcome;
    asio::co_spawn(io_, cursor.next_page(),
                   [&](std::exception_ptr, boost::system::result<std::vector<entry>, error> r) {
                       outcome = std::move(r);
                   });
    run_for(200ms);
    ASSERT_FALSE(outcome.has_value());
    slapd_->kill();
    const auto start = std::chrono::steady_clock::now();
    while (!outcome && std::chrono::steady_clock::now() - start < 5s) run_for(20ms);
    ASSERT_TRUE(outcome.has_value()) << "the page did not fail after the server was killed";
    ASSERT_FALSE(outcome->has_value());
    EXPECT_EQ(outcome->error().kind, error_kind::disconnected) << outcome->error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(FailureTest, AnIdleConnectionNoticesTheServerGoing) {
    auto& c = connected_reader(5s);
    EXPECT_TRUE(c.connected());
    slapd_->kill();
    const auto start = std::chrono::steady_clock::now();
    while (c.connected() && std::chrono::steady_clock::now() - start < 5s) run_for(20ms);
    EXPECT_FALSE(c.connected());
}

TEST_F(FailureTest, ConnectingToASuspendedServerTimesOut) {
    auto s = reader_settings();
    s.connect_timeout = 600ms;
    s.operation_timeout = 2s;
    auto& c = make_client(std::move(s));
    slapd_->suspend();  // the kernel still completes the TCP handshake; the bind is never answered
    const auto start = std::chrono::steady_clock::now();
    auto r = run(c.connect());
    const auto took = std::chrono::steady_clock::now() - start;
    slapd_->resume();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::timeout) << r.error().message;
    EXPECT_GE(took, 550ms);
    EXPECT_LT(took, 1500ms);
    EXPECT_FALSE(c.connected());

    // The abandoned attempt finishes on the pool by itself; a new one succeeds.
    connect_or_fail(c);
}

TEST_F(FailureTest, DestroyingTheClientFailsItsOutstandingOperations) {
    auto& c = connected_reader(10s);
    auto cursor = c.search(bulk_request());
    slapd_->suspend();
    std::optional<boost::system::result<std::vector<entry>, error>> outcome;
    asio::co_spawn(io_, cursor.next_page(),
                   [&](std::exception_ptr, boost::system::result<std::vector<entry>, error> r) {
                       outcome = std::move(r);
                   });
    run_for(100ms);
    ASSERT_FALSE(outcome.has_value());
    client_.reset();
    run_for(200ms);
    slapd_->resume();
    ASSERT_TRUE(outcome.has_value());
    ASSERT_FALSE(outcome->has_value());
    EXPECT_EQ(outcome->error().kind, error_kind::disconnected) << outcome->error().message;
}

}  // namespace
}  // namespace dirsync::ldap::test
