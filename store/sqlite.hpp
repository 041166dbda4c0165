#pragma once

#include <sqlite3.h>

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

/// A failed SQLite call. Thrown only for infrastructure failures (I/O error, corrupt file, misuse);
/// expected outcomes such as a uniqueness violation are reported by `sqlite_error::code()` so callers
/// in the store can translate them into values.
class sqlite_error : public std::runtime_error {
  public:
    sqlite_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const noexcept { return code_; }
    bool is_constraint() const noexcept { return (code_ & 0xff) == SQLITE_CONSTRAINT; }

  private:
    int code_;
};

/// How long a client is asked to wait (Retry-After) before retrying a write refused for a full disk.
inline constexpr std::chrono::seconds storage_full_retry_after{30};

/// A write refused because the file system holding the database is full (SQLITE_FULL, or an I/O error with
/// ENOSPC or EDQUOT). The statement or transaction had no effect; writes succeed again once space is freed.
class storage_full : public common::temporarily_unavailable {
  public:
    explicit storage_full(const std::string& what);
};

/// Throws storage_full when `code` (an extended result code) and `system_errno` (sqlite3_system_errno) say
/// the file system is full, otherwise sqlite_error(code, what).
[[noreturn]] void throw_sqlite_error(int code, int system_errno, const std::string& what);

/// An open sqlite3 connection (RAII). Not thread-safe: one thread uses it at a time.
class connection {
  public:
    /// Opens `path` (creating it when `read_only` is false). Throws sqlite_error.
    connection(const std::string& path, bool read_only);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    /// Runs one or more statements without results. Throws sqlite_error.
    void exec(std::string_view sql);
    /// Runs one statement without results through the statement cache (for what runs on every request:
    /// BEGIN, COMMIT, SAVEPOINT, RELEASE). Throws sqlite_error.
    void exec_cached(std::string_view sql);

    /// A prepared statement kept for the life of the connection; reset when the returned guard goes away.
    /// Only one guard per SQL text may be alive at a time.
    cached_statement cached(std::string_view sql);

    sqlite3* handle() const noexcept { return db_; }
    std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }
    int changes() const noexcept { return sqlite3_changes(db_); }

  private:
    sqlite3* db_ = nullptr;
    /// Looked up by string_view without building a std::string (heterogeneous lookup).
    struct sql_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept {
            return std::hash<std::string_view>{}(sql);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<statement>, sql_hash, std::equal_to<>> cache_;
};

/// A prepared statement (RAII). Parameters are 1-based like SQLite's; columns are 0-based.
class statement {
  public:
    statement(connection& db, std::string_view sql);
    ~statement();
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    statement& bind(int index, std::string_view text);
    statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    statement& bind(int index, std::int64_t value);
    statement& bind(int index, const std::optional<std::string>& text);
    statement& bind_null(int index);

    /// Advances; true when a row is available, false when done. Throws sqlite_error (incl. constraints).
    bool step();
    /// Resets for re-execution with new bindings.
    void reset();

    std::string column_text(int col) const;
    std::optional<std::string> column_optional_text(int col) const;
    std::int64_t column_int(int col) const;
    bool column_is_null(int col) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// Borrowed use of a connection's cached statement; resets it (bindings cleared, read snapshot released)
/// on destruction.
class cached_statement {
  public:
    explicit cached_statement(statement& s) : s_(&s) {}
    ~cached_statement();
    cached_statement(const cached_statement&) = delete;
    cached_statement& operator=(const cached_statement&) = delete;
    statement* operator->() const noexcept { return s_; }
    statement& operator*() const noexcept { return *s_; }

  private:
    statement* s_;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
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

/// BEGIN ... ROLLBACK on a reader connection: the statements run while it lives see one snapshot of the
/// database (several reads that must agree with each other).
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
