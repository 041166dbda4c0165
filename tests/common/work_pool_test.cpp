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

}  // namespace
}  // namespace dirsync::common
