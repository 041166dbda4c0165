#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace dirsync::store {

class database;

/// Whether a lease of `holder` that expires at `expires_ms` is still held at `now_ms`: it has not expired,
/// and its holder is not a process on this host that has ended (common::ended_on_this_host), whose leases are
/// free at once.
bool lease_held(std::string_view holder, std::int64_t expires_ms, std::int64_t now_ms);

/// Named leases among the processes sharing one store (the instances of a fleet): what one of them does for
/// all, such as a live source's watch ("watch/<source>"), is done by the holder of its lease. A lease is held
/// by one process at a time until it expires (`ttl` after it was taken or last renewed) or its holder ends.
/// Every change is a write of the store, so it is decided once across the fleet. Thread-safe.
class instance_leases {
  public:
    /// `holder`: how this process is named (common::instance_name() when empty).
    explicit instance_leases(database& db, std::string holder = {});

    const std::string& holder() const noexcept { return holder_; }

    /// Takes `name` for `ttl`, or extends it when this process holds it already. When another process
    /// holds it, nothing changes and that holder is returned.
    std::optional<std::string> take(std::string_view name, std::chrono::milliseconds ttl,
                                    common::timestamp now = common::now());
    /// Extends `name` by `ttl` from `now` if this process still holds it; false when it does not (the
    /// lease expired and may have been taken by another): the holder must stop what the lease covers.
    bool renew(std::string_view name, std::chrono::milliseconds ttl, common::timestamp now = common::now());
    /// Gives `name` up if this process holds it, so another may take it at once.
    void release(std::string_view name);
    /// Who holds `name` at `now`, if anyone; reads without writing.
    std::optional<std::string> holder_of(std::string_view name, common::timestamp now = common::now()) const;

  private:
    database& db_;
    std::string holder_;
};

}  // namespace dirsync::store
