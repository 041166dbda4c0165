#include "daemon/sync_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "common/log.hpp"
#include "config/load.hpp"
#include "config/schema_section.hpp"
#include "daemon/command_line.hpp"
#include "daemon/progress_display.hpp"
#include "daemon/source_access.hpp"
#include "daemon/store_setup.hpp"
#include "directory/directory.hpp"
#include "store/database.hpp"
#include "sync/plan_text.hpp"
#include "sync/run_log.hpp"
#include "sync/source_check.hpp"
#include "sync/source_runner.hpp"

namespace dirsync::daemon {

namespace {

constexpr const char* usage =
    "usage: dirsyncd sync --config FILE --source NAME [--dry-run] [--full | --incremental] [--json]\n"
    "                     [--no-progress]\n"
    "\n"
    "Runs one source once, in this process, and prints what it did (or, with --dry-run, what it would do:\n"
    "creates, updates with before/after values, orphans, and why the run would be blocked) without writing.\n"
    "\n"
    "  -c, --config FILE   the daemon's configuration\n"
    "  -s, --source NAME   the source to run (see sources: in the configuration)\n"
    "      --dry-run       plan only; nothing is written (the run is still recorded in the history)\n"
    "      --full          read the whole source (the default when no incremental state exists)\n"
    "      --incremental   read only what changed since the last run\n"
    "      --json          print {\"run\": ..., \"plan\": ...} as JSON\n"
    "      --no-progress   no progress on stderr (by default, unless --json: a line redrawn on a\n"
    "                      terminal, else one every 5 seconds: phase, entries or changes, per second,\n"
    "                      time left)\n"
    "\n"
    "One run per source at a time, whoever starts it: while the daemon (or another dirsyncd sync) runs the\n"
    "source, this one does not start.\n"
    "\n"
    "exit status: 0 ok, 1 the run failed, 2 usage error, 3 the run was blocked by the safety rules,\n"
    "4 the source is being run elsewhere, 78 invalid configuration.\n";

}  // namespace

int sync_command(const std::vector<std::string>& args) {
    std::optional<std::string> config_file, source_name;
    sync::run_options request;
    request.trigger = "cli";
    bool json = false;
    bool show_progress = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string a = args[i];
        auto value = [&] { return option_value(args, i); };
        if (a == "-h" || a == "--help") {
            std::cout << usage;
            return 0;
        } else if (a == "-c" || a == "--config" || a.starts_with("--config=")) {
            if (!(config_file = value())) return usage_error("sync", a + " needs a file");
        } else if (a == "-s" || a == "--source" || a.starts_with("--source=")) {
            if (!(source_name = value())) return usage_error("sync", a + " needs a source name");
        } else if (a == "--dry-run") {
            request.dry_run = true;
        } else if (a == "--full") {
            request.mode = sync::run_mode::full;
        } else if (a == "--incremental") {
            request.mode = sync::run_mode::incremental;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--no-progress") {
            show_progress = false;
        } else {
            return usage_error("sync", "unknown argument '" + a + "'");
        }
    }
    if (!config_file) return usage_error("sync", "no configuration file given: use --config FILE");
    if (!source_name) return usage_error("sync", "no source given: use --source NAME");

    auto settings = load_checked_settings(*config_file);
    if (!settings) return exit_config_error;
    const config::source_settings* source = nullptr;
    std::string known;
    for (const auto& s : settings->sources) {
        if (s.name == *source_name) source = &s;
        known += (known.empty() ? "" : ", ") + s.name;
    }
    if (!source)
        return usage_error(
            "sync", "no source '" + *source_name + "' in " + *config_file +
                        (known.empty() ? std::string(" (it declares none)") : " (known: " + known + ")"));
    if (json)
        common::set_log_level(common::log_level::warning);
    else
        common::set_log_level(settings->logging.level);

    try {
        store::database db(prepare_store_location(settings->storage));
        directory::tenant_directory dir(db, config::served_schemas(settings->schemas),
                                        {settings->storage.max_resource_bytes});
        register_tenants(dir, *settings);
        sync::run_log log(db);
        std::vector<config::diagnostic> problems;
        auto mapper = sync::compile_source(*settings, *source, problems);
        if (!mapper) {
            std::cerr << "dirsyncd sync: invalid mapping rules"
                      << (problems.empty() ? std::string() : ": " + problems.front().message) << '\n';
            return exit_config_error;
        }
        sync::source_runner runner(*source, access_for(*source, *mapper), *mapper, dir, log);
        sync::run_progress progress;
        request.progress = &progress;
        sync::run_outcome out;
        {
            std::optional<progress_display> display;
            if (show_progress && !json)
                display.emplace(progress, source->name, stderr, ::isatty(STDERR_FILENO) == 1);
            out = runner.run(request);
        }
        if (out.busy) {
            std::cerr << "dirsyncd sync: " << out.busy->message << '\n';
            return 4;
        }
        auto record = log.get_run(out.id);
        if (json) {
            nlohmann::json plan_json = out.plan ? sync::to_json(*out.plan) : nlohmann::json();
            std::cout << nlohmann::json{{"run", record ? sync::to_json(*record) : nlohmann::json()},
                                        {"plan", std::move(plan_json)}}
                             .dump(2)
                      << '\n';
        } else {
            std::printf("run %lld of %s (%s%s): %s\n", static_cast<long long>(out.id), source->name.c_str(),
                        std::string(sync::to_string(out.mode)).c_str(), request.dry_run ? ", dry run" : "",
                        std::string(sync::to_string(out.status)).c_str());
            if (out.blocked_reason) std::printf("  blocked: %s\n", out.blocked_reason->c_str());
            std::string counts;
            for (const auto& [k, v] : out.counts.items())
                if (v != 0) counts += (counts.empty() ? "" : ", ") + k + " " + v.dump();
            if (!counts.empty()) std::printf("  %s\n", counts.c_str());
            if (out.plan) {
                // Only the head of each list is printed: a run of 100k creates does not render 100k
                // resources.
                const std::size_t per_section = request.dry_run ? 200 : 20;
                sync::print_plan(stdout, sync::to_json(*out.plan, per_section), request.dry_run);
            }
            for (const auto& e : out.errors) std::printf("  error: %s\n", e.c_str());
        }
        switch (out.status) {
            case sync::run_status::ok:
                return 0;
            case sync::run_status::blocked:
                return 3;
            default:
                return 1;
        }
    } catch (const std::exception& e) {
        std::cerr << "dirsyncd sync: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace dirsync::daemon
