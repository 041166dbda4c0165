#include "common/lease_heartbeat.hpp"

#include <exception>
#include <utility>

#include "common/log.hpp"

namespace dirsync::common {

lease_heartbeat::lease_heartbeat(std::function<bool()> renew, std::chrono::milliseconds every,
                                 std::string what, std::function<void()> on_lost)
    : renew_(std::move(renew)),
      every_(every),
      what_(std::move(what)),
      on_lost_(std::move(on_lost)),
      thread_([this] { beat(); }) {}

lease_heartbeat::~lease_heartbeat() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void lease_heartbeat::beat() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
        lock.unlock();
        try {
            if (!renew_()) {
                lost_ = true;
                if (on_lost_) on_lost_();
                return;
            }
        } catch (const std::exception& e) {
            log_warning(what_ + ": renewing the lease failed: " + e.what() + "; retrying");
        }
        lock.lock();
    }
}

}  // namespace dirsync::common
