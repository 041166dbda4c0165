#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sync/snapshot_builder.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

/// Feeds a snapshot_builder on a thread of its own, so that mapping the records a source streams overlaps
/// reading them (the read waits mostly for and decodes the source's pages; the mapping is as much work
/// again). Records are handed over in batches; the reader waits only when the builder is a whole queue
/// behind, so memory stays bounded.
///
/// Only the builder's thread touches the builder until finish() returns. `after_user` (optional) runs on
/// that thread after each user record is added (or skipped): the place to call
/// snapshot_builder::drop_stored_texts.
/// Destroying it before finish() (the read failed) drops what is queued and stops the thread.
class parallel_builder {
  public:
    explicit parallel_builder(snapshot_builder& builder,
                              std::function<void(snapshot_builder&)> after_user = {});
    ~parallel_builder();
    parallel_builder(const parallel_builder&) = delete;
    parallel_builder& operator=(const parallel_builder&) = delete;

    void add_user(std::unique_ptr<source_record> r);
    void add_group(std::unique_ptr<source_record> r);

    /// Waits until every record handed over is in the builder and stops the thread. Rethrows what the
    /// builder (or after_user) threw; the records after it were not added.
    void finish();

  private:
    struct item {
        std::unique_ptr<source_record> record;
        bool group = false;
    };
    using batch = std::vector<item>;

    void add(std::unique_ptr<source_record> r, bool group);
    void hand_over();
    void run();

    snapshot_builder& builder_;
    std::function<void(snapshot_builder&)> after_user_;
    batch filling_;  ///< the reader's side, handed over when full
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<batch> queue_;
    bool closed_ = false;  ///< no more batches (finish, or the destructor)
    bool failed_ = false;  ///< the builder threw: the thread takes no more
    std::exception_ptr error_;
    std::thread thread_;
};

}  // namespace dirsync::sync
