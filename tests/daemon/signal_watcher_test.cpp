// Real signals sent to this process reach the watcher's callbacks, in the order the daemon relies on.
#include "daemon/signal_watcher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

namespace dirsync::daemon {
namespace {

using namespace std::chrono_literals;

bool wait_until(const std::atomic<int>& counter, int value) {
    for (auto deadline = std::chrono::steady_clock::now() + 2s; counter.load() < value;) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

TEST(SignalWatcher, FirstTermStopsLaterOnesStopNowHupReloads) {
    std::atomic<int> stops{0}, stops_now{0}, reloads{0};
    signal_watcher watcher({[&] { ++stops; }, [&] { ++stops_now; }, [&] { ++reloads; }});

    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(wait_until(reloads, 1));
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    ASSERT_TRUE(wait_until(stops, 1));
    ASSERT_EQ(::kill(::getpid(), SIGINT), 0);
    ASSERT_TRUE(wait_until(stops_now, 1));
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(wait_until(reloads, 2));

    EXPECT_EQ(stops, 1);
    EXPECT_EQ(stops_now, 1);
}

TEST(SignalWatcher, ThreadsStartedAfterItLeaveSignalsToIt) {
    std::atomic<int> stops{0};
    signal_watcher watcher({[&] { ++stops; }, {}, {}});
    std::atomic<bool> done{false};
    std::thread worker([&] {
        while (!done) std::this_thread::sleep_for(1ms);
    });
    for (int i = 0; i < 20; ++i) ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);  // would kill an unmasked thread
    ASSERT_TRUE(wait_until(stops, 1));
    done = true;
    worker.join();
}

TEST(SignalWatcher, ACallbackThatThrowsDoesNotEndTheWatcher) {
    std::atomic<int> reloads{0};
    signal_watcher watcher({{}, {}, [&] {
                                if (++reloads == 1) throw std::runtime_error("bad configuration");
                            }});
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(wait_until(reloads, 1));
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    EXPECT_TRUE(wait_until(reloads, 2));
}

TEST(SignalWatcher, DestroyedWithoutASignalReturnsPromptly) {
    const auto start = std::chrono::steady_clock::now();
    { signal_watcher watcher({}); }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

}  // namespace
}  // namespace dirsync::daemon
