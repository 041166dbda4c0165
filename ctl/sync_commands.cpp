#include "ctl/sync_commands.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>

#include "ctl/admin_client.hpp"
#include "sync/plan_text.hpp"

namespace dirsync::ctl {

const char* const sync_usage = R"(usage: dirsyncctl sync <subcommand> [options]

subcommands:
  sources                     list the sync sources with their state
  runs [SOURCE] [--limit N]   list runs, newest first (default 20)
  show RUN                    show one run with its counts, errors and blocked reason
  plan RUN                    show the plan a dry run kept: each create, update (before -> after),
                              orphan, disable and delete (the first 1000 of each kind)
  run SOURCE [--dry-run] [--full | --incremental] [--no-wait]
                              start a run now and wait for it to end (unless --no-wait); a dry run
                              then prints its plan
  release SOURCE RUN          release a blocked run: the next run of SOURCE may orphan what RUN planned

options (every subcommand):
  -o json, --json             print the daemon's JSON answer instead of a table
  --url URL                   the daemon, e.g. http://127.0.0.1:8080 (else $DIRSYNCD_URL, else the config)
  --token-file FILE           file holding an admin token (else $DIRSYNCD_ADMIN_TOKEN,
                              $DIRSYNCD_ADMIN_TOKEN_FILE, else the config's admin_tokens file/credential)
  --config FILE               the daemon's configuration (else $DIRSYNCD_CONFIG, else
                              /etc/dirsyncd/dirsyncd.yaml)
  --ca-file FILE              CA certificates for an https URL
  --insecure                  do not verify the daemon's certificate
  --credentials-directory DIR where the config's `credential:` admin token is, outside the unit (the
                              systemd unit's $CREDENTIALS_DIRECTORY, e.g. /run/credentials/dirsyncd.service)

exit status: 0 ok, 1 failed or refused, 2 usage error, 3 the run ended blocked.
)";

namespace {

struct parsed_args {
    std::vector<std::string> positional;
    connection_flags flags;
    bool json = false;
    bool dry_run = false;
    bool no_wait = false;
    std::optional<std::string> mode;
    std::optional<std::string> limit;
};

int usage_error(const std::string& message) {
    std::cerr << "dirsyncctl: " << message << " (see dirsyncctl sync --help)\n";
    return 2;
}

std::optional<parsed_args> parse(const std::vector<std::string>& args, std::string& error) {
    parsed_args out;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto is = [&](std::string_view name) { return a == name || a.starts_with(std::string(name) + "="); };
        if (take_connection_flag(args, i, out.flags, error) || take_output_flag(args, i, out.json, error)) {
            if (!error.empty()) return std::nullopt;
            continue;
        }
        if (a == "--dry-run") {
            out.dry_run = true;
        } else if (a == "--no-wait") {
            out.no_wait = true;
        } else if (a == "--full" || a == "--incremental") {
            out.mode = a.substr(2);
        } else if (is("--limit")) {
            if (!(out.limit = flag_value(args, i, error))) return std::nullopt;
        } else if (a.starts_with("-") && a != "-") {
            error = "unknown option '" + a + "'";
            return std::nullopt;
        } else {
            out.positional.push_back(a);
        }
    }
    return out;
}

std::string count(const nlohmann::json& run, const char* key) {
    if (!run.contains("counts") || !run["counts"].is_object() || !run["counts"].contains(key)) return "0";
    return run["counts"][key].dump();
}

void print_runs(const nlohmann::json& runs) {
    std::printf("%-6s %-16s %-11s %-9s %-8s %-24s %7s %7s %7s %8s %6s\n", "RUN", "SOURCE", "MODE", "TRIGGER",
                "STATUS", "STARTED", "READ", "CREATED", "UPDATED", "ORPHANED", "FAILED");
    for (const auto& r : runs) {
        std::string mode = text(r, "mode") + (r.value("dry_run", false) ? "*" : "");
        std::printf("%-6s %-16s %-11s %-9s %-8s %-24s %7s %7s %7s %8s %6s\n", text(r, "id").c_str(),
                    text(r, "source").c_str(), mode.c_str(), text(r, "trigger").c_str(),
                    text(r, "status").c_str(), text(r, "started").c_str(), count(r, "read").c_str(),
                    count(r, "created").c_str(), count(r, "updated").c_str(), count(r, "orphaned").c_str(),
                    count(r, "failed").c_str());
    }
    if (runs.empty()) std::printf("(no runs)\n");
}

void print_run(const nlohmann::json& r) {
    std::printf("run %s of %s (tenant %s): %s%s, %s, trigger %s\n", text(r, "id").c_str(),
                text(r, "source").c_str(), text(r, "tenant").c_str(), text(r, "mode").c_str(),
                r.value("dry_run", false) ? " dry run" : "", text(r, "status").c_str(),
                text(r, "trigger").c_str());
    std::printf("  started %s, ended %s\n", text(r, "started").c_str(), text(r, "ended").c_str());
    if (r.contains("counts") && r["counts"].is_object() && !r["counts"].empty()) {
        std::string line;
        for (const auto& [k, v] : r["counts"].items())
            line += (line.empty() ? "" : ", ") + k + " " + v.dump();
        std::printf("  %s\n", line.c_str());
    }
    if (auto reason = text(r, "blocked_reason", ""); !reason.empty())
        std::printf("  blocked: %s\n", reason.c_str());
    if (auto by = text(r, "released_by", ""); !by.empty())
        std::printf("  released by %s at %s\n", by.c_str(), text(r, "released").c_str());
    if (r.contains("errors") && r["errors"].is_array())
        for (const auto& e : r["errors"])
            std::printf("  error: %s\n", e.is_string() ? e.get<std::string>().c_str() : e.dump().c_str());
}

int status_exit(const nlohmann::json& run) {
    auto s = text(run, "status");
    if (s == "ok") return 0;
    if (s == "blocked") return 3;
    return 1;
}

}  // namespace

int sync_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        std::cout << sync_usage;
        return args.empty() ? 2 : 0;
    }
    for (const auto& a : args)
        if (a == "-h" || a == "--help") {
            std::cout << sync_usage;
            return 0;
        }
    std::string error;
    auto parsed = parse(args, error);
    if (!parsed) return usage_error(error);
    const std::string& sub = args[0];
    const auto& pos = parsed->positional;
    auto expect = [&](std::size_t n, const std::string& shape) -> std::optional<int> {
        if (pos.size() != n) return usage_error("usage: dirsyncctl sync " + shape);
        return std::nullopt;
    };
    if (sub != "sources" && sub != "runs" && sub != "show" && sub != "plan" && sub != "run" &&
        sub != "release")
        return usage_error("unknown sync subcommand '" + sub + "'");
    if (sub == "sources") {
        if (auto e = expect(0, "sources")) return *e;
    } else if (sub == "runs") {
        if (pos.size() > 1) return usage_error("usage: dirsyncctl sync runs [SOURCE] [--limit N]");
    } else if (sub == "show" || sub == "plan") {
        if (auto e = expect(1, sub + " RUN")) return *e;
    } else if (sub == "run") {
        if (auto e = expect(1, "run SOURCE [--dry-run] [--full | --incremental] [--no-wait]")) return *e;
    } else if (sub == "release") {
        if (auto e = expect(2, "release SOURCE RUN")) return *e;
    }

    auto conn = resolve_connection(parsed->flags, error);
    if (!conn) {
        std::cerr << "dirsyncctl: " << error << '\n';
        return 1;
    }

    if (sub == "sources") {
        auto answer = call(*conn, "GET", "/sync/sources");
        if (!answer) return 1;
        if (parsed->json) {
            std::cout << answer->dump(2) << '\n';
            return 0;
        }
        std::printf("%-16s %-12s %-6s %-9s %-10s %-24s %-24s\n", "SOURCE", "TENANT", "TYPE", "RUNNING",
                    "LAST", "LAST ENDED", "NEXT RUN");
        for (const auto& s : *answer) {
            const auto& last = s.contains("last_run") ? s["last_run"] : nlohmann::json();
            std::printf("%-16s %-12s %-6s %-9s %-10s %-24s %-24s\n", text(s, "name").c_str(),
                        text(s, "tenant").c_str(), text(s, "type").c_str(), text(s, "running_run").c_str(),
                        text(last, "status").c_str(), text(last, "ended").c_str(),
                        text(s, "next_run").c_str());
        }
        return 0;
    }
    if (sub == "runs") {
        std::string target = pos.empty() ? "/sync/runs" : "/sync/sources/" + percent_encode(pos[0]) + "/runs";
        if (parsed->limit) target += "?limit=" + percent_encode(*parsed->limit);
        auto answer = call(*conn, "GET", target);
        if (!answer) return 1;
        if (parsed->json)
            std::cout << answer->dump(2) << '\n';
        else
            print_runs(*answer);
        return 0;
    }
    if (sub == "show") {
        auto answer = call(*conn, "GET", "/sync/runs/" + percent_encode(pos[0]));
        if (!answer) return 1;
        if (parsed->json)
            std::cout << answer->dump(2) << '\n';
        else
            print_run(*answer);
        return 0;
    }
    if (sub == "plan") {
        auto answer = call(*conn, "GET", "/sync/runs/" + percent_encode(pos[0]) + "/plan");
        if (!answer) return 1;
        if (parsed->json)
            std::cout << answer->dump(2) << '\n';
        else
            sync::print_plan(stdout, *answer, true);
        return 0;
    }
    if (sub == "release") {
        auto answer =
            call(*conn, "POST",
                 "/sync/sources/" + percent_encode(pos[0]) + "/runs/" + percent_encode(pos[1]) + "/release");
        if (!answer) return 1;
        if (parsed->json)
            std::cout << answer->dump(2) << '\n';
        else
            std::printf("run %s of %s released: the next run may apply what it planned\n", pos[1].c_str(),
                        pos[0].c_str());
        return 0;
    }
    // run
    nlohmann::json body = nlohmann::json::object();
    if (parsed->dry_run) body["dry_run"] = true;
    if (parsed->mode) body["mode"] = *parsed->mode;
    auto started = call(*conn, "POST", "/sync/sources/" + percent_encode(pos[0]) + "/runs", body.dump());
    if (!started) return 1;
    auto id = text(*started, "run");
    if (parsed->no_wait) {
        if (parsed->json)
            std::cout << started->dump(2) << '\n';
        else
            std::printf("run %s of %s started\n", id.c_str(), pos[0].c_str());
        return 0;
    }
    if (!parsed->json)
        std::fprintf(stderr, "run %s of %s started; waiting for it to end...\n", id.c_str(), pos[0].c_str());
    for (;;) {
        auto run = call(*conn, "GET", "/sync/runs/" + percent_encode(id));
        if (!run) return 1;
        if (text(*run, "status") != "running") {
            if (parsed->json) {
                std::cout << run->dump(2) << '\n';
            } else {
                print_run(*run);
                if (run->value("has_plan", false)) {
                    std::fflush(stdout);
                    auto plan = call(*conn, "GET", "/sync/runs/" + percent_encode(id) + "/plan");
                    if (!plan) return 1;
                    sync::print_plan(stdout, *plan, true);
                }
            }
            return status_exit(*run);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

}  // namespace dirsync::ctl
