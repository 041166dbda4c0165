#pragma once

#include <string>
#include <vector>

namespace dirsync::store {

/// SQLite schema migrations in order: element N brings a database from `user_version` N to N+1. Applied at
/// open, in one transaction. Never edit a released step; append a new one (and its PostgreSQL twin).
const std::vector<std::string>& sqlite_migrations();

/// One PostgreSQL migration: the schema version it brings the database to, and its SQL.
struct versioned_step {
    int version;
    std::string sql;
};

/// PostgreSQL schema migrations in order. The first creates the whole schema of the version PostgreSQL
/// stores began at; each later one follows the SQLite step of the same version. The last version equals
/// the number of SQLite steps.
const std::vector<versioned_step>& postgresql_migrations();

}  // namespace dirsync::store
