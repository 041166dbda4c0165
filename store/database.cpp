#include "store/database.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/work_pool.hpp"
#include "store/migrations.hpp"

namespace dirsync::store {

namespace {
constexpr int busy_timeout_ms = 10'000;

int user_version(connection& db) {
    statement s(db, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.column_int(0));
}
}  // namespace

database::database(const std::string& path, std::size_t max_readers)
    : path_(path), max_readers_(max_readers == 0 ? 1 : max_readers) {
    writer_ = std::make_unique<connection>(path_, false);
    writer_->exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
    // Another process opening the same new file may hold the lock a journal-mode change or the first
    // transaction needs, and SQLite does not always wait for it (a busy handler is not called where it
    // could deadlock): such a busy open is tried again until busy_timeout has passed.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
        try {
            writer_->exec("PRAGMA journal_mode = WAL");
            writer_->exec("PRAGMA synchronous = FULL");
            // Foreign keys are enforced once the schema is current: a migration that rebuilds a table
            // (SQLite's way to change a constraint) drops the old one, which must not cascade to the rows
            // that refer to it.
            migrate();
            break;
        } catch (const sqlite_error& e) {
            const int primary = e.code() & 0xff;
            if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
                std::chrono::steady_clock::now() >= deadline)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    writer_->exec("PRAGMA foreign_keys = ON");
    // Statement and savepoint journals (each write that shares a transaction runs in a savepoint) in memory:
    // on disk, each was a temporary file created, unlinked and closed per write. They hold the pages one
    // write changes.
    writer_->exec("PRAGMA temp_store = MEMORY");
}

database::~database() = default;

bool database::out_of_space() const {
    if (!out_of_space_.load(std::memory_order_relaxed)) return false;
    auto directory = std::filesystem::path(path_).parent_path();
    if (directory.empty()) directory = ".";
    struct statvfs fs {};
    if (::statvfs(directory.c_str(), &fs) != 0) return true;
    return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < min_free_bytes;
}

int database::schema_version() noexcept { return static_cast<int>(migrations().size()); }

void database::migrate() {
    const auto& steps = migrations();
    // The version is read inside the write transaction that applies the steps: a second process opening
    // the same new (or just upgraded) file waits for this one (busy_timeout) and then finds the schema
    // current, instead of applying the same steps again ("table tenants already exists").
    transaction tx(*writer_);
    const int current = user_version(*writer_);
    if (current > static_cast<int>(steps.size()))
        throw std::runtime_error("database " + path_ + " has schema version " + std::to_string(current) +
                                 ", newer than this dirsyncd knows (" + std::to_string(steps.size()) +
                                 "); refusing to open it");
    for (int v = current; v < static_cast<int>(steps.size()); ++v)
        writer_->exec(steps[static_cast<std::size_t>(v)]);
    if (current != static_cast<int>(steps.size()))
        writer_->exec("PRAGMA user_version = " + std::to_string(steps.size()));
    tx.commit();
}

database::write_timer::write_timer(database& db)
    : db_(db), rows_before_(sqlite3_total_changes64(db.writer_->handle())) {
    db_.write_began_ns_.store(std::chrono::steady_clock::now().time_since_epoch().count() | 1,
                              std::memory_order_relaxed);
}

database::write_timer::~write_timer() { db_.write_began_ns_.store(0, std::memory_order_relaxed); }

void database::run_write(pending_write& w) {
    // Waiting for the writer is not the task's own work: lent, its lane's next write can join this batch.
    const common::work_pool::blocking_scope waiting;
    std::unique_lock lock(queue_mutex_);
    queued_.push_back(&w);
    while (!w.done) {
        if (leading_) {
            batch_done_.wait(lock);
            continue;
        }
        // Lead: take what is queued now (this write among it, at the front when it waited longest).
        leading_ = true;
        const std::size_t n = std::min(queued_.size(), max_batch);
        std::vector<pending_write*> batch(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(n));
        queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(n));
        lock.unlock();
        run_batch(batch);
        lock.lock();
        for (auto* member : batch) member->done = true;
        leading_ = false;
        batch_done_.notify_all();
    }
    lock.unlock();
    if (!w.error) return;
    try {
        std::rethrow_exception(w.error);
    } catch (const storage_full&) {
        out_of_space_.store(true, std::memory_order_relaxed);
        throw;
    }
}

void database::run_batch(const std::vector<pending_write*>& batch) {
    std::lock_guard writer(writer_mutex_);
    std::size_t next = 0;
    // Normally one pass; a member whose failure ended the whole transaction (SQLite rolls back by itself on
    // some I/O and out-of-space errors) fails the members before it too, and the rest go on in a new one.
    while (next < batch.size()) {
        std::vector<pending_write*> kept;  ///< members whose writes this transaction holds
        try {
            const write_timer timer(*this);
            transaction tx(*writer_);
            bool transaction_lost = false;
            // A write alone in its transaction needs no savepoint (its failure rolls the transaction back):
            // a savepoint makes SQLite copy every page the write changes into a sub-journal, which for a sync
            // chunk of 1000 changes is most of its work again.
            const bool alone = batch.size() - next == 1;
            for (; next < batch.size() && !transaction_lost; ++next) {
                auto* w = batch[next];
                if (!alone) writer_->exec_cached("SAVEPOINT member");
                bool keep = false;
                try {
                    keep = w->fn(*writer_);
                } catch (...) {
                    w->error = std::current_exception();
                }
                if (sqlite3_get_autocommit(writer_->handle()) != 0) {
                    // The transaction is gone, with every earlier member's writes.
                    transaction_lost = true;
                    if (!w->error)
                        w->error = std::make_exception_ptr(
                            std::runtime_error("the write transaction was rolled back"));
                    for (auto* k : kept) k->error = w->error;
                    kept.clear();
                    continue;
                }
                if (keep && !w->error) {
                    if (!alone) writer_->exec_cached("RELEASE member");
                    kept.push_back(w);
                } else if (!alone) {
                    writer_->exec_cached("ROLLBACK TO member");
                    writer_->exec_cached("RELEASE member");
                }
            }
            // Nothing to keep: tx's destructor rolls back (a lost transaction has nothing left to roll back).
            if (transaction_lost || kept.empty()) continue;
            commit(tx, timer, kept.size());
        } catch (...) {
            // BEGIN or COMMIT failed (or a savepoint statement): every write of this transaction is lost,
            // and the members not reached yet fail the same way.
            for (auto* k : kept)
                if (!k->error) k->error = std::current_exception();
            for (; next < batch.size(); ++next) batch[next]->error = std::current_exception();
        }
    }
}

void database::commit(transaction& tx, const write_timer& timer, std::size_t writes) {
    const auto start = std::chrono::steady_clock::now();
    tx.commit();
    out_of_space_.store(false, std::memory_order_relaxed);
    if (commit_observer_)
        commit_observer_({std::chrono::steady_clock::now() - start,
                          sqlite3_total_changes64(writer_->handle()) - timer.rows_before(), writes});
}

std::optional<std::chrono::steady_clock::duration> database::write_in_progress_for() const noexcept {
    const auto began = write_began_ns_.load(std::memory_order_relaxed);
    if (began == 0) return std::nullopt;
    return std::chrono::steady_clock::now().time_since_epoch() - std::chrono::steady_clock::duration(began);
}

std::optional<std::string> database::readiness_problem(std::chrono::milliseconds max_write_time) const {
    if (out_of_space()) return "the file system holding the store is full";
    if (auto busy = write_in_progress_for(); busy && *busy > max_write_time)
        return "a write has held the store for " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*busy).count()) + " s";
    // Asked of the file system with this process's effective ids (a read-only mount fails it for root too):
    // an SQLite connection opened afresh could reuse a descriptor the process already holds, and would not
    // see a permission taken away since.
    auto directory = std::filesystem::path(path_).parent_path();
    if (directory.empty()) directory = ".";
    for (const auto& file : {std::filesystem::path(path_), directory})
        if (::faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0)
            return (file == directory ? "the directory " : "the store ") + file.string() +
                   " is not writable by this process (read-only): " + std::strerror(errno);
    sqlite3* probe = nullptr;
    const int rc =
        sqlite3_open_v2(path_.c_str(), &probe, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    std::optional<std::string> problem;
    if (rc != SQLITE_OK) {
        problem = std::string("the store cannot be opened: ") +
                  (probe ? sqlite3_errmsg(probe) : sqlite3_errstr(rc));
    } else {
        sqlite3_stmt* version = nullptr;
        sqlite3_busy_timeout(probe, 1000);
        if (sqlite3_prepare_v2(probe, "PRAGMA user_version", -1, &version, nullptr) != SQLITE_OK ||
            sqlite3_step(version) != SQLITE_ROW)
            problem = std::string("the store cannot be read: ") + sqlite3_errmsg(probe);
        else if (sqlite3_column_int(version, 0) != schema_version())
            problem = "the store's schema version is " + std::to_string(sqlite3_column_int(version, 0)) +
                      ", not " + std::to_string(schema_version());
        sqlite3_finalize(version);
    }
    sqlite3_close(probe);
    return problem;
}

std::unique_ptr<connection> database::open_reader() {
    auto c = std::make_unique<connection>(path_, false);
    c->exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
    c->exec("PRAGMA query_only = 1");
    return c;
}

database::reader_lease::reader_lease(database& db) : db_(db) {
    std::unique_lock lock(db_.readers_mutex_);
    for (;;) {
        if (!db_.idle_readers_.empty()) {
            conn_ = std::move(db_.idle_readers_.back());
            db_.idle_readers_.pop_back();
            return;
        }
        if (db_.open_readers_ < db_.max_readers_) {
            ++db_.open_readers_;
            lock.unlock();
            try {
                conn_ = db_.open_reader();
            } catch (...) {
                lock.lock();
                --db_.open_readers_;
                throw;
            }
            return;
        }
        db_.reader_returned_.wait(lock);
    }
}

database::reader_lease::~reader_lease() {
    {
        std::lock_guard lock(db_.readers_mutex_);
        db_.idle_readers_.push_back(std::move(conn_));
    }
    db_.reader_returned_.notify_one();
}

}  // namespace dirsync::store
