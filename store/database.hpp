#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/connection.hpp"
#include "store/location.hpp"

namespace dirsync::store {

class backend;

/// The database behind every tenant's records: an SQLite file (the embedded default) or a PostgreSQL
/// database that several dirsyncd processes share.
///
/// Durability: `write()` returns once its transaction is committed durably. SQLite: WAL mode with
/// `synchronous=FULL`, so COMMIT returns only after the WAL has been fsync'ed (durable against a crash of the
/// process and against power loss; NORMAL would survive the former but could lose the last transactions to
/// the latter). PostgreSQL: `synchronous_commit` is forced on for the session, so COMMIT returns after the
/// server flushed its WAL. A caller that answers 201/200/204 after `write()` returned has made the change
/// durable.
///
/// Concurrency: writes are serialized through one writer connection, and across processes by the engine:
/// SQLite's file lock, PostgreSQL's transaction-level advisory lock taken by every write transaction. Each
/// write therefore sees every write committed before it, whichever process made it, and the store's rules
/// (unique keys, seats, the last admin) hold across processes exactly as within one. Reads use a pool of
/// connections that see the last committed state and never block the writer. Both functions may be called
/// from any thread.
class database {
  public:
    /// Opens or creates the SQLite file at `path` (its parent directory must exist), applies pending schema
    /// migrations, and refuses a file whose schema is newer than this binary knows. Throws database_error /
    /// runtime_error.
    explicit database(const std::string& path, std::size_t max_readers = 16);
    /// Connects to the PostgreSQL database at `where` and migrates it like the file above (under an advisory
    /// lock: several processes may start at once). Throws database_unreachable / database_error /
    /// runtime_error.
    explicit database(const postgresql_location& where);
    /// Either of the above; `max_readers` bounds an SQLite store's reader connections (a PostgreSQL store
    /// has its pool_size).
    explicit database(const location& where, std::size_t max_readers = 16);
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

    /// Runs `fn(connection&)` in a write transaction on the writer connection and returns once it is
    /// committed (durable: see above), unless fn returns something with `has_error()` true (a
    /// boost::system::result error): then what fn wrote is rolled back and that result returned. An exception
    /// from fn rolls back what fn wrote and propagates.
    ///
    /// Group commit: writes that wait for the writer at the same moment are run one after the other in one
    /// transaction, each inside a savepoint of its own, and committed together with one fsync; every caller
    /// returns after that commit. A write that fails (an error result, an exception) rolls back to its
    /// savepoint and fails alone; its neighbours commit. A failing COMMIT fails every write of the batch.
    /// The caller's thread blocks meanwhile, and fn may run on another caller's thread (the batch's leader):
    /// fn must not depend on the thread it runs on.
    ///
    /// A write that fails for lack of space throws storage_full (nothing of it is kept) and marks the store
    /// as out of space until a write commits again.
    template <class Fn>
    auto write(Fn&& fn) {
        using result_type = decltype(fn(*writer_));
        if constexpr (std::is_void_v<result_type>) {
            pending_write w([&fn](connection& c) {
                fn(c);
                return true;
            });
            run_write(w);
        } else {
            std::optional<result_type> result;
            pending_write w([&fn, &result](connection& c) {
                result.emplace(fn(c));
                if constexpr (requires { result->has_error(); }) return !result->has_error();
                return true;
            });
            run_write(w);
            return std::move(*result);
        }
    }

    /// Writes at most this many callers' functions in one transaction.
    static constexpr std::size_t max_batch = 64;

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
        std::size_t writes = 1;                           ///< callers' writes the COMMIT made durable
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

    /// The SQLite file's path; empty for PostgreSQL.
    const std::string& path() const noexcept { return path_; }
    /// "SQLite file ...", "PostgreSQL postgresql://...": for logs and status.
    const std::string& description() const noexcept { return description_; }
    store::engine engine() const noexcept { return engine_; }

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

    /// One caller's write waiting for, or in, a batch. `fn` returns whether to keep what it wrote.
    struct pending_write {
        explicit pending_write(std::function<bool(connection&)> f) : fn(std::move(f)) {}
        std::function<bool(connection&)> fn;
        std::exception_ptr error;  ///< what the caller gets instead of its result
        bool done = false;         ///< under queue_mutex_
    };

    /// Queues `w` and waits until its batch committed (or failed): the first waiting caller becomes the
    /// leader and runs a batch of what is queued on its own thread, the others wait. Rethrows w.error.
    void run_write(pending_write& w);
    /// The leader's work: `batch` in one transaction with a savepoint each, then one COMMIT. Sets each
    /// member's error; never throws.
    void run_batch(const std::vector<pending_write*>& batch);
    /// Commits `tx` (holding `writes` callers' writes), then clears the out-of-space mark and tells the
    /// commit observer.
    void commit(transaction& tx, const write_timer& timer, std::size_t writes = 1);
    database(std::unique_ptr<store::backend> engine_backend, std::size_t max_readers);
    /// The writer connection, opened again when the last one broke (a lost server). Under writer_mutex_.
    connection& writer();

    std::unique_ptr<store::backend> backend_;
    std::string path_;
    std::string description_;
    store::engine engine_ = store::engine::sqlite;
    std::atomic<bool> out_of_space_{false};
    std::atomic<std::int64_t> write_began_ns_{0};  ///< steady_clock ns of the write in progress; 0: none
    std::function<void(const commit_stats&)> commit_observer_;
    std::mutex writer_mutex_;  ///< held by the leader running a batch (and by migrations)
    std::unique_ptr<connection> writer_;

    std::mutex queue_mutex_;
    std::condition_variable batch_done_;
    std::vector<pending_write*> queued_;  ///< waiting for the next batch
    bool leading_ = false;                ///< a leader is running a batch

    std::mutex readers_mutex_;
    std::condition_variable reader_returned_;
    std::vector<std::unique_ptr<connection>> idle_readers_;
    std::size_t open_readers_ = 0;
    std::size_t max_readers_;
};

}  // namespace dirsync::store
