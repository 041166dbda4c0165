// Group commit in store::database::write, on a real SQLite file: writes waiting at the same moment share one
// transaction and one COMMIT, and a write that fails rolls back alone.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/connection.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::store {
namespace {

using namespace std::chrono_literals;

std::int64_t count(database& db, const std::string& where) {
    return db.read([&](connection& c) {
        statement s(c, "SELECT count(*) FROM scratch WHERE " + where);
        s.step();
        return s.column_int(0);
    });
}

void insert(connection& c, const std::string& name) {
    statement s(c, "INSERT INTO scratch (name) VALUES (?1)");
    s.bind(1, name);
    s.step();
}

class GroupCommitTest : public ::testing::Test {
  protected:
    testing::temp_dir tmp_;
    database db_{testing::test_store(tmp_, "d.db")};
    std::atomic<int> commits_{0};

    void SetUp() override {
        db_.write([](connection& c) { c.exec("CREATE TABLE scratch (name TEXT PRIMARY KEY)"); });
        db_.set_commit_observer([this](const database::commit_stats&) { ++commits_; });
    }
};

TEST_F(GroupCommitTest, WritesThatWaitTogetherCommitTogetherAndAFailureFailsAlone) {
    std::atomic<int> asking{0};
    // The first write holds the writer until the others are queued behind it.
    std::thread first([&] {
        db_.write([&](connection& c) {
            insert(c, "first");
            while (asking.load() < 4) std::this_thread::sleep_for(1ms);
            std::this_thread::sleep_for(100ms);  // they call write() right after counting themselves
        });
    });
    std::this_thread::sleep_for(20ms);  // `first` leads a batch of its own
    std::vector<std::thread> others;
    std::atomic<bool> ok_done{false}, threw{false}, refused{false}, duplicate_failed{false};
    others.emplace_back([&] {
        ++asking;
        db_.write([](connection& c) { insert(c, "ok"); });
        ok_done = true;
    });
    others.emplace_back([&] {
        ++asking;
        try {
            db_.write([](connection& c) {
                insert(c, "thrown-away");
                throw std::runtime_error("the handler failed");
            });
        } catch (const std::runtime_error& e) {
            threw = std::string(e.what()) == "the handler failed";
        }
    });
    others.emplace_back([&] {
        ++asking;
        auto r = db_.write([](connection& c) -> boost::system::result<int> {
            insert(c, "refused");
            return boost::system::errc::make_error_code(boost::system::errc::permission_denied);
        });
        refused = r.has_error();
    });
    others.emplace_back([&] {
        ++asking;
        try {
            db_.write([](connection& c) { insert(c, "first"); });  // a constraint violation
        } catch (const database_error&) {
            duplicate_failed = true;
        }
    });
    first.join();
    for (auto& t : others) t.join();

    EXPECT_TRUE(ok_done);
    EXPECT_TRUE(threw);
    EXPECT_TRUE(refused);
    EXPECT_TRUE(duplicate_failed);
    EXPECT_EQ(count(db_, "name = 'first'"), 1);
    EXPECT_EQ(count(db_, "name = 'ok'"), 1);
    EXPECT_EQ(count(db_, "name IN ('thrown-away', 'refused')"), 0);
    // The four that waited shared one COMMIT (two in all, with the first's).
    EXPECT_EQ(commits_.load(), 2);
}

TEST_F(GroupCommitTest, ManyConcurrentWritersLoseNothing) {
    constexpr int threads = 8, each = 200;
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < each; ++i)
                db_.write([&](connection& c) { insert(c, std::to_string(t) + "-" + std::to_string(i)); });
        });
    for (auto& w : writers) w.join();
    EXPECT_EQ(count(db_, "TRUE"), threads * each);
    EXPECT_LE(commits_.load(), threads * each);
    std::printf("%d writes in %d commits\n", threads * each, commits_.load());
}

}  // namespace
}  // namespace dirsync::store
