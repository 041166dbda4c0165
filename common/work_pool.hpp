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
        /// Most threads added while tasks wait in a blocking_scope (beyond `threads`).
        std::size_t max_lent_threads = 64;
    };

    /// Lends the calling task's place while it waits for work other threads finish (its turn in a group
    /// commit): for the scope's lifetime its lane may start another task as if this one had ended, and when
    /// no thread is idle to start it the pool adds one (at most `max_lent_threads` over `threads`; added
    /// threads stay for later waits). So a lane's writes can gather in one commit instead of waiting for each
    /// other's fsync one `lane_share` at a time. When the scope ends the task counts against its lane again
    /// (the lane may briefly run more than its share; it starts nothing new until it is back under it).
    /// On a thread that is not running one of a pool's tasks it does nothing. Not movable; nest freely
    /// (only the outermost scope lends).
    class blocking_scope {
      public:
        blocking_scope();
        ~blocking_scope();
        blocking_scope(const blocking_scope&) = delete;
        blocking_scope& operator=(const blocking_scope&) = delete;

      private:
        work_pool* pool_ = nullptr;  ///< the pool whose task lent its place; null: nothing was lent
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

    /// The threads started so far: `threads`, plus those added for blocking scopes.
    std::size_t threads() const;
    std::size_t lane_share() const noexcept { return share_; }

    /// Tasks waiting for a thread, over every lane (a snapshot).
    std::size_t queued() const;

  private:
    struct lane_state {
        std::deque<std::function<void()>> waiting;
        std::size_t running = 0;
        std::size_t lent = 0;  ///< of its tasks, those waiting in a blocking_scope (not in `running`)
        bool ready = false;    ///< listed in ready_
    };
    using lane_map = std::map<std::string, lane_state, std::less<>>;

    /// The task the calling thread runs: its pool and lane, and whether it lends its place now.
    struct running_task {
        work_pool* pool = nullptr;
        lane_map::iterator lane;
        bool lent = false;
    };
    static running_task& current() noexcept;

    void serve();
    /// Starts one more thread when a lane is ready, no thread is idle and fewer than `threads` are not lent
    /// (within max_lent_threads). Under mutex_.
    void add_thread_if_lent();
    void lend(running_task& task);
    void reclaim(running_task& task);
    /// Lists `it` in ready_ if it has waiting tasks and room to run one. Under mutex_.
    void mark_ready(lane_map::iterator it);

    const std::size_t share_;
    const std::size_t base_threads_;  ///< `threads`
    const std::size_t max_threads_;   ///< `threads` plus `max_lent_threads`
    const std::string name_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    lane_map lanes_;
    std::deque<lane_map::iterator> ready_;  ///< lanes that may start a task now, in turn
    std::size_t queued_ = 0;
    std::size_t idle_ = 0;  ///< threads waiting for a task
    std::size_t lent_ = 0;  ///< tasks in a blocking_scope, over every lane
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace dirsync::common
