#include "sync/lease_heartbeat.hpp"

#include <exception>
#include <utility>

#include "common/log.hpp"
#include "sync/run_log.hpp"

namespace dirsync::sync {

lease_heartbeat::lease_heartbeat(run_log& log, std::string source, std::int64_t run_id,
                                 std::chrono::milliseconds every)
    : log_(log), source_(std::move(source)), run_id_(run_id), every_(every), thread_([this] { beat(); }) {}

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
            if (!log_.renew(source_, run_id_)) {
                lost_ = true;
                common::log_error("sync " + source_ + ": run " + std::to_string(run_id_) +
                                      " lost its lease (not renewed in time; another run may have started)",
                                  {{"source", source_}, {"run_id", std::to_string(run_id_)}});
                return;
            }
        } catch (const std::exception& e) {
            common::log_warning("sync " + source_ + ": renewing the lease of run " + std::to_string(run_id_) +
                                " failed: " + e.what() + "; retrying");
        }
        lock.lock();
    }
}

}  // namespace dirsync::sync
