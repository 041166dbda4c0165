#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace dirsync::ldap {

/// How long to wait between reconnect attempts: exponential from `initial` up to `max`, each delay shortened
/// by a random fraction of up to `jitter` so that many clients cut off together do not return together.
struct backoff_policy {
    std::chrono::milliseconds initial{1'000};
    std::chrono::milliseconds max{60'000};
    double multiplier = 2.0;  ///< >= 1
    double jitter = 0.2;      ///< 0..1: a delay lies in [base * (1 - jitter), base]
};

/// The reconnect delays of one client, for whoever decides to reconnect (the sync scheduler): call
/// `next_delay()` after each failed attempt and `reset()` after a success. Not thread-safe.
class backoff {
  public:
    /// Seeds the jitter from std::random_device.
    explicit backoff(backoff_policy policy);
    /// Seeds the jitter with `seed` (tests).
    backoff(backoff_policy policy, std::uint64_t seed);

    /// The delay before the next attempt; the un-jittered base grows by `multiplier` per call up to `max`.
    std::chrono::milliseconds next_delay();
    /// Back to `initial`, after a successful connect.
    void reset() noexcept { failures_ = 0; }
    /// Calls of next_delay() since construction or reset() (counting stops at 64).
    unsigned failures() const noexcept { return failures_; }

  private:
    backoff_policy policy_;
    unsigned failures_ = 0;
    std::mt19937_64 random_;
};

}  // namespace dirsync::ldap
