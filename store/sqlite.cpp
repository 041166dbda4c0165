#include "store/sqlite.hpp"

#include <cerrno>
#include <chrono>
#include <string>

namespace dirsync::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw_sqlite_error(db ? sqlite3_extended_errcode(db) : rc, db ? sqlite3_system_errno(db) : 0, msg);
}

}  // namespace

storage_full::storage_full(const std::string& what)
    : common::temporarily_unavailable(
          "the storage of the service is full: the change was not saved; retry later",
          storage_full_retry_after, what) {}

void throw_sqlite_error(int code, int system_errno, const std::string& what) {
    const int primary = code & 0xff;
    if (primary == SQLITE_FULL ||
        (primary == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EDQUOT)))
        throw storage_full(what);
    throw sqlite_error(code, what);
}

namespace {

/// Process-wide SQLite settings, made once before the first connection opens.
void configure_sqlite() {
    static const bool configured = [] {
        // No bulk page-cache allocation per cache: each temporary b-tree (a DISTINCT, a UNION, an ORDER BY
        // without an index) opens a cache of its own, and a 20-page bulk malloc'd and freed with it on every
        // such query made the heap grow and shrink on every request (page faults and TLB flushes were 40% of
        // a read's CPU). Pages are then allocated one by one as used, from malloc's free lists.
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
        // No memory statistics (nothing reads them): keeping them takes a process-wide mutex around every
        // allocation SQLite makes, from every connection at once.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

}  // namespace

connection::connection(const std::string& path, bool read_only) {
    configure_sqlite();
    int flags =
        SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg =
            "cannot open SQLite database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw sqlite_error(rc, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
}

connection::~connection() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

cached_statement connection::cached(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
        it = cache_.emplace(std::string(sql), std::make_unique<statement>(*this, sql)).first;
    return cached_statement(*it->second);
}

cached_statement::~cached_statement() { s_->reset(); }

void connection::exec_cached(std::string_view sql) { cached(sql)->step(); }

void connection::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw_sqlite_error(sqlite3_extended_errcode(db_), sqlite3_system_errno(db_), "SQL failed: " + msg);
    }
}

statement::statement(connection& db, std::string_view sql) : db_(db.handle()) {
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
}

statement::~statement() { sqlite3_finalize(stmt_); }

statement& statement::bind(int index, std::string_view text) {
    // An empty view may have no data pointer, which SQLite would bind as NULL: text is always text.
    int rc = sqlite3_bind_text(stmt_, index, text.data() ? text.data() : "", static_cast<int>(text.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

statement& statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

statement& statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

statement& statement::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

bool statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, "step");
}

void statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string statement::column_text(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    auto n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> statement::column_optional_text(int col) const {
    if (column_is_null(col)) return std::nullopt;
    return column_text(col);
}

std::int64_t statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

transaction::transaction(connection& db) : db_(db) { db_.exec_cached("BEGIN IMMEDIATE"); }

transaction::~transaction() {
    if (!done_) {
        try {
            db_.exec_cached("ROLLBACK");
        } catch (...) {
            // The connection is unusable for this transaction either way; the next BEGIN reports it.
        }
    }
}

void transaction::commit() {
    db_.exec_cached("COMMIT");
    done_ = true;
}

read_snapshot::read_snapshot(connection& db) : db_(db) { db_.exec_cached("BEGIN DEFERRED"); }

read_snapshot::~read_snapshot() {
    try {
        db_.exec_cached("ROLLBACK");
    } catch (...) {
        // Nothing was written; a failed ROLLBACK leaves nothing to undo.
    }
}

savepoint::savepoint(connection& db) : db_(db) { db_.exec_cached("SAVEPOINT step"); }

savepoint::~savepoint() {
    if (!done_) {
        try {
            db_.exec_cached("ROLLBACK TO step");
            db_.exec_cached("RELEASE step");
        } catch (...) {
            // Only after a failure that already ended the transaction; its owner rolls back.
        }
    }
}

void savepoint::release() {
    db_.exec_cached("RELEASE step");
    done_ = true;
}

}  // namespace dirsync::store
