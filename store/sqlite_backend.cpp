#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "store/backend.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"

namespace dirsync::store {

namespace {

constexpr int busy_timeout_ms = 10'000;

int user_version(connection& db) {
    statement s(db, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.column_int(0));
}

std::filesystem::path directory_of(const std::string& path) {
    auto directory = std::filesystem::path(path).parent_path();
    return directory.empty() ? std::filesystem::path(".") : directory;
}

/// Durability: the file runs in WAL mode with `synchronous=FULL`, so COMMIT returns only after the WAL has
/// been fsync'ed: durable against a crash of the process and against power loss of the machine (NORMAL
/// would survive the former but could lose the last transactions to the latter). Checkpoints run
/// automatically. SQLite allows one writer at a time; readers see the last committed state and never block
/// it (WAL snapshot isolation).
class sqlite_backend final : public backend {
  public:
    explicit sqlite_backend(std::string path) : path_(std::move(path)) {}

    std::unique_ptr<connection> open_writer() override {
        auto c = std::make_unique<sqlite_connection>(path_, false);
        c->exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
        // Another process opening the same new file may hold the lock a journal-mode change needs, and
        // SQLite does not always wait for it (a busy handler is not called where it could deadlock): such a
        // busy open is tried again until busy_timeout has passed.
        retry_while_busy([&] {
            c->exec("PRAGMA journal_mode = WAL");
            c->exec("PRAGMA synchronous = FULL");
        });
        // Statement and savepoint journals (each write that shares a transaction runs in a savepoint) in
        // memory: on disk, each was a temporary file created, unlinked and closed per write. They hold the
        // pages one write changes.
        c->exec("PRAGMA temp_store = MEMORY");
        return c;
    }

    std::unique_ptr<connection> open_reader() override {
        auto c = std::make_unique<sqlite_connection>(path_, false);
        c->exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
        c->exec("PRAGMA query_only = 1");
        return c;
    }

    void migrate(connection& writer) override {
        // Foreign keys are enforced once the schema is current: a migration that rebuilds a table (SQLite's
        // way to change a constraint) drops the old one, which must not cascade to the rows that refer to it.
        writer.exec("PRAGMA foreign_keys = OFF");
        retry_while_busy([&] { apply_migrations(writer); });
        writer.exec("PRAGMA foreign_keys = ON");
    }

    bool still_out_of_space() const override {
        struct statvfs fs {};
        if (::statvfs(directory_of(path_).c_str(), &fs) != 0) return true;
        return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < database::min_free_bytes;
    }

    std::optional<std::string> readiness_problem() const override {
        // Asked of the file system with this process's effective ids (a read-only mount fails it for root
        // too): an SQLite connection opened afresh could reuse a descriptor the process already holds, and
        // would not see a permission taken away since.
        const auto directory = directory_of(path_);
        for (const auto& file : {std::filesystem::path(path_), directory})
            if (::faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0)
                return (file == directory ? "the directory " : "the store ") + file.string() +
                       " is not writable by this process (read-only): " + std::strerror(errno);
        try {
            sqlite_connection probe(path_, true);
            sqlite3_busy_timeout(probe.handle(), 1000);
            if (auto problem = schema_version_problem(user_version(probe))) return problem;
        } catch (const std::exception& e) {
            return std::string("the store cannot be read: ") + e.what();
        }
        return std::nullopt;
    }

    std::string path() const override { return path_; }
    std::string description() const override { return "SQLite file " + path_; }

  private:
    template <class Fn>
    static void retry_while_busy(Fn&& fn) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
        for (;;) {
            try {
                fn();
                return;
            } catch (const database_error& e) {
                const int primary = e.code() & 0xff;
                if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
                    std::chrono::steady_clock::now() >= deadline)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    }

    /// The version is read inside the write transaction that applies the steps: a second process opening
    /// the same new (or just upgraded) file waits for this one (busy_timeout) and then finds the schema
    /// current, instead of applying the same steps again ("table tenants already exists").
    void apply_migrations(connection& writer) {
        const auto& steps = sqlite_migrations();
        transaction tx(writer);
        const int current = user_version(writer);
        if (current > static_cast<int>(steps.size()))
            throw std::runtime_error("database " + path_ + " has schema version " + std::to_string(current) +
                                     ", newer than this dirsyncd knows (" + std::to_string(steps.size()) +
                                     "); refusing to open it");
        for (int v = current; v < static_cast<int>(steps.size()); ++v)
            writer.exec(steps[static_cast<std::size_t>(v)]);
        if (current != static_cast<int>(steps.size()))
            writer.exec("PRAGMA user_version = " + std::to_string(steps.size()));
        tx.commit();
    }

    std::string path_;
};

}  // namespace

std::unique_ptr<backend> make_sqlite_backend(const std::string& path) {
    return std::make_unique<sqlite_backend>(path);
}

}  // namespace dirsync::store
