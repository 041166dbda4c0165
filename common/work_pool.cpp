#include "common/work_pool.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>

#include "common/log.hpp"

namespace dirsync::common {

work_pool::work_pool(settings s)
    : share_(std::max<std::size_t>(1, s.lane_share)),
      base_threads_(std::max<std::size_t>(1, s.threads)),
      max_threads_(base_threads_ + s.max_lent_threads),
      name_(s.name.substr(0, 15)) {
    threads_.reserve(base_threads_);
    try {
        for (std::size_t i = 0; i < base_threads_; ++i) {
            threads_.emplace_back([this] { serve(); });
            ::pthread_setname_np(threads_.back().native_handle(), name_.c_str());
        }
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
        throw;
    }
}

work_pool::~work_pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

void work_pool::submit(std::string_view lane, std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        auto it = lanes_.find(lane);
        if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), lane_state{}).first;
        it->second.waiting.push_back(std::move(task));
        ++queued_;
        mark_ready(it);
        add_thread_if_lent();
    }
    wake_.notify_one();
}

std::size_t work_pool::queued() const {
    std::lock_guard lock(mutex_);
    return queued_;
}

std::size_t work_pool::threads() const {
    std::lock_guard lock(mutex_);
    return threads_.size();
}

work_pool::running_task& work_pool::current() noexcept {
    thread_local running_task task;
    return task;
}

void work_pool::add_thread_if_lent() {
    if (ready_.empty() || idle_ > 0 || threads_.size() - lent_ >= base_threads_) return;
    if (stopping_ || threads_.size() >= max_threads_) return;
    try {
        threads_.emplace_back([this] { serve(); });
    } catch (const std::exception& e) {
        log_warning(std::string("work pool: could not add a thread: ") + e.what());
        return;
    }
    ::pthread_setname_np(threads_.back().native_handle(), name_.c_str());
}

void work_pool::lend(running_task& task) {
    {
        std::lock_guard lock(mutex_);
        lane_state& lane = task.lane->second;
        --lane.running;
        ++lane.lent;
        ++lent_;
        task.lent = true;
        mark_ready(task.lane);
        add_thread_if_lent();
    }
    wake_.notify_one();
}

void work_pool::reclaim(running_task& task) {
    std::lock_guard lock(mutex_);
    lane_state& lane = task.lane->second;
    --lane.lent;
    --lent_;
    ++lane.running;
    task.lent = false;
}

work_pool::blocking_scope::blocking_scope() {
    running_task& task = current();
    if (task.pool == nullptr || task.lent) return;
    pool_ = task.pool;
    pool_->lend(task);
}

work_pool::blocking_scope::~blocking_scope() {
    if (pool_ != nullptr) pool_->reclaim(current());
}

void work_pool::mark_ready(lane_map::iterator it) {
    lane_state& lane = it->second;
    if (lane.ready || lane.waiting.empty() || lane.running >= share_) return;
    lane.ready = true;
    ready_.push_back(it);
}

void work_pool::serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_;
        wake_.wait(lock, [this] { return !ready_.empty() || (stopping_ && queued_ == 0); });
        --idle_;
        if (ready_.empty()) return;  // stopping, and nothing is left to run
        const auto it = ready_.front();
        ready_.pop_front();
        lane_state& lane = it->second;
        lane.ready = false;
        auto task = std::move(lane.waiting.front());
        lane.waiting.pop_front();
        --queued_;
        ++lane.running;
        mark_ready(it);  // to the back of the turn, if it may start another task
        lock.unlock();
        current() = {.pool = this, .lane = it, .lent = false};
        try {
            task();
        } catch (const std::exception& e) {
            log_error(std::string("work pool: a task failed: ") + e.what());
        } catch (...) {
            log_error("work pool: a task failed with an unknown exception");
        }
        current() = {};
        task = nullptr;  // what it captured is released outside the lock
        lock.lock();
        --lane.running;
        if (lane.waiting.empty() && lane.running == 0 && lane.lent == 0) {
            lanes_.erase(it);
        } else {
            mark_ready(it);  // this thread takes the next turn itself
        }
        if (stopping_ && queued_ == 0) wake_.notify_all();
    }
}

}  // namespace dirsync::common
