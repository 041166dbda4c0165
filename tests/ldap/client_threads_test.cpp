#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "client_fixture.hpp"

namespace dirsync::ldap::test {
namespace {

class ThreadsTest : public ClientTest {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = 1200;
        return o;
    }
};

/// A paged search, reads and Who am I? at once from coroutines on three I/O threads: every operation gets its
/// own answers, and the strand keeps libldap's handle to one thread at a time. (One paged search at a time:
/// OpenLDAP keeps one paging state per connection.)
TEST_F(ThreadsTest, ConcurrentOperationsFromSeveralThreads) {
    auto s = reader_settings();
    s.page_size = 100;
    auto& c = make_client(std::move(s));
    // Three I/O threads, stopped and joined however the test ends.
    struct io_threads {
        explicit io_threads(asio::io_context& context) : io(context), work(context.get_executor()) {}
        asio::io_context& io;
        asio::executor_work_guard<asio::io_context::executor_type> work;
        std::vector<std::jthread> threads;
        ~io_threads() {
            work.reset();
            io.stop();
            for (auto& t : threads) t.join();
        }
    } running(io_);
    for (int i = 0; i < 3; ++i) running.threads.emplace_back([this] { io_.run(); });

    auto connected = asio::co_spawn(io_, c.connect(), asio::use_future).get();
    ASSERT_TRUE(connected.has_value()) << connected.error().message;

    auto count_bulk = [&c]() -> asio::awaitable<std::size_t> {
        search_request r;
        r.base = "ou=Bulk,dc=example,dc=com";
        r.filter = "(objectClass=inetOrgPerson)";
        r.attributes = {"uid"};
        auto cursor = c.search(std::move(r));
        std::size_t total = 0;
        while (cursor.has_more()) {
            auto page = co_await cursor.next_page();
            if (!page) co_return 0;
            total += page->size();
        }
        co_return total;
    };
    auto who_many = [&c]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < 20; ++i) {
            auto who = co_await c.who_am_i();
            if (who && *who == "dn:cn=reader,ou=Services,dc=example,dc=com") ++ok;
        }
        co_return ok;
    };
    auto read_many = [&c]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 1; i <= 20; ++i) {
            char dn[64];
            std::snprintf(dn, sizeof dn, "uid=person%05d,ou=Bulk,dc=example,dc=com", i);
            std::vector<std::string> attributes{"uid"};
            auto e = co_await c.read(dn, attributes);
            if (e && *e && (*e)->dn == dn) ++ok;
        }
        co_return ok;
    };
    auto search = asio::co_spawn(io_, count_bulk(), asio::use_future);
    std::vector<std::future<int>> others;
    for (int i = 0; i < 3; ++i) {
        others.push_back(asio::co_spawn(io_, who_many(), asio::use_future));
        others.push_back(asio::co_spawn(io_, read_many(), asio::use_future));
    }
    EXPECT_EQ(search.get(), 1200u);
    for (auto& f : others) EXPECT_EQ(f.get(), 20);

    asio::co_spawn(io_, c.disconnect(), asio::use_future).get();
}

}  // namespace
}  // namespace dirsync::ldap::test
