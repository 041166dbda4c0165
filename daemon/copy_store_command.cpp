#include "daemon/copy_store_command.hpp"

#include <iostream>
#include <optional>
#include <variant>

#include "daemon/command_line.hpp"
#include "daemon/store_setup.hpp"
#include "store/store_copy.hpp"

namespace dirsync::daemon {

namespace {

constexpr const char* usage =
    "usage: dirsyncd copy-store --from FILE --config FILE\n"
    "\n"
    "Moves an installation from SQLite to PostgreSQL: copies every table of the SQLite store FILE into the\n"
    "PostgreSQL database named by storage.postgresql of the configuration, then reads both back and "
    "compares\n"
    "each table's rows and checksum. The database must be empty (a new one; the schema is created); the "
    "copy\n"
    "is one transaction, so a failure leaves it empty. Stop every dirsyncd using FILE first. FILE is\n"
    "migrated to this version's schema first, as the daemon would at its next start.\n"
    "\n"
    "  -f, --from FILE     the SQLite store (storage.sqlite of the old configuration)\n"
    "  -c, --config FILE   the new configuration, with storage.postgresql\n"
    "\n"
    "exit status: 0 copied and verified, 1 failed (nothing kept), 2 usage error, 78 invalid configuration.\n";

}  // namespace

int copy_store_command(const std::vector<std::string>& args) {
    std::optional<std::string> config_file, from;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string a = args[i];
        auto value = [&] { return option_value(args, i); };
        if (a == "-h" || a == "--help") {
            std::cout << usage;
            return 0;
        } else if (a == "-c" || a == "--config" || a.starts_with("--config=")) {
            if (!(config_file = value())) return usage_error("copy-store", a + " needs a file");
        } else if (a == "-f" || a == "--from" || a.starts_with("--from=")) {
            if (!(from = value())) return usage_error("copy-store", a + " needs the SQLite file");
        } else {
            return usage_error("copy-store", "unknown argument '" + a + "'");
        }
    }
    if (!config_file) return usage_error("copy-store", "no configuration file given: use --config FILE");
    if (!from) return usage_error("copy-store", "no SQLite store given: use --from FILE");

    auto settings = load_checked_settings(*config_file);
    if (!settings) return exit_config_error;
    if (!settings->storage.postgresql) {
        std::cerr << "dirsyncd copy-store: " << *config_file
                  << " has no storage.postgresql: the copy goes into the PostgreSQL database it names\n";
        return 2;
    }
    const auto target = std::get<store::postgresql_location>(prepare_store_location(settings->storage));
    try {
        std::int64_t total = 0;
        const auto tables =
            store::copy_sqlite_to_postgresql(*from, target, [&](const std::string& table, std::int64_t rows) {
                std::cerr << "copied " << table << ": " << rows << " rows\n";
                total += rows;
            });
        for (const auto& t : tables) std::cout << t.name << "\t" << t.rows << "\t" << t.checksum << "\n";
        std::cout << "copied " << total << " rows in " << tables.size() << " tables from " << *from << " to "
                  << target.description << "; every table verified (rows and checksum)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dirsyncd copy-store: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace dirsync::daemon
