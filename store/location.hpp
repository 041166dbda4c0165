#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dirsync::store {

/// An SQLite store: the database file (its parent directory must exist).
struct sqlite_location {
    std::string path;
};

/// Where a PostgreSQL store lives and how its connections are opened.
struct postgresql_location {
    /// libpq connection keywords and their values (host, port, dbname, user, sslmode, sslrootcert, ...),
    /// without the password.
    std::vector<std::pair<std::string, std::string>> parameters;
    /// Called at each connection for the password (a rotated one is picked up); empty or absent: none.
    /// Throws std::runtime_error naming where the password should have come from.
    std::function<std::optional<std::string>()> password;
    /// Reader connections besides the one writer connection.
    std::size_t pool_size = 8;
    /// Set as the session's statement_timeout; 0: none.
    std::chrono::milliseconds statement_timeout{30'000};
    /// "postgresql://user@host:port/database", for logs and status; never holds the password.
    std::string description;
};

/// Where the store lives: the embedded SQLite file (the default) or a PostgreSQL database.
using location = std::variant<sqlite_location, postgresql_location>;

}  // namespace dirsync::store
