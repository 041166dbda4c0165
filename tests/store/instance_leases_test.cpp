// Named leases among the instances sharing a store: one holder at a time, on either engine.
#include "store/instance_leases.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/instance.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::store {
namespace {

using namespace std::chrono_literals;

class InstanceLeasesTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    database db_{testing::test_store(dir_, "leases.db")};
    // Two instances on other hosts: only expiry frees their leases.
    instance_leases first_{db_, "host-a:100"};
    instance_leases second_{db_, "host-b:200"};
    const common::timestamp t0 = common::from_epoch_ms(1'800'000'000'000);
};

TEST_F(InstanceLeasesTest, OneHolderAtATimeUntilItsLeaseExpires) {
    EXPECT_EQ(first_.take("watch/hr", 30s, t0), std::nullopt);
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 1s), "host-a:100");
    EXPECT_EQ(second_.holder_of("watch/hr", t0 + 29s), "host-a:100");
    // Another name is free.
    EXPECT_EQ(second_.take("watch/sales", 30s, t0), std::nullopt);
    // Expired and not renewed: the other takes it, and the first can no longer renew it.
    EXPECT_EQ(second_.holder_of("watch/hr", t0 + 30s), std::nullopt);
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 30s), std::nullopt);
    EXPECT_FALSE(first_.renew("watch/hr", 30s, t0 + 31s));
    EXPECT_EQ(first_.holder_of("watch/hr", t0 + 31s), "host-b:200");
}

TEST_F(InstanceLeasesTest, RenewingKeepsItAndTakingAgainExtendsIt) {
    ASSERT_EQ(first_.take("watch/hr", 30s, t0), std::nullopt);
    EXPECT_TRUE(first_.renew("watch/hr", 30s, t0 + 20s));
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 45s), "host-a:100");
    EXPECT_EQ(first_.take("watch/hr", 30s, t0 + 45s), std::nullopt);  // its own: extended
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 74s), "host-a:100");
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 75s), std::nullopt);
}

TEST_F(InstanceLeasesTest, AReleasedLeaseIsFreeAtOnceAndOnlyItsHolderReleasesIt) {
    ASSERT_EQ(first_.take("watch/hr", 30s, t0), std::nullopt);
    second_.release("watch/hr");  // not its own: nothing happens
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 1s), "host-a:100");
    first_.release("watch/hr");
    EXPECT_EQ(second_.holder_of("watch/hr", t0 + 1s), std::nullopt);
    EXPECT_EQ(second_.take("watch/hr", 30s, t0 + 1s), std::nullopt);
    EXPECT_FALSE(first_.renew("watch/hr", 30s, t0 + 2s));
}

TEST_F(InstanceLeasesTest, ALeaseOfAProcessOfThisHostThatEndedIsFreeAtOnce) {
    // A process that has ended: a child that exited and was reaped.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(0);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);
    const std::string here = common::instance_name();
    const std::string ended = here.substr(0, here.rfind(':') + 1) + std::to_string(child);
    instance_leases dead(db_, ended);
    ASSERT_EQ(dead.take("watch/hr", 30s, common::now()), std::nullopt);
    instance_leases alive(db_);
    EXPECT_EQ(alive.holder_of("watch/hr"), std::nullopt);
    EXPECT_EQ(alive.take("watch/hr", 30s), std::nullopt);
    EXPECT_EQ(first_.take("watch/hr", 30s, common::now()), here);  // a live process of this host holds it
}

TEST_F(InstanceLeasesTest, ConcurrentTakersGetItOnce) {
    for (int round = 0; round < 5; ++round) {
        const std::string name = "watch/contested-" + std::to_string(round);
        std::atomic<int> taken{0};
        std::vector<std::thread> takers;
        std::vector<std::unique_ptr<instance_leases>> instances;
        for (int i = 0; i < 6; ++i)
            instances.push_back(std::make_unique<instance_leases>(db_, "host-" + std::to_string(i) + ":1"));
        for (auto& instance : instances)
            takers.emplace_back([&, leases = instance.get()] {
                if (!leases->take(name, 30s, t0)) ++taken;
            });
        for (auto& t : takers) t.join();
        EXPECT_EQ(taken, 1) << name;
    }
}

}  // namespace
}  // namespace dirsync::store
