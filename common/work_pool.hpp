#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace dirsync::common {

/// A fixed set of threads that runs tasks fairly between lanes. A lane is whatever shares one budget (a
/// tenant): at most `lane_share` tasks of a lane run at once, and its further tasks wait, in the order they
/// came, while other lanes' tasks go ahead. A free thread serves the lanes with waiting tasks in turn
/// (round-robin), so however many tasks one lane has queued, another lane's task waits for at most one task
/// per thread to finish. Lanes are created on first use and forgotten when they have nothing queued or
/// running. Thread-safe.
class work_pool {
  public:
    struct settings {
        std::size_t threads = 2;     ///< 0 is taken as 1
        std::size_t lane_share = 1;  ///< most tasks of one lane running at once; 0 is taken as 1
        std::string name = "work";   ///< thread name (15 bytes at most are kept), for ps and perf
    };

    /// Starts the threads.
    explicit work_pool(settings s);

    /// Runs every task already submitted, then joins the threads.
    ~work_pool();

    work_pool(const work_pool&) = delete;
    work_pool& operator=(const work_pool&) = delete;

    /// Queues `task` in `lane`. A task should not throw; one that does is logged as an error. A task may
    /// submit more tasks, but must not wait for one of this pool's tasks (it could wait forever).
    void submit(std::string_view lane, std::function<void()> task);

    /// Runs `fn` in `lane` and waits for it: its result, or its exception rethrown here. Must not be called
    /// from one of this pool's threads.
    template <class F>
    std::invoke_result_t<F&> run(std::string_view lane, F&& fn) {
        using result = std::invoke_result_t<F&>;
        std::packaged_task<result()> job(std::forward<F>(fn));
        auto done = job.get_future();
        auto shared = std::make_shared<std::packaged_task<result()>>(std::move(job));
        submit(lane, [shared] { (*shared)(); });
        return done.get();
    }

    std::size_t threads() const noexcept { return threads_.size(); }
    std::size_t lane_share() const noexcept { return share_; }

    /// Tasks waiting for a thread, over every lane (a snapshot).
    std::size_t queued() const;

  private:
    struct lane_state {
        std::deque<std::function<void()>> waiting;
        std::size_t running = 0;
        bool ready = false;  ///< listed in ready_
    };
    using lane_map = std::map<std::string, lane_state, std::less<>>;

    void serve();
    /// Lists `it` in ready_ if it has waiting tasks and room to run one. Under mutex_.
    void mark_ready(lane_map::iterator it);

    const std::size_t share_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    lane_map lanes_;
    std::deque<lane_map::iterator> ready_;  ///< lanes that may start a task now, in turn
    std::size_t queued_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace dirsync::common
