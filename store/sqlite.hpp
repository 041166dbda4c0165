#pragma once

#include <sqlite3.h>

#include <string>

#include "store/connection.hpp"

namespace dirsync::store {

/// Throws storage_full when `code` (an extended result code) and `system_errno` (sqlite3_system_errno) say
/// the file system is full, otherwise database_error(code, what).
[[noreturn]] void throw_sqlite_error(int code, int system_errno, const std::string& what);

/// An open SQLite connection to a database file (RAII).
class sqlite_connection final : public connection {
  public:
    /// Opens `path` (creating it when `read_only` is false). Throws database_error.
    sqlite_connection(const std::string& path, bool read_only);
    ~sqlite_connection() override;

    store::engine engine() const noexcept override { return engine::sqlite; }
    void exec(std::string_view sql) override;
    std::unique_ptr<statement_impl> prepare(std::string_view sql, bool persistent) override;
    std::int64_t last_insert_rowid() override { return sqlite3_last_insert_rowid(db_); }
    int changes() const noexcept override { return sqlite3_changes(db_); }
    std::int64_t total_changes() const noexcept override { return sqlite3_total_changes64(db_); }
    /// BEGIN IMMEDIATE: takes the file's write lock now (another process waits for it, busy_timeout).
    void begin_write() override;
    void begin_read() override;
    bool in_transaction() const noexcept override { return sqlite3_get_autocommit(db_) == 0; }

    sqlite3* handle() const noexcept { return db_; }

  private:
    sqlite3* db_ = nullptr;
};

}  // namespace dirsync::store
