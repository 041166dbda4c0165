#include "store/sqlite.hpp"

#include <cerrno>
#include <string>

namespace dirsync::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw_sqlite_error(db ? sqlite3_extended_errcode(db) : rc, db ? sqlite3_system_errno(db) : 0, msg);
}

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

class sqlite_statement final : public statement_impl {
  public:
    sqlite_statement(sqlite3* db, std::string_view sql, bool persistent) : db_(db) {
        int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    }
    ~sqlite_statement() override { sqlite3_finalize(stmt_); }
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;

    void bind_text(int index, std::string_view text) override {
        // An empty view may have no data pointer, which SQLite would bind as NULL: text is always text.
        int rc = sqlite3_bind_text(stmt_, index, text.data() ? text.data() : "",
                                   static_cast<int>(text.size()), SQLITE_TRANSIENT);
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    void bind_int(int index, std::int64_t value) override {
        int rc = sqlite3_bind_int64(stmt_, index, value);
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    void bind_null(int index) override {
        int rc = sqlite3_bind_null(stmt_, index);
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    bool step() override {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, "step");
    }
    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::string column_text(int col) const override {
        auto p = sqlite3_column_text(stmt_, col);
        auto n = sqlite3_column_bytes(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    std::int64_t column_int(int col) const override { return sqlite3_column_int64(stmt_, col); }
    bool column_is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

void throw_sqlite_error(int code, int system_errno, const std::string& what) {
    const int primary = code & 0xff;
    if (primary == SQLITE_FULL ||
        (primary == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EDQUOT)))
        throw storage_full(what);
    throw database_error(code, primary == SQLITE_CONSTRAINT, what);
}

sqlite_connection::sqlite_connection(const std::string& path, bool read_only) {
    configure_sqlite();
    int flags =
        SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg =
            "cannot open SQLite database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw database_error(rc, false, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
}

sqlite_connection::~sqlite_connection() {
    drop_statements();
    sqlite3_close_v2(db_);
}

void sqlite_connection::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw_sqlite_error(sqlite3_extended_errcode(db_), sqlite3_system_errno(db_), "SQL failed: " + msg);
    }
}

std::unique_ptr<statement_impl> sqlite_connection::prepare(std::string_view sql, bool persistent) {
    return std::make_unique<sqlite_statement>(db_, sql, persistent);
}

void sqlite_connection::begin_write() { exec_cached("BEGIN IMMEDIATE"); }

void sqlite_connection::begin_read() { exec_cached("BEGIN DEFERRED"); }

}  // namespace dirsync::store
