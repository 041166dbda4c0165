#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/log.hpp"
#include "store/backend.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/postgresql.hpp"

namespace dirsync::store {

namespace {

/// Held (session level) while one process migrates the schema: others starting at once wait for it, then
/// find the schema current. "dirsyncm" in ASCII.
constexpr const char* migration_lock = "7235441237473354605";

int stored_version(connection& db) {
    statement s(db, "SELECT max(version) FROM dirsync_schema");
    if (!s.step() || s.column_is_null(0)) return 0;
    return static_cast<int>(s.column_int(0));
}

/// Durability: every session runs with synchronous_commit=on, so a COMMIT returns once the server has
/// flushed its WAL (and, with synchronous standbys configured, once they confirmed). The group commit of
/// store::database batches the writes waiting in this process into one transaction; the server's own
/// group commit (commit_delay) batches across processes.
class postgresql_backend final : public backend {
  public:
    explicit postgresql_backend(postgresql_location where) : where_(std::move(where)) {}

    ~postgresql_backend() override {
        std::unique_lock lock(probe_mutex_);
        probe_done_.wait(lock, [this] { return !probing_ && !analyzing_; });
    }

    std::unique_ptr<connection> open_writer() override {
        return std::make_unique<postgresql_connection>(where_, false);
    }
    std::unique_ptr<connection> open_reader() override {
        return std::make_unique<postgresql_connection>(where_, true);
    }

    void migrate(connection& writer) override {
        writer.exec(std::string("SELECT pg_advisory_lock(") + migration_lock + ")");
        try {
            apply_migrations(writer);
        } catch (...) {
            try {
                writer.exec(std::string("SELECT pg_advisory_unlock(") + migration_lock + ")");
            } catch (...) {
                // The session ends with the connection, and its lock with it.
            }
            throw;
        }
        writer.exec(std::string("SELECT pg_advisory_unlock(") + migration_lock + ")");
    }

    /// The server's disk is not ours to measure: a write refused for lack of space marks the store out of
    /// space only until readiness is asked again (each later write that still fails answers 503 itself).
    bool still_out_of_space() const override { return false; }

    /// The last probe's finding, at once: a probe opens a connection, which may take up to connect_timeout
    /// while the server is out of reach, and readiness is answered on an I/O thread. A finding older than
    /// probe_interval starts a new probe on a thread of its own; the store counts as ready until a probe
    /// found otherwise (it was reachable and current when it opened).
    std::optional<std::string> readiness_problem() const override {
        std::lock_guard lock(probe_mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (!probing_ && now - probed_at_ >= probe_interval) {
            probing_ = true;
            std::thread([this] {
                auto problem = probe();
                std::lock_guard done(probe_mutex_);
                problem_ = std::move(problem);
                probed_at_ = std::chrono::steady_clock::now();
                probing_ = false;
                probe_done_.notify_all();
            }).detach();
        }
        return problem_;
    }

    /// How long a probe's finding stands.
    static constexpr std::chrono::milliseconds probe_interval{1000};

    /// The planner chooses indexes from the tables' statistics, and a plan made while a table was empty (a
    /// new database) treats every lookup as cheap: it may scan a tenant's users to find one, which a first
    /// sync of 100,000 users turns quadratic. The server's autovacuum refreshes statistics only after its
    /// nap; so this process refreshes them itself (ANALYZE on a connection and thread of its own; plans made
    /// before are invalidated) each time the rows it changed double, from `first_analyze` on: a few times
    /// while a store grows, rarely once it is steady.
    void committed(std::int64_t rows) override {
        std::lock_guard lock(probe_mutex_);
        changed_rows_ += rows;
        if (analyzing_ || changed_rows_ < next_analyze_) return;
        next_analyze_ = std::max(first_analyze, changed_rows_ * 2);
        analyzing_ = true;
        std::thread([this] {
            const auto began = std::chrono::steady_clock::now();
            std::optional<std::string> failure;
            try {
                postgresql_connection c(where_, false);
                c.exec("ANALYZE");
            } catch (const std::exception& e) {
                failure = e.what();
            }
            std::lock_guard done(probe_mutex_);
            if (failure) {
                common::log_warning("PostgreSQL: refreshing the planner's statistics failed: " + *failure);
            } else {
                common::log_debug("PostgreSQL: planner statistics refreshed after " +
                                  std::to_string(changed_rows_) + " changed rows, in " +
                                  std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::steady_clock::now() - began)
                                                     .count()) +
                                  " ms");
            }
            analyzing_ = false;
            probe_done_.notify_all();
        }).detach();
    }

    static constexpr std::int64_t first_analyze = 1000;

    std::string path() const override { return {}; }
    std::string description() const override { return "PostgreSQL " + where_.description; }

  private:
    std::optional<std::string> probe() const {
        try {
            postgresql_connection probe(where_, true);
            return schema_version_problem(stored_version(probe));
        } catch (const std::exception& e) {
            return std::string("the store cannot be read: ") + e.what();
        }
    }

    void apply_migrations(connection& writer) {
        writer.exec(
            "CREATE TABLE IF NOT EXISTS dirsync_schema (version INTEGER NOT NULL, applied_ms BIGINT NOT "
            "NULL DEFAULT (extract(epoch FROM now()) * 1000)::bigint)");
        const int current = stored_version(writer);
        const int known = database::schema_version();
        if (current > known)
            throw std::runtime_error("database " + where_.description + " has schema version " +
                                     std::to_string(current) + ", newer than this dirsyncd knows (" +
                                     std::to_string(known) + "); refusing to open it");
        for (const auto& step : postgresql_migrations()) {
            if (step.version <= current) continue;
            transaction tx(writer);
            writer.exec(step.sql);
            statement record(writer, "INSERT INTO dirsync_schema (version) VALUES (?1)");
            record.bind(1, static_cast<std::int64_t>(step.version));
            record.step();
            tx.commit();
        }
    }

    postgresql_location where_;
    mutable std::mutex probe_mutex_;
    mutable std::condition_variable probe_done_;
    mutable bool probing_ = false;                               ///< a probe thread runs
    mutable std::chrono::steady_clock::time_point probed_at_{};  ///< when the last probe ended
    mutable std::optional<std::string> problem_;                 ///< its finding
    bool analyzing_ = false;                                     ///< an ANALYZE thread runs
    std::int64_t changed_rows_ = 0;                              ///< by this process's commits
    std::int64_t next_analyze_ = first_analyze;
};

}  // namespace

std::unique_ptr<backend> make_postgresql_backend(const postgresql_location& where) {
    return std::make_unique<postgresql_backend>(where);
}

}  // namespace dirsync::store
