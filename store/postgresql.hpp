#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/location.hpp"

namespace dirsync::store {

/// An open connection to a PostgreSQL server (RAII), through libpq. The session runs with
/// `synchronous_commit=on` (a COMMIT returns once the server flushed its WAL), UTF-8, UTC, and the location's
/// statement_timeout; a reader's session is read-only. SQL written with SQLite's `?N` parameters is rewritten
/// to `$N`; parameters are sent as text and typed by the server from their use.
class postgresql_connection final : public connection {
  public:
    /// Connects. Throws database_unreachable when the server cannot be reached or refuses the login.
    postgresql_connection(const postgresql_location& where, bool read_only);
    ~postgresql_connection() override;

    store::engine engine() const noexcept override { return engine::postgresql; }
    void exec(std::string_view sql) override;
    std::unique_ptr<statement_impl> prepare(std::string_view sql, bool persistent) override;
    /// Through a cursor (DECLARE ... NO SCROLL CURSOR, then FETCH FORWARD in batches), so a scan of 100,000
    /// rows does not arrive as one result held whole in memory. The cursor ends with its transaction.
    std::unique_ptr<statement_impl> prepare_scan(std::string_view sql) override;
    /// lastval(): the identity value the last INSERT of this session drew.
    std::int64_t last_insert_rowid() override;
    int changes() const noexcept override { return changes_; }
    std::int64_t total_changes() const noexcept override { return total_changes_; }
    /// BEGIN, then the transaction-level advisory lock every writer of the database takes: one write
    /// transaction at a time across all processes, each seeing every earlier one committed. Both are sent
    /// with the transaction's first statement, in one round trip (start_pending).
    void begin_write() override;
    /// BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY: one snapshot for every statement inside (taken at
    /// the first, with which it is sent). A transaction that ran no statement ends without a round trip.
    void begin_read() override;
    bool in_transaction() const noexcept override;
    bool broken() const noexcept override;

    PGconn* handle() const noexcept { return conn_; }

    /// Throws what a failed `result` (or a failed call without one) means: database_unreachable for a lost
    /// or shutting-down server, storage_full for a full disk, database_error otherwise (a constraint
    /// violation marked as one). Clears `result`.
    [[noreturn]] void fail(PGresult* result, std::string_view what);
    /// Counts the rows `result` (a finished INSERT, UPDATE or DELETE) changed, for changes().
    void count_changes(const PGresult* result) noexcept;
    /// A name for the next persistent prepared statement of this session.
    std::string next_statement_name() { return "dirsync_" + std::to_string(++statements_); }
    /// A number for the next scan cursor of this session.
    std::uint64_t next_cursor_number() noexcept { return ++cursors_; }

    /// Whether commands wait to be sent with the next statement (start_pending).
    bool has_pending() const noexcept { return !pending_.empty(); }
    /// Whether the transaction's BEGIN is among them: the server has not seen the transaction yet.
    bool unbegun() const noexcept { return unbegun_; }
    /// Forgets the pending commands: those of a transaction that ran no statement (its COMMIT or ROLLBACK
    /// has nothing to end), or savepoint commands of a transaction being rolled back.
    void drop_pending() noexcept {
        pending_.clear();
        unbegun_ = false;
    }
    /// Inside a transaction, SAVEPOINT, RELEASE and ROLLBACK TO wait to be sent with the next statement (they
    /// answer nothing the caller reads; a failure among them fails that statement). True when `sql` is
    /// one and was kept.
    bool defer(std::string_view sql);
    /// The first half of sending the pending commands (BEGIN and the writer's lock) with the caller's query
    /// in one round trip: enters libpq's pipeline mode and queues the pending commands (throws, the
    /// connection broken, when it cannot). The caller then queues its own query (PQsendQueryParams or
    /// PQsendQueryPrepared) and calls finish_pending.
    void start_pending();
    /// Sends what start_pending and the caller queued (`queued_by_caller`: whether the caller's query was
    /// queued), reads every result and returns the caller's, which the caller owns; without the caller's
    /// query, returns nullptr. The server runs them in order and skips the rest after a failure; this throws
    /// what the first failure means (fail()). A connection left in an unknown protocol state is broken().
    PGresult* finish_pending(bool queued_by_caller);

  private:
    PGconn* conn_ = nullptr;
    std::vector<std::string> pending_;  ///< commands to send before the next statement, in order
    bool unbegun_ = false;
    bool broken_ = false;
    int changes_ = 0;
    std::int64_t total_changes_ = 0;
    std::uint64_t statements_ = 0;
    std::uint64_t cursors_ = 0;
};

/// `sql` with SQLite's parameters (`?N`, and bare `?` numbered from 1 in order) written as PostgreSQL's
/// `$N`, string literals, quoted identifiers and comments left alone; the highest parameter number; and
/// which numbers up to it appear (SQL built from optional parts may skip some, whose type the server cannot
/// infer: they are declared text).
struct rewritten_sql {
    std::string text;
    int parameters = 0;
    std::vector<bool> used;  ///< [N-1]: $N appears
};
rewritten_sql rewrite_parameters(std::string_view sql);

}  // namespace dirsync::store
