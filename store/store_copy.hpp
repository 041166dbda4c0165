#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/location.hpp"

namespace dirsync::store {

/// One table as copied: its rows and the SHA-256 (hex) of its rows in a fixed order, equal on both sides.
struct copied_table {
    std::string name;
    std::int64_t rows = 0;
    std::string checksum;
};

/// Copies every table of the SQLite store at `source` into the PostgreSQL database at `target`, then reads
/// both back and compares each table's row count and checksum. The source is migrated to the current schema
/// first (as the daemon would at its next start) and read in one snapshot; the target gets the current
/// schema and must hold no records (refused otherwise, nothing written); the copy is one transaction, so a
/// failure leaves the target as it was. Stop every dirsyncd writing to the source first: writes after the
/// snapshot are not copied. `progress(table, rows)` is told after each table. Throws std::runtime_error
/// (database_error, database_unreachable) naming what failed and, for a mismatch, the table.
std::vector<copied_table> copy_sqlite_to_postgresql(
    const std::string& source, const postgresql_location& target,
    const std::function<void(const std::string&, std::int64_t)>& progress = {});

}  // namespace dirsync::store
