#include "common/work_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace dirsync::common {
namespace {

using namespace std::chrono_literals;

/// A latch the test opens by hand, so tasks can be held running.
class gate {
  public:
    void open() {
        std::lock_guard lock(m_);
        open_ = true;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return open_; });
    }

  private:
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
};

TEST(WorkPoolTest, RunReturnsTheResultAndRethrows) {
    work_pool pool({.threads = 2, .lane_share = 1, .name = "t"});
    EXPECT_EQ(pool.run("a", [] { return 42; }), 42);
    EXPECT_THROW(pool.run("a", []() -> int { throw std::runtime_error("x"); }), std::runtime_error);
    pool.run("b", [] {});  // void results work too
}

TEST(WorkPoolTest, ALaneNeverRunsMoreThanItsShare) {
    work_pool pool({.threads = 4, .lane_share = 2, .name = "t"});
    std::atomic<int> running{0}, most{0};
    std::vector<std::future<void>> done;
    for (int i = 0; i < 20; ++i) {
        auto task = std::make_shared<std::packaged_task<void()>>([&] {
            const int now = ++running;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(2ms);
            --running;
        });
        done.push_back(task->get_future());
        pool.submit("tenant-a", [task] { (*task)(); });
    }
    for (auto& d : done) d.get();
    EXPECT_EQ(most.load(), 2);
}

TEST(WorkPoolTest, AnotherLaneGoesAheadOfALongQueue) {
    work_pool pool({.threads = 2, .lane_share = 1, .name = "t"});
    gate hold;
    std::mutex m;
    std::vector<std::string> order;
    for (int i = 0; i < 5; ++i)
        pool.submit("a", [&, i] {
            if (i == 0) hold.wait();
            std::lock_guard lock(m);
            order.push_back("a" + std::to_string(i));
        });
    // Lane a holds its one running slot; b's task takes the other thread at once.
    EXPECT_EQ(pool.run("b", [] { return 1; }), 1);
    {
        std::lock_guard lock(m);
        EXPECT_TRUE(order.empty());  // a's queue waited behind a0 instead of taking the second thread
    }
    hold.open();
    pool.run("c", [] {});
    while (pool.queued() != 0) std::this_thread::sleep_for(1ms);
}

TEST(WorkPoolTest, LanesTakeTurns) {
    gate hold;
    std::mutex m;
    std::vector<std::string> order;
    {
        work_pool pool({.threads = 1, .lane_share = 1, .name = "t"});
        pool.submit("x", [&] { hold.wait(); });  // the only thread is busy while the queues fill
        auto record = [&](std::string what) {
            return [&, what] {
                std::lock_guard lock(m);
                order.push_back(what);
            };
        };
        for (int i = 0; i < 3; ++i) pool.submit("a", record("a"));
        pool.submit("b", record("b"));
        pool.submit("c", record("c"));
        hold.open();
    }  // the destructor runs what was queued
    std::lock_guard lock(m);
    EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "a", "a"}));
}

TEST(WorkPoolTest, DestructionRunsWhatWasQueued) {
    std::atomic<int> ran{0};
    {
        work_pool pool({.threads = 1, .lane_share = 1, .name = "t"});
        for (int i = 0; i < 50; ++i) pool.submit(std::to_string(i % 3), [&] { ++ran; });
    }
    EXPECT_EQ(ran.load(), 50);
}

TEST(WorkPoolTest, AThrowingTaskDoesNotStopThePool) {
    work_pool pool({.threads = 1, .lane_share = 1, .name = "t"});
    pool.submit("a", [] { throw std::runtime_error("boom"); });
    EXPECT_EQ(pool.run("a", [] { return 7; }), 7);
}

// A task waiting in a blocking_scope lends its lane's place and, with every thread busy, a thread: the lane's
// next task runs meanwhile, as a write joins a group commit another write of its tenant waits for.
TEST(WorkPoolTest, ABlockingScopeLendsItsPlaceAndAThread) {
    work_pool pool({.threads = 1, .lane_share = 1, .name = "t"});
    gate released;
    std::atomic<bool> waiting{false};
    auto blocked = std::async(std::launch::async, [&] {
        pool.run("a", [&] {
            const work_pool::blocking_scope lent;
            waiting = true;
            released.wait();
        });
    });
    while (!waiting) std::this_thread::sleep_for(1ms);
    // Same lane, share 1, one thread: runs only because the first task lent both.
    EXPECT_EQ(pool.run("a", [] { return 5; }), 5);
    EXPECT_EQ(pool.threads(), 2u);
    released.open();
    blocked.get();
    // Once the scope ended the task counted against its lane again, and the added thread stays for reuse.
    EXPECT_EQ(pool.run("a", [] { return 6; }), 6);
    EXPECT_EQ(pool.threads(), 2u);
}

TEST(WorkPoolTest, ALaneOverItsShareAfterAScopeStartsNothingUntilBackUnder) {
    work_pool pool({.threads = 2, .lane_share = 1, .name = "t"});
    gate first_released, second_released;
    std::atomic<int> running{0}, most_after{0};
    std::atomic<bool> first_waiting{false}, second_started{false};
    auto first = std::async(std::launch::async, [&] {
        pool.run("a", [&] {
            {
                const work_pool::blocking_scope lent;
                first_waiting = true;
                first_released.wait();
            }
            ++running;  // back from the scope while the second task still runs: two of lane "a" at once
            std::this_thread::sleep_for(20ms);
            --running;
        });
    });
    while (!first_waiting) std::this_thread::sleep_for(1ms);
    auto second = std::async(std::launch::async, [&] {
        pool.run("a", [&] {
            second_started = true;
            ++running;
            second_released.wait();
            --running;
        });
    });
    while (!second_started) std::this_thread::sleep_for(1ms);
    first_released.open();
    std::this_thread::sleep_for(5ms);
    // A third task of the lane waits: the lane runs two, over its share of one.
    std::atomic<bool> third_ran{false};
    pool.submit("a", [&] {
        most_after = running.load();
        third_ran = true;
    });
    std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(third_ran.load());
    second_released.open();
    first.get();
    second.get();
    while (!third_ran) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(most_after.load(), 0);
}

TEST(WorkPoolTest, ABlockingScopeOutsideAPoolDoesNothing) {
    const work_pool::blocking_scope lent;  // a sync run's thread, a test's: no pool, nothing to lend
    work_pool pool({.threads = 1, .lane_share = 1, .name = "t"});
    EXPECT_EQ(pool.run("a",
                       [] {
                           const work_pool::blocking_scope outer;
                           const work_pool::blocking_scope inner;  // nested: only the outermost lends
                           return 1;
                       }),
              1);
    EXPECT_EQ(pool.run("a", [] { return 2; }), 2);
}

}  // namespace
}  // namespace dirsync::common
