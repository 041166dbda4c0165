#include "store/connection.hpp"

#include <string>

namespace dirsync::store {

storage_full::storage_full(const std::string& what)
    : common::temporarily_unavailable(
          "the storage of the service is full: the change was not saved; retry later",
          storage_full_retry_after, what) {}

database_unreachable::database_unreachable(const std::string& what)
    : common::temporarily_unavailable(
          "the database of the service cannot be reached: the change was not saved; retry later",
          database_unreachable_retry_after, what) {}

cached_statement connection::cached(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
        it = cache_.emplace(std::string(sql), std::make_unique<statement>(*this, sql, true)).first;
    return cached_statement(*it->second);
}

void connection::exec_cached(std::string_view sql) { cached(sql)->step(); }

transaction::transaction(connection& db) : db_(db) { db_.begin_write(); }

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

read_snapshot::read_snapshot(connection& db) : db_(db) { db_.begin_read(); }

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
