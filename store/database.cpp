#include "store/database.hpp"

#include <string>

#include "common/work_pool.hpp"
#include "store/backend.hpp"
#include "store/migrations.hpp"

namespace dirsync::store {

namespace {

std::unique_ptr<backend> make_backend(const location& where) {
    if (const auto* pg = std::get_if<postgresql_location>(&where)) return make_postgresql_backend(*pg);
    return make_sqlite_backend(std::get<sqlite_location>(where).path);
}

std::size_t readers_of(const location& where, std::size_t max_readers) {
    if (const auto* pg = std::get_if<postgresql_location>(&where)) return pg->pool_size;
    return max_readers;
}

}  // namespace

database::database(const location& where, std::size_t max_readers)
    : database(make_backend(where), readers_of(where, max_readers)) {}

database::database(const std::string& path, std::size_t max_readers)
    : database(location{sqlite_location{path}}, max_readers) {}

database::database(const postgresql_location& where) : database(location{where}) {}

database::database(std::unique_ptr<store::backend> engine_backend, std::size_t max_readers)
    : backend_(std::move(engine_backend)),
      path_(backend_->path()),
      description_(backend_->description()),
      max_readers_(max_readers == 0 ? 1 : max_readers) {
    writer_ = backend_->open_writer();
    engine_ = writer_->engine();
    backend_->migrate(*writer_);
}

database::~database() = default;

bool database::out_of_space() const {
    return out_of_space_.load(std::memory_order_relaxed) && backend_->still_out_of_space();
}

int database::schema_version() noexcept { return static_cast<int>(sqlite_migrations().size()); }

std::optional<std::string> schema_version_problem(int version) {
    if (version == database::schema_version()) return std::nullopt;
    return "the store's schema version is " + std::to_string(version) + ", not " +
           std::to_string(database::schema_version());
}

connection& database::writer() {
    if (!writer_ || writer_->broken()) {
        writer_.reset();
        writer_ = backend_->open_writer();
    }
    return *writer_;
}

database::write_timer::write_timer(database& db) : db_(db), rows_before_(db.writer_->total_changes()) {
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
    std::lock_guard hold(writer_mutex_);
    std::size_t next = 0;
    // Normally one pass; a member whose failure ended the whole transaction (SQLite rolls back by itself on
    // some I/O and out-of-space errors) fails the members before it too, and the rest go on in a new one.
    while (next < batch.size()) {
        std::vector<pending_write*> kept;  ///< members whose writes this transaction holds
        try {
            connection& db = writer();
            const write_timer timer(*this);
            transaction tx(db);
            bool transaction_lost = false;
            // A write alone in its transaction needs no savepoint (its failure rolls the transaction back):
            // a savepoint makes SQLite copy every page the write changes into a sub-journal, which for a sync
            // chunk of 1000 changes is most of its work again.
            const bool alone = batch.size() - next == 1;
            for (; next < batch.size() && !transaction_lost; ++next) {
                auto* w = batch[next];
                if (!alone) db.exec_cached("SAVEPOINT member");
                bool keep = false;
                try {
                    keep = w->fn(db);
                } catch (...) {
                    w->error = std::current_exception();
                }
                if (!db.in_transaction()) {
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
                    if (!alone) db.exec_cached("RELEASE member");
                    kept.push_back(w);
                } else if (!alone) {
                    db.exec_cached("ROLLBACK TO member");
                    db.exec_cached("RELEASE member");
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
    const std::int64_t rows = writer_->total_changes() - timer.rows_before();
    backend_->committed(rows);
    if (commit_observer_) commit_observer_({std::chrono::steady_clock::now() - start, rows, writes});
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
    return backend_->readiness_problem();
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
                conn_ = db_.backend_->open_reader();
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
        if (conn_->broken())
            --db_.open_readers_;  // closed here; the next lease opens a new one
        else
            db_.idle_readers_.push_back(std::move(conn_));
    }
    db_.reader_returned_.notify_one();
}

}  // namespace dirsync::store
