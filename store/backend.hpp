#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "store/connection.hpp"
#include "store/location.hpp"

namespace dirsync::store {

/// What store::database needs from one engine: its connections, its schema, and its health. The group
/// commit, the reader pool and the transactions above them are the same for every engine.
class backend {
  public:
    virtual ~backend() = default;

    /// A connection for the one writer, ready for begin_write.
    virtual std::unique_ptr<connection> open_writer() = 0;
    /// A connection for reads only.
    virtual std::unique_ptr<connection> open_reader() = 0;
    /// Brings the schema to database::schema_version() on `writer`, safely when several processes open the
    /// same database at once; refuses a newer schema. Throws database_error / std::runtime_error.
    virtual void migrate(connection& writer) = 0;
    /// Told after each commit how many rows it changed. An engine whose planner needs statistics refreshes
    /// them as the data grows (never on the caller's thread); the default does nothing.
    virtual void committed(std::int64_t rows) { (void)rows; }
    /// After a write failed for lack of space and none committed since: whether space is still short.
    virtual bool still_out_of_space() const = 0;
    /// Why the database cannot take writes now (not writable, unreachable, other schema), or nullopt.
    virtual std::optional<std::string> readiness_problem() const = 0;
    /// The SQLite file's path; empty for a server.
    virtual std::string path() const = 0;
    /// "SQLite file /var/lib/dirsyncd/dirsync.db", "PostgreSQL postgresql://dirsync@db:5432/dirsync".
    virtual std::string description() const = 0;
};

/// For readiness: why a store whose schema is at `version` cannot be used by this binary, or nullopt.
std::optional<std::string> schema_version_problem(int version);

/// The SQLite file at `path` (its parent directory must exist), in WAL mode with synchronous=FULL.
std::unique_ptr<backend> make_sqlite_backend(const std::string& path);
/// The PostgreSQL database at `where`.
std::unique_ptr<backend> make_postgresql_backend(const postgresql_location& where);

}  // namespace dirsync::store
