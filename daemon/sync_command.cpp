#include "daemon/sync_command.hpp"

#include <cstdio>
#include <iostream>
#include <optional>

#include "common/log.hpp"
#include "config/load.hpp"
#include "config/schema_section.hpp"
#include "daemon/source_access.hpp"
#include "daemon/store_setup.hpp"
#include "directory/directory.hpp"
#include "store/database.hpp"
#include "sync/run_log.hpp"
#include "sync/source_check.hpp"
#include "sync/source_runner.hpp"

namespace dirsync::daemon {

namespace {

constexpr const char* usage =
    "usage: dirsyncd sync --config FILE --source NAME [--dry-run] [--full | --incremental] [--json]\n"
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
    "\n"
    "exit status: 0 ok, 1 the run failed, 2 usage error, 3 the run was blocked by the safety rules,\n"
    "78 invalid configuration.\n";

int usage_error(const std::string& message) {
    std::cerr << "dirsyncd sync: " << message << " (see dirsyncd sync --help)\n";
    return 2;
}

std::string value_text(const nlohmann::json& v) {
    if (v.is_null()) return "(none)";
    return v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
}

/// The plan, at most `per_section` lines per kind of change ("... and N more": --json has them all).
void print_plan(const nlohmann::json& plan, const nlohmann::json& totals, bool dry_run,
                std::size_t per_section) {
    auto section = [&](const char* key) -> nlohmann::json {
        if (!plan.contains(key) || !plan[key].is_array()) return nlohmann::json::array();
        auto total = totals.value(key, std::size_t{0});
        if (total > per_section)
            std::printf("  (%zu %s; the first %zu follow, --json lists all)\n", total, key, per_section);
        return plan[key];
    };
    const char* verb = dry_run ? "would " : "";
    for (const auto& c : section("creates"))
        std::printf("  %screate  %s (%s)\n", verb,
                    c.value("resource", nlohmann::json::object()).value("userName", std::string("?")).c_str(),
                    c.value("dn", std::string()).c_str());
    for (const auto& u : section("updates")) {
        std::printf("  %s%-7s %s (%s)\n", verb, u.value("kind", std::string("update")).c_str(),
                    u.value("userName", std::string("?")).c_str(), u.value("dn", std::string()).c_str());
        auto before_after = [](const char* name, const nlohmann::json& change) {
            std::printf("      %s: %s -> %s\n", name,
                        value_text(change.value("before", nlohmann::json())).c_str(),
                        value_text(change.value("after", nlohmann::json())).c_str());
        };
        if (u.contains("changes") && u["changes"].is_object())
            for (const auto& [name, change] : u["changes"].items()) before_after(name.c_str(), change);
        if (u.contains("status")) before_after("status", u["status"]);
        if (u.contains("roles")) before_after("roles", u["roles"]);
    }
    for (const auto& o : section("orphans"))
        std::printf("  %sorphan  %s\n", verb, o.value("userName", std::string("?")).c_str());
    for (const auto& o : section("disables"))
        std::printf("  %sdisable %s (orphan past disable_after)\n", verb,
                    o.value("userName", std::string("?")).c_str());
    for (const auto& o : section("deletes"))
        std::printf("  %sdelete  %s (orphan past delete_after)\n", verb,
                    o.value("userName", std::string("?")).c_str());
    for (const auto& g : section("group_creates"))
        std::printf(
            "  %screate group %s\n", verb,
            g.value("resource", nlohmann::json::object()).value("displayName", std::string("?")).c_str());
    for (const auto& g : section("group_updates"))
        std::printf("  %supdate group %s (+%zu -%zu members)\n", verb,
                    g.value("displayName", std::string("?")).c_str(),
                    g.value("add", nlohmann::json::array()).size(),
                    g.value("remove", nlohmann::json::array()).size());
    for (const auto& s : section("skipped"))
        std::printf("  skipped %s\n", s.is_string() ? s.get<std::string>().c_str() : s.dump().c_str());
}

}  // namespace

int sync_command(const std::vector<std::string>& args) {
    std::optional<std::string> config_file, source_name;
    sync::run_options request;
    request.trigger = "cli";
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos)
                return a.substr(eq + 1);
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::cout << usage;
            return 0;
        } else if (a == "-c" || a == "--config" || a.starts_with("--config=")) {
            if (!(config_file = value())) return usage_error(a + " needs a file");
        } else if (a == "-s" || a == "--source" || a.starts_with("--source=")) {
            if (!(source_name = value())) return usage_error(a + " needs a source name");
        } else if (a == "--dry-run") {
            request.dry_run = true;
        } else if (a == "--full") {
            request.mode = sync::run_mode::full;
        } else if (a == "--incremental") {
            request.mode = sync::run_mode::incremental;
        } else if (a == "--json") {
            json = true;
        } else {
            return usage_error("unknown argument '" + a + "'");
        }
    }
    if (!config_file) return usage_error("no configuration file given: use --config FILE");
    if (!source_name) return usage_error("no source given: use --source NAME");

    config::load_options options;
    options.check = sync::check_sources;
    auto settings = config::load_settings_file(*config_file, options);
    if (!settings) {
        auto text = settings.error().to_string();
        std::cerr << text << (text.ends_with('\n') ? "" : "\n");
        return 78;
    }
    const config::source_settings* source = nullptr;
    std::string known;
    for (const auto& s : settings->sources) {
        if (s.name == *source_name) source = &s;
        known += (known.empty() ? "" : ", ") + s.name;
    }
    if (!source)
        return usage_error("no source '" + *source_name + "' in " + *config_file +
                           (known.empty() ? std::string(" (it declares none)") : " (known: " + known + ")"));
    if (json)
        common::set_log_level(common::log_level::warning);
    else
        common::set_log_level(settings->logging.level);

    try {
        prepare_storage_directory(settings->storage.sqlite_path);
        store::database db(settings->storage.sqlite_path);
        directory::tenant_directory dir(db, config::served_schemas(settings->schemas),
                                        {settings->storage.max_resource_bytes});
        register_tenants(dir, *settings);
        sync::run_log log(db);
        std::vector<config::diagnostic> problems;
        auto mapper = sync::compile_source(*settings, *source, problems);
        if (!mapper) {
            std::cerr << "dirsyncd sync: invalid mapping rules"
                      << (problems.empty() ? std::string() : ": " + problems.front().message) << '\n';
            return 78;
        }
        sync::source_runner runner(*source, access_for(*source, *mapper), *mapper, dir, log);
        auto out = runner.run(request);
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
                // Only the head of each list is printed: cut the plan down before rendering it, so a run of
                // 100k creates does not render 100k resources.
                const std::size_t per_section = request.dry_run ? 200 : 20;
                auto& p = *out.plan;
                nlohmann::json totals{{"creates", p.creates.size()},
                                      {"updates", p.updates.size()},
                                      {"orphans", p.orphans.size()},
                                      {"disables", p.disables.size()},
                                      {"deletes", p.deletes.size()},
                                      {"group_creates", p.group_creates.size()},
                                      {"group_updates", p.group_updates.size()},
                                      {"skipped", p.skipped.size()}};
                auto cut = [&](auto& v) {
                    if (v.size() > per_section) v.resize(per_section);
                };
                cut(p.creates), cut(p.updates), cut(p.orphans), cut(p.disables), cut(p.deletes);
                cut(p.group_creates), cut(p.group_updates), cut(p.skipped);
                print_plan(sync::to_json(p), totals, request.dry_run, per_section);
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
