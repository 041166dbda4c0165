#include "ldap/backoff.hpp"

#include <gtest/gtest.h>

namespace dirsync::ldap {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, WithoutJitterDoublesUpToTheMaximum) {
    backoff b({.initial = milliseconds(100), .max = milliseconds(1000), .multiplier = 2.0, .jitter = 0.0}, 1);
    const milliseconds expected[] = {milliseconds(100), milliseconds(200),  milliseconds(400),
                                     milliseconds(800), milliseconds(1000), milliseconds(1000)};
    for (auto e : expected) EXPECT_EQ(b.next_delay(), e);
    EXPECT_EQ(b.failures(), 6u);
    b.reset();
    EXPECT_EQ(b.failures(), 0u);
    EXPECT_EQ(b.next_delay(), milliseconds(100));
}

TEST(Backoff, JitterOnlyShortensAndStaysWithinItsFraction) {
    backoff b({.initial = milliseconds(1000), .max = milliseconds(8000), .multiplier = 2.0, .jitter = 0.25},
              42);
    double base = 1000;
    bool some_shorter = false;
    for (int i = 0; i < 200; ++i) {
        const auto d = b.next_delay();
        EXPECT_LE(d.count(), static_cast<long long>(base)) << i;
        EXPECT_GE(d.count(), static_cast<long long>(base * 0.75) - 1) << i;
        if (d.count() < static_cast<long long>(base)) some_shorter = true;
        base = std::min(base * 2, 8000.0);
    }
    EXPECT_TRUE(some_shorter);
}

TEST(Backoff, SameSeedSameDelays) {
    const backoff_policy p{
        .initial = milliseconds(50), .max = milliseconds(5000), .multiplier = 3.0, .jitter = 0.5};
    backoff a(p, 7), b(p, 7);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next_delay(), b.next_delay());
}

TEST(Backoff, ManyFailuresNeitherOverflowNorExceedTheMaximum) {
    backoff b({.initial = milliseconds(1), .max = milliseconds(60'000), .multiplier = 10.0, .jitter = 0.0},
              1);
    for (int i = 0; i < 1000; ++i) EXPECT_LE(b.next_delay(), milliseconds(60'000));
    EXPECT_EQ(b.next_delay(), milliseconds(60'000));
}

TEST(Backoff, NonsensePoliciesAreMadeSane) {
    backoff b({.initial = milliseconds(500), .max = milliseconds(100), .multiplier = 0.5, .jitter = 7.0}, 3);
    for (int i = 0; i < 5; ++i) {
        const auto d = b.next_delay();
        EXPECT_GE(d.count(), 0);
        EXPECT_LE(d, milliseconds(500));
    }
}

}  // namespace
}  // namespace dirsync::ldap
