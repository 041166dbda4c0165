#include "ctl/backup_command.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string_view>

#include "store/backup.hpp"

namespace dirsync::ctl {

namespace {

constexpr std::string_view usage = R"(usage: dirsyncctl backup FILE [--store PATH | --config FILE]

  Copies the daemon's SQLite store into FILE while the daemon keeps serving: the copy holds every write
  acknowledged before the backup began. FILE must not exist; it appears only once it is whole and checked.

options:
  --store PATH    the store (else storage.sqlite of the configuration; a relative path there is taken
                  from the current directory, as the daemon takes it from its own)
  --config FILE   the daemon's configuration (else $DIRSYNCD_CONFIG, else /etc/dirsyncd/dirsyncd.yaml)

Restore: stop the daemon, copy FILE to storage.sqlite (removing its -wal and -shm files), start the daemon.

exit status: 0 written, 1 failed, 2 usage error.
)";

int usage_error(const std::string& message) {
    std::cerr << "dirsyncctl backup: " << message << " (see dirsyncctl backup --help)\n";
    return 2;
}

/// storage.sqlite of the configuration `file`, or nullopt with `error`.
std::optional<std::string> store_of(const std::string& file, std::string& error) {
    try {
        const YAML::Node root = YAML::LoadFile(file);
        if (auto storage = root["storage"]; storage && storage.IsMap())
            if (auto sqlite = storage["sqlite"]; sqlite && sqlite.IsScalar()) return sqlite.as<std::string>();
        if (auto storage = root["storage"]; storage && storage.IsMap() && storage["postgresql"])
            error = file +
                    " keeps the store in PostgreSQL: back it up with the server's tools (pg_dump, "
                    "continuous archiving; see docs/postgresql.md)";
        else
            error = file + " has no storage.sqlite";
    } catch (const YAML::BadFile&) {
        error = "cannot read the configuration " + file;
    } catch (const YAML::Exception& e) {
        error = file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": " + e.msg;
    }
    return std::nullopt;
}

}  // namespace

int backup_command(const std::vector<std::string>& args) {
    std::optional<std::string> target, store, config;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << usage;
            return 0;
        }
        auto value = [&](std::optional<std::string>& slot, std::string_view name) {
            if (a.starts_with(std::string(name) + "=")) {
                slot = a.substr(name.size() + 1);
                return true;
            }
            if (a != name) return false;
            if (i + 1 < args.size()) slot = args[++i];
            return true;
        };
        if (value(store, "--store") || value(config, "--config") || value(config, "-c")) {
            if ((a == "--store" && !store) || ((a == "--config" || a == "-c") && !config))
                return usage_error(a + " needs a value");
            continue;
        }
        if (a.starts_with("-")) return usage_error("unknown option '" + a + "'");
        if (target) return usage_error("one backup file only");
        target = a;
    }
    if (!target) return usage_error("no backup file given");
    if (!store) {
        if (!config)
            if (const char* c = std::getenv("DIRSYNCD_CONFIG"); c && *c) config = c;
        std::string error;
        store = store_of(config.value_or("/etc/dirsyncd/dirsyncd.yaml"), error);
        if (!store) {
            std::cerr << "dirsyncctl backup: " << error << " (give the store with --store PATH)\n";
            return 1;
        }
    }
    try {
        const auto written = store::backup_database(*store, *target);
        std::cout << "backed up " << *store << " to " << *target << " (" << written.bytes
                  << " bytes, schema version " << written.schema_version << ")\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dirsyncctl backup: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace dirsync::ctl
