#include "daemon/control_panel.hpp"

#include <filesystem>

#include "common/log.hpp"
#include "daemon/reloader.hpp"
#include "daemon/sync_scheduler.hpp"
#include "directory/directory.hpp"
#include "store/database.hpp"

namespace dirsync::daemon {

namespace {

nlohmann::json strings(const std::vector<std::string>& items) {
    auto out = nlohmann::json::array();
    for (const auto& i : items) out.push_back(i);
    return out;
}

/// The bytes of the store: its file and its write-ahead log.
std::uint64_t store_bytes(const std::string& path) {
    std::uint64_t total = 0;
    for (const auto& file : {path, path + "-wal"}) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(file, ec);
        if (!ec) total += n;
    }
    return total;
}

/// The store's part of the status: its engine and where it lives; for SQLite its file and size.
nlohmann::json store_status(const store::database& db) {
    nlohmann::json out = {{"description", db.description()},
                          {"schema_version", store::database::schema_version()}};
    if (db.engine() == store::engine::sqlite) {
        out["engine"] = "sqlite";
        out["path"] = db.path();
        out["bytes"] = store_bytes(db.path());
    } else {
        out["engine"] = "postgresql";
    }
    return out;
}

}  // namespace

control_panel::control_panel(reloader& reload, const sync_scheduler& scheduler,
                             const directory::tenant_directory& dir, const store::database& db)
    : reload_(reload),
      scheduler_(scheduler),
      dir_(dir),
      db_(db),
      started_(common::now()),
      started_steady_(std::chrono::steady_clock::now()) {}

admin::outcome control_panel::reload(std::string_view actor) {
    common::log_info("reload asked by " + std::string(actor));
    auto report = reload_.reload();
    if (!report.applied) {
        auto errors = nlohmann::json::array();
        for (const auto& d : report.problems.diagnostics)
            errors.push_back(
                {{"file", d.file}, {"line", d.line}, {"column", d.column}, {"message", d.message}});
        return admin::refusal{400, "the configuration is invalid; nothing was changed",
                              "invalid_configuration", nlohmann::json{{"errors", std::move(errors)}}};
    }
    return nlohmann::json{{"reloaded", true},
                          {"changes", strings(report.changes)},
                          {"restartRequired", strings(report.restart_required)}};
}

nlohmann::json control_panel::status() const {
    std::int64_t users = 0;
    const auto usages = dir_.usages();
    for (const auto& u : usages)
        for (const auto& [status, n] : u.by_status) users += n;
    auto sources = nlohmann::json::array();
    for (const auto& s : scheduler_.sources())
        sources.push_back({{"name", s["name"]},
                           {"tenant", s["tenant"]},
                           {"running_run", s["running_run"]},
                           {"last_run", s["last_run"]},
                           {"blocked", s["blocked"]},
                           {"next_run", s["next_run"]}});
    const auto problem = db_.readiness_problem(std::chrono::seconds(10));
    return {{"version", DIRSYNC_VERSION},
            {"started", common::format_rfc3339(started_)},
            {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::steady_clock::now() - started_steady_)
                                   .count()},
            {"tenants", usages.size()},
            {"users", users},
            {"sources", std::move(sources)},
            {"store", store_status(db_)},
            {"ready", !problem},
            {"not_ready", problem ? nlohmann::json(*problem) : nlohmann::json()}};
}

}  // namespace dirsync::daemon
