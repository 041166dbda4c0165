#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/sqlite.hpp"

namespace dirsync::store {

/// The SQLite database behind every tenant's records.
///
/// Durability: the file runs in WAL mode with `synchronous=FULL`, so COMMIT returns only after the WAL has
/// been fsync'ed. A caller that answers 201/200/204 after `write()` returned has therefore made the change
/// durable against a crash of the process and against power loss of the machine (NORMAL would survive the
/// former but could lose the last transactions to the latter). Checkpoints run automatically.
///
/// Concurrency: writes are serialized through one writer connection (SQLite allows one writer anyway, and a
/// mutex is cheaper than SQLITE_BUSY retries); reads use a pool of connections that see the last committed
/// state and never block the writer (WAL snapshot isolation). Both functions may be called from any thread.
class database {
  public:
    /// Opens or creates `path` (its parent directory must exist), applies pending schema migrations, and
    /// refuses a file whose schema is newer than this binary knows. Throws sqlite_error / runtime_error.
    explicit database(const std::string& path, std::size_t max_readers = 16);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    /// Runs `fn(connection&)` on a reader connection. No transaction is opened: statements see the state of
    /// their own execution; wrap several in `BEGIN`/`COMMIT` via fn for a consistent multi-statement view.
    template <class Fn>
    auto read(Fn&& fn) {
        reader_lease lease(*this);
        return std::forward<Fn>(fn)(lease.conn());
    }

    /// Runs `fn(connection&)` inside BEGIN IMMEDIATE on the writer connection and commits when fn returns,
    /// unless fn returns something with `has_error()` true (a boost::system::result error), in which case the
    /// transaction is rolled back and that result is returned. An exception rolls back and propagates.
    ///
    /// A write that fails for lack of space throws storage_full (nothing of it is kept) and marks the store
    /// as out of space until a write commits again.
    template <class Fn>
    auto write(Fn&& fn) {
        std::lock_guard lock(writer_mutex_);
        const write_timer timer(*this);
        try {
            transaction tx(*writer_);
            if constexpr (std::is_void_v<decltype(fn(*writer_))>) {
                std::forward<Fn>(fn)(*writer_);
                commit(tx, timer);
            } else {
                auto r = std::forward<Fn>(fn)(*writer_);
                if constexpr (requires { r.has_error(); }) {
                    if (r.has_error()) return r;
                }
                commit(tx, timer);
                return r;
            }
        } catch (const storage_full&) {
            out_of_space_.store(true, std::memory_order_relaxed);
            throw;
        }
    }

    /// True while writes fail for lack of space: the last write failed with storage_full, none has committed
    /// since, and the file system holding the database still has less than `min_free_bytes` available. For
    /// readiness checks; thread-safe.
    bool out_of_space() const;

    /// Free space below which a store whose last write failed for lack of space still counts as out of space.
    static constexpr std::uint64_t min_free_bytes = 1024 * 1024;

    /// What one committed write cost, for metrics.
    struct commit_stats {
        std::chrono::steady_clock::duration commit_time;  ///< the COMMIT alone: its WAL write and fsync
        std::int64_t rows = 0;                            ///< rows inserted, updated or deleted
    };
    /// Called after each committed write on the writing thread, with the writer held: must be cheap and must
    /// not throw. Set before writes begin.
    void set_commit_observer(std::function<void(const commit_stats&)> observer) {
        commit_observer_ = std::move(observer);
    }

    /// How long the write in progress has held the writer; nullopt when none is in progress. A watchdog's
    /// view of a stuck writer (a hung fsync, a runaway transaction). Thread-safe.
    std::optional<std::chrono::steady_clock::duration> write_in_progress_for() const noexcept;

    /// Why the store cannot take writes now, or nullopt when it can: its file (or directory) is not
    /// writable by this process (permissions, a read-only mount), the schema on disk is not the one this
    /// binary writes, the disk is full (out_of_space), or a write has held the writer longer than
    /// `max_write_time`. For readiness probes; thread-safe, touches no table.
    std::optional<std::string> readiness_problem(std::chrono::milliseconds max_write_time) const;

    /// The schema version this binary writes.
    static int schema_version() noexcept;

    const std::string& path() const noexcept { return path_; }

  private:
    class reader_lease {
      public:
        explicit reader_lease(database& db);
        ~reader_lease();
        reader_lease(const reader_lease&) = delete;
        reader_lease& operator=(const reader_lease&) = delete;
        connection& conn() noexcept { return *conn_; }

      private:
        database& db_;
        std::unique_ptr<connection> conn_;
    };

    /// Marks the writer busy from construction to destruction (write_in_progress_for).
    class write_timer {
      public:
        explicit write_timer(database& db);
        ~write_timer();
        write_timer(const write_timer&) = delete;
        write_timer& operator=(const write_timer&) = delete;
        std::int64_t rows_before() const noexcept { return rows_before_; }

      private:
        database& db_;
        std::int64_t rows_before_;
    };

    std::unique_ptr<connection> open_reader();
    /// Commits `tx`, then clears the out-of-space mark and tells the commit observer.
    void commit(transaction& tx, const write_timer& timer);
    void migrate();

    std::string path_;
    std::atomic<bool> out_of_space_{false};
    std::atomic<std::int64_t> write_began_ns_{0};  ///< steady_clock ns of the write in progress; 0: none
    std::function<void(const commit_stats&)> commit_observer_;
    std::mutex writer_mutex_;
    std::unique_ptr<connection> writer_;

    std::mutex readers_mutex_;
    std::condition_variable reader_returned_;
    std::vector<std::unique_ptr<connection>> idle_readers_;
    std::size_t open_readers_ = 0;
    std::size_t max_readers_;
};

}  // namespace dirsync::store
