// dirsyncd: the directory-synchronization daemon.
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/app.hpp"
#include "daemon/command_line.hpp"
#include "daemon/copy_store_command.hpp"
#include "daemon/sync_command.hpp"

namespace {

constexpr std::string_view usage = R"(usage: dirsyncd --config FILE
       dirsyncd --check-config FILE
       dirsyncd sync --config FILE --source NAME [--dry-run] [--full | --incremental] [--json]
                     [--no-progress]
       dirsyncd copy-store --from SQLITE_FILE --config FILE

Keeps tenant user records in step with identity providers (SCIM 2.0 push) and directories.

options:
  -c, --config FILE        run the daemon with this YAML configuration
      --check-config FILE  validate the configuration, print every problem as file:line:column, and exit
                           0 when it is valid, 1 when it is not
  sync                     run one sync source once in this process and print the plan or the result
                           (see dirsyncd sync --help)
  copy-store               copy an SQLite store into the empty PostgreSQL database of the configuration
                           and verify every table (see dirsyncd copy-store --help)
      --credentials-directory DIR
                           read `credential:` secrets from DIR, as the systemd unit's $CREDENTIALS_DIRECTORY
                           (for --check-config and sync from a shell; secrets never go on the command line)
  -h, --help               show this help
      --version            show the version

Signals: SIGTERM/SIGINT stop accepting connections, finish in-flight requests and exit 0; a second one
stops at once. SIGHUP reads the configuration file again and applies it without dropping a request
(an invalid file changes nothing; listen address, threads, TLS and storage need a restart).
Exit status: 0 after a clean stop, 1 when start-up fails (e.g. the address is in use), 2 for a usage
error, 78 when the configuration is invalid (--check-config: 1).
See examples/dirsyncd.yaml for a commented configuration.
)";

/// Takes `--credentials-directory DIR` (anywhere, any mode) out of `args` and makes DIR the process's
/// $CREDENTIALS_DIRECTORY, where `credential:` secrets are read: what systemd gives the unit, for
/// --check-config and one-shot runs from a shell. Before any thread starts. Returns false (with `error`)
/// for the flag without a directory.
bool take_credentials_directory(std::vector<std::string>& args, std::string& error) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string dir;
        if (args[i] == "--credentials-directory") {
            if (i + 1 >= args.size()) {
                error = "--credentials-directory needs a directory";
                return false;
            }
            dir = args[i + 1];
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                       args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        } else if (args[i].starts_with("--credentials-directory=")) {
            dir = args[i].substr(std::string_view("--credentials-directory=").size());
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            continue;
        }
        ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
        --i;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using dirsync::daemon::usage_error;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (std::string error; !take_credentials_directory(args, error)) return usage_error("", error);
    if (!args.empty() && args.front() == "sync")
        return dirsync::daemon::sync_command(std::vector<std::string>(args.begin() + 1, args.end()));
    if (!args.empty() && args.front() == "copy-store")
        return dirsync::daemon::copy_store_command(std::vector<std::string>(args.begin() + 1, args.end()));
    std::string config_file;
    bool check_only = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        auto value = [&](std::string_view name) -> const char* {
            if (i + 1 >= args.size()) return nullptr;
            (void)name;
            return args[++i].c_str();
        };
        if (arg == "-h" || arg == "--help") {
            std::cout << usage;
            return 0;
        } else if (arg == "--version") {
            std::cout << "dirsyncd " DIRSYNC_VERSION "\n";
            return 0;
        } else if (arg == "-c" || arg == "--config" || arg == "--check-config") {
            const char* v = value(arg);
            if (!v) return usage_error("", std::string(arg) + " needs a file");
            if (!config_file.empty()) return usage_error("", "only one configuration file may be given");
            config_file = v;
            check_only |= arg == "--check-config";
        } else if (arg.starts_with("--config=")) {
            config_file = std::string(arg.substr(9));
        } else if (arg.starts_with("--check-config=")) {
            config_file = std::string(arg.substr(15));
            check_only = true;
        } else {
            return usage_error("", "unknown argument '" + std::string(arg) + "'");
        }
    }
    if (config_file.empty()) return usage_error("", "no configuration file given: use --config FILE");

    auto settings = dirsync::daemon::load_checked_settings(config_file);
    if (!settings) return check_only ? 1 : dirsync::daemon::exit_config_error;
    if (check_only) {
        std::cout << config_file << ": configuration is valid\n";
        return 0;
    }
    return dirsync::daemon::run(*settings, config_file);
}
