#pragma once

#include <cstdint>
#include <string>

namespace dirsync::store {

/// What a backup wrote.
struct backup_result {
    std::uint64_t bytes = 0;  ///< size of the backup file
    int schema_version = 0;   ///< of the copied database
};

/// Copies the database at `source` into the new file `target` while the daemon (another process, or this
/// one) keeps writing: `VACUUM INTO` runs in one read transaction, so the copy holds every write committed
/// before it began and none after (WAL readers never block the writer). The copy is made under a temporary
/// name next to `target`, checked (`PRAGMA quick_check`), synced and renamed into place, so `target` is
/// either absent or a whole, consistent database. Throws std::runtime_error (store::database_error) naming
/// what failed; refuses an existing `target` and leaves nothing behind on failure.
backup_result backup_database(const std::string& source, const std::string& target);

}  // namespace dirsync::store
