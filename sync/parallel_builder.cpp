#include "sync/parallel_builder.hpp"

#include <utility>

namespace dirsync::sync {

namespace {

/// Records per hand-over: one lock and one wake-up per batch, not per record.
constexpr std::size_t batch_size = 256;
/// Batches waiting at most: beyond, the reader waits for the builder.
constexpr std::size_t max_queued = 16;

}  // namespace

parallel_builder::parallel_builder(snapshot_builder& builder,
                                   std::function<void(snapshot_builder&)> after_user)
    : builder_(builder), after_user_(std::move(after_user)) {
    filling_.reserve(batch_size);
    thread_ = std::thread([this] { run(); });
}

parallel_builder::~parallel_builder() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        failed_ = true;  // what is queued is dropped
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void parallel_builder::add_user(std::unique_ptr<source_record> r) { add(std::move(r), false); }

void parallel_builder::add_group(std::unique_ptr<source_record> r) { add(std::move(r), true); }

void parallel_builder::add(std::unique_ptr<source_record> r, bool group) {
    filling_.push_back(item{std::move(r), group});
    if (filling_.size() >= batch_size) hand_over();
}

void parallel_builder::hand_over() {
    if (filling_.empty()) return;
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return queue_.size() < max_queued || failed_; });
        if (!failed_) queue_.push_back(std::move(filling_));
    }
    changed_.notify_all();
    filling_ = batch();
    filling_.reserve(batch_size);
}

void parallel_builder::finish() {
    hand_over();
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
}

void parallel_builder::run() {
    for (;;) {
        batch next;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return !queue_.empty() || closed_ || failed_; });
            if (failed_ || queue_.empty()) return;  // dropped, or closed with nothing left
            next = std::move(queue_.front());
            queue_.erase(queue_.begin());
        }
        changed_.notify_all();  // room for the reader
        try {
            for (auto& i : next) {
                if (i.group) {
                    builder_.add_group(*i.record);
                } else {
                    builder_.add_user(*i.record);
                    if (after_user_) after_user_(builder_);
                }
                i.record.reset();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            error_ = std::current_exception();
            failed_ = true;
            queue_.clear();
        }
        changed_.notify_all();
    }
}

}  // namespace dirsync::sync
