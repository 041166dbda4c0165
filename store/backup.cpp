#include "store/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "store/sqlite.hpp"

namespace dirsync::store {

namespace {

/// fsyncs `path` (a file, or the directory holding a renamed file).
void sync_path(const std::filesystem::path& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) throw std::system_error(saved, std::generic_category(), "cannot sync " + path.string());
}

}  // namespace

backup_result backup_database(const std::string& source, const std::string& target) {
    namespace fs = std::filesystem;
    if (!fs::exists(source)) throw std::runtime_error("no database at " + source);
    if (fs::exists(target)) throw std::runtime_error(target + " exists; a backup never overwrites a file");
    const fs::path final_path(target);
    const fs::path temporary = final_path.parent_path() / (final_path.filename().string() + ".partial");
    std::error_code ignored;
    fs::remove(temporary, ignored);
    backup_result out;
    try {
        {
            sqlite_connection db(source, true);
            db.exec("PRAGMA busy_timeout = 10000");
            statement vacuum(db, "VACUUM INTO ?1");
            vacuum.bind(1, temporary.string());
            vacuum.step();
        }
        {
            sqlite_connection copy(temporary.string(), true);
            statement check(copy, "PRAGMA quick_check");
            if (!check.step() || check.column_text(0) != "ok")
                throw std::runtime_error("the copy failed its integrity check");
            statement version(copy, "PRAGMA user_version");
            version.step();
            out.schema_version = static_cast<int>(version.column_int(0));
        }
        sync_path(temporary, false);
        fs::rename(temporary, final_path);
        sync_path(final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path(), true);
    } catch (...) {
        fs::remove(temporary, ignored);
        throw;
    }
    out.bytes = fs::file_size(final_path);
    return out;
}

}  // namespace dirsync::store
