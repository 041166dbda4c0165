#include "ldap/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace dirsync::ldap {

backoff::backoff(backoff_policy policy) : backoff(policy, std::random_device{}()) {}

backoff::backoff(backoff_policy policy, std::uint64_t seed) : policy_(policy), random_(seed) {
    policy_.initial = std::max(policy_.initial, std::chrono::milliseconds(0));
    policy_.max = std::max(policy_.max, policy_.initial);
    policy_.multiplier = std::max(policy_.multiplier, 1.0);
    policy_.jitter = std::clamp(policy_.jitter, 0.0, 1.0);
}

std::chrono::milliseconds backoff::next_delay() {
    const double initial = static_cast<double>(policy_.initial.count());
    const double max = static_cast<double>(policy_.max.count());
    // Capped before it can overflow: failures_ stops mattering once the base reaches max.
    const double base = std::min(max, initial * std::pow(policy_.multiplier, std::min(failures_, 64u)));
    if (failures_ < 64) ++failures_;
    std::uniform_real_distribution<double> fraction(0.0, policy_.jitter);
    const double delay = base * (1.0 - fraction(random_));
    return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(std::llround(delay)));
}

}  // namespace dirsync::ldap
