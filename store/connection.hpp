#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/unavailable.hpp"

namespace dirsync::store {

class statement;
class cached_statement;

/// The SQL engine behind a connection. The table modules write SQL both engines run; where they differ
/// (JSON functions, upserts), they ask `connection::engine()`. Nothing above store/ sees it.
enum class engine { sqlite, postgresql };

/// A failed database call. Thrown only for infrastructure failures (I/O error, corrupt file, misuse, a
/// lost server); expected outcomes such as a uniqueness violation are reported by `is_constraint()` so
/// callers in the store can translate them into values.
class database_error : public std::runtime_error {
  public:
    /// `code`: SQLite's extended result code, 0 for PostgreSQL (whose SQLSTATE is in the message).
    database_error(int code, bool constraint, const std::string& what)
        : std::runtime_error(what), code_(code), constraint_(constraint) {}
    int code() const noexcept { return code_; }
    /// A constraint (uniqueness, foreign key, check) refused the statement. The transaction stays usable
    /// after the enclosing savepoint is rolled back to.
    bool is_constraint() const noexcept { return constraint_; }

  private:
    int code_;
    bool constraint_;
};

/// How long a client is asked to wait (Retry-After) before retrying a write refused for a full disk.
inline constexpr std::chrono::seconds storage_full_retry_after{30};

/// A write refused because the storage holding the database is full (SQLITE_FULL, ENOSPC or EDQUOT;
/// PostgreSQL's disk_full). The statement or transaction had no effect; writes succeed again once space is
/// freed.
class storage_full : public common::temporarily_unavailable {
  public:
    explicit storage_full(const std::string& what);
};

/// How long a client is asked to wait before retrying a request that found the database server out of reach.
inline constexpr std::chrono::seconds database_unreachable_retry_after{5};

/// The database server cannot be reached (connection refused or lost, server shutting down). Nothing of the
/// failed request was kept; the connection is opened again for the next one.
class database_unreachable : public common::temporarily_unavailable {
  public:
    explicit database_unreachable(const std::string& what);
};

/// One engine's prepared statement, behind `statement`. Parameters are 1-based, columns 0-based.
class statement_impl {
  public:
    virtual ~statement_impl() = default;
    virtual void bind_text(int index, std::string_view text) = 0;
    virtual void bind_int(int index, std::int64_t value) = 0;
    virtual void bind_null(int index) = 0;
    /// Runs the statement on the first call; true when a row is available, false when done.
    virtual bool step() = 0;
    /// Ready to run again; bindings cleared.
    virtual void reset() = 0;
    virtual std::string column_text(int col) const = 0;
    virtual std::int64_t column_int(int col) const = 0;
    virtual bool column_is_null(int col) const = 0;
};

/// An open connection to the store's database (SQLite file or PostgreSQL server). Not thread-safe: one
/// thread uses it at a time. SQL is written with SQLite's numbered parameters (`?1`, `?2`, or bare `?`);
/// the PostgreSQL connection rewrites them.
class connection {
  public:
    virtual ~connection() = default;
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    virtual store::engine engine() const noexcept = 0;

    /// Runs one or more statements without results. Throws database_error.
    virtual void exec(std::string_view sql) = 0;
    /// Runs one statement without results through the statement cache (for what runs on every request:
    /// SAVEPOINT, RELEASE). Throws database_error.
    void exec_cached(std::string_view sql);

    /// A prepared statement kept for the life of the connection; reset when the returned guard goes away.
    /// Only one guard per SQL text may be alive at a time.
    cached_statement cached(std::string_view sql);

    /// Prepares `sql`; `persistent` when it is kept and run many times (the statement cache).
    virtual std::unique_ptr<statement_impl> prepare(std::string_view sql, bool persistent) = 0;
    /// Prepares a query whose rows are read a batch at a time however many there are (a scan of a table),
    /// inside a transaction; other statements may run on the connection between its rows. SQLite steps
    /// through rows anyway; PostgreSQL reads them through a cursor.
    virtual std::unique_ptr<statement_impl> prepare_scan(std::string_view sql) { return prepare(sql, false); }

    /// The key the last INSERT gave its row (an INTEGER PRIMARY KEY / identity column).
    virtual std::int64_t last_insert_rowid() = 0;
    /// Rows inserted, updated or deleted by the last statement that finished.
    virtual int changes() const noexcept = 0;
    /// Rows inserted, updated or deleted since the connection opened.
    virtual std::int64_t total_changes() const noexcept = 0;

    /// Opens the transaction of a write: it sees every write committed before it and no other writer, of
    /// this process or another, runs until it ends.
    virtual void begin_write() = 0;
    /// Opens a read-only transaction that sees one snapshot.
    virtual void begin_read() = 0;
    /// A transaction is open (a failed statement inside it included).
    virtual bool in_transaction() const noexcept = 0;
    /// The connection cannot be used again (the server went away): the owner opens a new one.
    virtual bool broken() const noexcept { return false; }

  protected:
    connection() = default;
    /// Finalises the cached statements: each engine's destructor calls it before closing its handle.
    void drop_statements() noexcept { cache_.clear(); }

  private:
    /// Looked up by string_view without building a std::string (heterogeneous lookup).
    struct sql_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept {
            return std::hash<std::string_view>{}(sql);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<statement>, sql_hash, std::equal_to<>> cache_;
};

/// Asks `statement` for a scan (connection::prepare_scan).
struct scan_rows_t {
    explicit scan_rows_t() = default;
};
inline constexpr scan_rows_t scan_rows{};

/// A prepared statement (RAII). Parameters are 1-based like SQLite's; columns are 0-based.
class statement {
  public:
    statement(connection& db, std::string_view sql, bool persistent = false)
        : impl_(db.prepare(sql, persistent)) {}
    /// A scan: its rows are read in batches, however many (connection::prepare_scan).
    statement(connection& db, std::string_view sql, scan_rows_t) : impl_(db.prepare_scan(sql)) {}
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    statement& bind(int index, std::string_view text) {
        impl_->bind_text(index, text);
        return *this;
    }
    statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    statement& bind(int index, std::int64_t value) {
        impl_->bind_int(index, value);
        return *this;
    }
    statement& bind(int index, const std::optional<std::string>& text) {
        return text ? bind(index, std::string_view(*text)) : bind_null(index);
    }
    statement& bind_null(int index) {
        impl_->bind_null(index);
        return *this;
    }

    /// Advances; true when a row is available, false when done. Throws database_error (incl. constraints).
    bool step() { return impl_->step(); }
    /// Resets for re-execution with new bindings.
    void reset() { impl_->reset(); }

    std::string column_text(int col) const { return impl_->column_text(col); }
    std::optional<std::string> column_optional_text(int col) const {
        if (column_is_null(col)) return std::nullopt;
        return column_text(col);
    }
    std::int64_t column_int(int col) const { return impl_->column_int(col); }
    bool column_is_null(int col) const { return impl_->column_is_null(col); }

  private:
    std::unique_ptr<statement_impl> impl_;
};

/// Borrowed use of a connection's cached statement; resets it (bindings cleared, read snapshot released)
/// on destruction.
class cached_statement {
  public:
    explicit cached_statement(statement& s) : s_(&s) {}
    ~cached_statement() { s_->reset(); }
    cached_statement(const cached_statement&) = delete;
    cached_statement& operator=(const cached_statement&) = delete;
    statement* operator->() const noexcept { return s_; }
    statement& operator*() const noexcept { return *s_; }

  private:
    statement* s_;
};

/// A write transaction (connection::begin_write ... COMMIT), rolled back on destruction unless committed.
class transaction {
  public:
    explicit transaction(connection& db);
    ~transaction();
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    void commit();

  private:
    connection& db_;
    bool done_ = false;
};

/// A read transaction on a reader connection (connection::begin_read ... ROLLBACK): the statements run
/// while it lives see one snapshot of the database (several reads that must agree with each other).
class read_snapshot {
  public:
    explicit read_snapshot(connection& db);
    ~read_snapshot();
    read_snapshot(const read_snapshot&) = delete;
    read_snapshot& operator=(const read_snapshot&) = delete;

  private:
    connection& db_;
};

/// SAVEPOINT ... RELEASE inside an open transaction, rolled back to (and released) on destruction unless
/// released: undoes the writes of one step of a larger transaction while keeping the others. Nests.
class savepoint {
  public:
    explicit savepoint(connection& db);
    ~savepoint();
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;
    void release();

  private:
    connection& db_;
    bool done_ = false;
};

}  // namespace dirsync::store
