#include "ctl/tenant_commands.hpp"

#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "ctl/admin_client.hpp"

namespace dirsync::ctl {

namespace {

using json = nlohmann::json;

constexpr std::string_view common_options = R"(
options (every subcommand):
  -t, --tenant ID             the tenant (else $DIRSYNCD_TENANT); not for `tenants`
  -o json|table, --json       print the daemon's JSON answer instead of a table
  --acting-user USER_ID       the signed-in administrator the change is made for (sent as
                              Dirsync-Acting-User; must be an active admin of the tenant)
  --url URL                   the daemon, e.g. http://127.0.0.1:8080 (else $DIRSYNCD_URL, else the config)
  --token-file FILE           an operator or tenant admin token (else $DIRSYNCD_ADMIN_TOKEN,
                              $DIRSYNCD_ADMIN_TOKEN_FILE, else the config's admin_tokens file/credential)
  --config FILE               the daemon's configuration (else $DIRSYNCD_CONFIG, else /etc/dirsyncd/dirsyncd.yaml)
  --ca-file FILE              CA certificates for an https URL
  --insecure                  do not verify the daemon's certificate
  --credentials-directory DIR where the config's `credential:` admin token is, outside the unit (the
                              systemd unit's $CREDENTIALS_DIRECTORY, e.g. /run/credentials/dirsyncd.service)

exit status: 0 ok, 1 refused or failed, 2 usage error.
)";

const std::map<std::string, std::string, std::less<>> usages = {
    {"tenants", R"(usage: dirsyncctl tenants [list | show TENANT] [options]

subcommands:
  list                        every tenant you may see: seats limit/used/free, users by status (default)
  show TENANT                 one tenant
)"},
    {"users", R"(usage: dirsyncctl users <subcommand> -t TENANT [options]

subcommands:
  list [--status S] [--role R] [--search TEXT [--substring]] [--subject X] [--id ID] [--limit N] [--cursor C]
                              users in list order; --search matches name or e-mail (prefix, any case;
                              anywhere with --substring); --subject and --id are exact
  show USER_ID                one user: status, seat, roles, source and subject, groups, times
  create USER_NAME [--email E]... [--given-name G] [--family-name F] [--display-name D] [--role R]...
                              a new user (starts provisioned)
  enable | disable | disconnect | reconnect | register | delete USER_ID
  leave USER_ID               the person leaves the tenant (disconnected, admins notified); prints
                              their other tenants
  assign USER_ID ROLE         give the user a role of the catalogue
  unassign USER_ID ROLE       take a role away
)"},
    {"roles", R"(usage: dirsyncctl roles <subcommand> -t TENANT [options]

subcommands:
  list                        the built-in and custom roles with how many users hold each (default)
  create NAME [--description D]
  describe NAME --description D
  delete NAME [--force]       --force removes it from the users holding it first
)"},
    {"relocations", R"(usage: dirsyncctl relocations <subcommand> [options]

subcommands:
  list [--state requested|completed|cancelled] [-t TENANT]
                              requests newest first (a tenant admin sees its tenant's only)
  show ID                     one request
  request USER_ID -t FROM --to TENANT --reason TEXT [--role R]... [--expires-in-days N]
                              ask to move the user (operators); the destination's admins are asked
  authorise ID --acting-user ADMIN_ID
  refuse ID --acting-user ADMIN_ID
                              the destination's decision, by one of its active admins (not the requester)
  remind ID                   ask the destination again (the third unanswered request cancels it)
  withdraw ID                 cancel it
)"},
    {"status", R"(usage: dirsyncctl status [options]

  the daemon at a glance (operator token): version, uptime, readiness, tenants and users, the store's
  size, and each sync source with its last run
)"},
    {"reload", R"(usage: dirsyncctl reload [options]

  make the daemon read its configuration file again and apply it (operator token), as SIGHUP and
  systemctl reload do; prints what changed and the settings that need a restart. An invalid file
  changes nothing: its problems are printed as file:line:column and the exit status is 1.
)"},
    {"people", R"(usage: dirsyncctl people EMAIL [options]

  the person's records in every tenant (operator token): tenant, user id, status, roles
)"},
    {"invitations", R"(usage: dirsyncctl invitations <subcommand> -t TENANT [options]

subcommands:
  list [--state S] [--limit N] [--cursor C]
                              invitations in creation order; S: open (pending and expired, the
                              default), pending, expired, accepted, revoked, all
  show INVITATION_ID          one invitation (its id is the invitee's user id)
  create EMAIL... [--role R]...
                              invite each address (several per argument, separated by commas or
                              spaces, as pasted); prints each address's outcome and the invite code
  resend INVITATION_ID        a new code and expiry; the old code stops working
  revoke INVITATION_ID        the code stops working and the pending user is deleted
  accept CODE --given-name G --family-name F [--account-name A]
                              register the invitee (what the product's registration page does; no -t)
)"},
    {"notifications", R"(usage: dirsyncctl notifications <subcommand> -t TENANT [options]

subcommands:
  list [--state pending|delivered|failed] [--limit N] [--cursor C]
                              the tenant's outbox, newest first (never the message bodies)
  retry MESSAGE_ID            send a failed message again
)"},
    {"audit", R"(usage: dirsyncctl audit [list] -t TENANT [options]

  list [--user ID] [--actor A] [--action X] [--since TIME] [--until TIME] [--limit N] [--cursor C]
                              events newest first; --action user. matches every user.* action;
                              times in RFC 3339 (2026-12-01T00:00:00Z)
)"},
};

struct parsed_args {
    std::vector<std::string> positional;
    connection_flags flags;
    bool json = false;
    std::optional<std::string> tenant;
    std::string acting_user;
    std::map<std::string, std::vector<std::string>> options;  ///< subcommand options by name, in order
    bool substring = false;
    bool force = false;
};

/// Subcommand options that take a value (the rest of the accepted ones are the switches above).
constexpr std::string_view value_options[] = {
    "--status",       "--role",  "--search",     "--subject",        "--id",           "--limit",
    "--cursor",       "--email", "--given-name", "--family-name",    "--display-name", "--description",
    "--user",         "--actor", "--action",     "--since",          "--until",        "--state",
    "--account-name", "--to",    "--reason",     "--expires-in-days"};

std::optional<parsed_args> parse(const std::vector<std::string>& args, std::string& error) {
    parsed_args out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto is = [&](std::string_view name) { return a == name || a.starts_with(std::string(name) + "="); };
        if (take_connection_flag(args, i, out.flags, error) || take_output_flag(args, i, out.json, error)) {
            if (!error.empty()) return std::nullopt;
            continue;
        }
        if (a == "-t" || is("--tenant")) {
            if (!(out.tenant = flag_value(args, i, error))) return std::nullopt;
        } else if (is("--acting-user")) {
            auto v = flag_value(args, i, error);
            if (!v) return std::nullopt;
            out.acting_user = *v;
        } else if (a == "--substring") {
            out.substring = true;
        } else if (a == "--force") {
            out.force = true;
        } else if (a.starts_with("--")) {
            const std::string name = a.substr(0, a.find('='));
            bool known = false;
            for (auto o : value_options) known |= name == o;
            if (!known) {
                error = "unknown option '" + name + "'";
                return std::nullopt;
            }
            auto v = flag_value(args, i, error);
            if (!v) return std::nullopt;
            out.options[name].push_back(*v);
        } else if (a.starts_with("-") && a != "-") {
            error = "unknown option '" + a + "'";
            return std::nullopt;
        } else {
            out.positional.push_back(a);
        }
    }
    if (!out.tenant)
        if (const char* env = std::getenv("DIRSYNCD_TENANT"); env && *env) out.tenant = env;
    return out;
}

std::optional<std::string> option(const parsed_args& p, const std::string& name) {
    auto it = p.options.find(name);
    if (it == p.options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

/// `base` with the given query parameters that are set.
std::string with_query(std::string base,
                       const std::vector<std::pair<std::string, std::optional<std::string>>>& q) {
    char sep = '?';
    for (const auto& [name, value] : q) {
        if (!value) continue;
        base += sep + name + "=" + percent_encode(*value);
        sep = '&';
    }
    return base;
}

void print_tenants(const json& tenants) {
    std::printf("%-16s %-24s %6s %6s %6s %7s %7s %11s %9s %8s\n", "TENANT", "NAME", "SEATS", "USED", "FREE",
                "ACTIVE", "PROVIS.", "REQUESTED", "DISABLED", "TOTAL");
    for (const auto& t : tenants) {
        const auto& seats = t.contains("seats") ? t["seats"] : json();
        const auto& users = t.contains("users") ? t["users"] : json();
        std::printf("%-16s %-24s %6s %6s %6s %7s %7s %11s %9s %8s\n", text(t, "id").c_str(),
                    text(t, "name").c_str(), text(seats, "limit", "none").c_str(),
                    text(seats, "used").c_str(), text(seats, "free").c_str(), text(users, "active").c_str(),
                    text(users, "provisioned").c_str(), text(users, "requested").c_str(),
                    text(users, "disabled").c_str(), text(users, "total").c_str());
    }
}

std::string joined(const json& list) {
    std::string out;
    if (list.is_array())
        for (const auto& v : list)
            out += (out.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : v.dump());
    return out.empty() ? "-" : out;
}

void print_users(const json& page) {
    std::printf("%-36s %-28s %-14s %-5s %-24s %s\n", "ID", "USERNAME", "STATUS", "SEAT", "ROLES", "SOURCE");
    for (const auto& u : page["users"])
        std::printf("%-36s %-28s %-14s %-5s %-24s %s\n", text(u, "id").c_str(), text(u, "userName").c_str(),
                    text(u, "status").c_str(), u.value("seat", false) ? "yes" : "no",
                    joined(u["roles"]).c_str(), text(u, "source").c_str());
    if (page["users"].empty()) std::printf("(no users)\n");
    if (page.contains("next") && page["next"].is_string())
        std::printf("more: --cursor %s\n", page["next"].get<std::string>().c_str());
}

void print_user(const json& u) {
    for (const char* key : {"id", "userName", "displayName", "status", "seat", "source", "subject",
                            "externalId", "created", "lastModified", "statusSince", "registered", "version"})
        std::printf("%-13s %s\n", (std::string(key) + ":").c_str(), text(u, key).c_str());
    std::printf("%-13s %s\n", "emails:", joined(u["emails"]).c_str());
    std::printf("%-13s %s\n", "roles:", joined(u["roles"]).c_str());
    std::string groups;
    for (const auto& g : u["groups"]) groups += (groups.empty() ? "" : ", ") + text(g, "displayName");
    std::printf("%-13s %s\n", "groups:", groups.empty() ? "-" : groups.c_str());
}

void print_roles(const json& roles) {
    std::printf("%-24s %-8s %7s  %s\n", "ROLE", "BUILTIN", "USERS", "DESCRIPTION");
    for (const auto& r : roles["roles"])
        std::printf("%-24s %-8s %7s  %s\n", text(r, "name").c_str(), r.value("builtin", false) ? "yes" : "no",
                    text(r, "users").c_str(), text(r, "description", "").c_str());
}

void print_audit(const json& page) {
    std::printf("%-8s %-24s %-22s %-20s %-8s %s\n", "SEQ", "TIME", "ACTOR", "ACTION", "TYPE", "RESOURCE");
    for (const auto& e : page["events"]) {
        std::string actor = text(e, "actor");
        if (auto acting = text(e, "actingUser", ""); !acting.empty()) actor += " for " + acting;
        std::printf("%-8s %-24s %-22s %-20s %-8s %s\n", text(e, "seq").c_str(), text(e, "time").c_str(),
                    actor.c_str(), text(e, "action").c_str(), text(e, "resourceType").c_str(),
                    text(e, "resourceId").c_str());
    }
    if (page["events"].empty()) std::printf("(no events)\n");
    if (page.contains("next") && page["next"].is_string())
        std::printf("more: --cursor %s\n", page["next"].get<std::string>().c_str());
}

void print_memberships(const json& items) {
    std::printf("%-16s %-36s %-28s %-14s %s\n", "TENANT", "USER ID", "USERNAME", "STATUS", "ROLES");
    for (const auto& m : items)
        std::printf("%-16s %-36s %-28s %-14s %s\n", text(m, "tenant").c_str(), text(m, "userId").c_str(),
                    text(m, "userName").c_str(), text(m, "status").c_str(), joined(m["roles"]).c_str());
    if (items.empty()) std::printf("(no tenant)\n");
}

void print_relocations(const json& page) {
    std::printf("%-6s %-36s %-14s %-14s %-10s %-11s %-4s %s\n", "ID", "USER ID", "FROM", "TO", "STATE",
                "WHY ENDED", "ASKED", "REASON");
    for (const auto& r : page["relocations"])
        std::printf("%-6s %-36s %-14s %-14s %-10s %-11s %-4s %s\n", text(r, "id").c_str(),
                    text(r, "userId").c_str(), text(r, "from").c_str(), text(r, "to").c_str(),
                    text(r, "state").c_str(), text(r, "cancelReason", "-").c_str(),
                    text(r, "attempts").c_str(), text(r, "reason").c_str());
    if (page["relocations"].empty()) std::printf("(no relocations)\n");
}

void print_invitation_rows(const json& items) {
    std::printf("%-36s %-32s %-9s %-22s %-5s %s\n", "ID", "EMAIL", "STATE", "EXPIRES", "SENDS", "ROLES");
    for (const auto& i : items)
        std::printf("%-36s %-32s %-9s %-22s %-5s %s\n", text(i, "id").c_str(), text(i, "email").c_str(),
                    text(i, "state").c_str(), text(i, "expires").c_str(), text(i, "sends").c_str(),
                    joined(i["roles"]).c_str());
}

void print_invitations(const json& page) {
    print_invitation_rows(page["invitations"]);
    if (page["invitations"].empty()) std::printf("(no invitations)\n");
    if (page.contains("next") && page["next"].is_string())
        std::printf("more: --cursor %s\n", page["next"].get<std::string>().c_str());
}

void print_outcome(const json& o) {
    if (text(o, "outcome") == "invited")
        std::printf("%-32s invited  %s  code %s  expires %s\n", text(o, "address").c_str(),
                    text(o["invitation"], "id").c_str(), text(o, "inviteCode").c_str(),
                    text(o["invitation"], "expires").c_str());
    else
        std::printf("%-32s refused  %s: %s\n", text(o, "address").c_str(), text(o, "code").c_str(),
                    text(o, "detail").c_str());
}

void print_invite_results(const json& answer) {
    for (const auto& o : answer["results"]) print_outcome(o);
    std::printf("%s invited, %s refused\n", text(answer, "invited").c_str(), text(answer, "refused").c_str());
}

void print_notifications(const json& page) {
    std::printf("%-8s %-22s %-8s %-10s %-4s %-30s %s\n", "ID", "EVENT", "CHANNEL", "STATE", "TRY",
                "RECIPIENT", "LAST ERROR");
    for (const auto& m : page["notifications"])
        std::printf("%-8s %-22s %-8s %-10s %-4s %-30s %s\n", text(m, "id").c_str(), text(m, "event").c_str(),
                    text(m, "channel").c_str(), text(m, "state").c_str(), text(m, "attempts").c_str(),
                    text(m, "recipient", "-").c_str(), text(m, "lastError", "-").c_str());
    if (page["notifications"].empty()) std::printf("(no messages)\n");
    if (page.contains("next") && page["next"].is_string())
        std::printf("more: --cursor %s\n", page["next"].get<std::string>().c_str());
}

/// What one command asks of the daemon: a method, a target, a body, and how to print the answer.
struct request {
    std::string method = "GET";
    std::string target;
    std::string body{};
    void (*print)(const json&) = nullptr;
    std::string done{};  ///< printed instead when there is no printer
};

int usage_error(const std::string& noun, const std::string& message) {
    std::cerr << "dirsyncctl: " << message << " (see dirsyncctl " << noun << " --help)\n";
    return 2;
}

/// The request `p` asks for, or a usage message in `error`.
std::optional<request> plan(const std::string& noun, const parsed_args& p, std::string& error) {
    auto pos = p.positional;
    const std::string sub = pos.empty() ? "list" : pos.front();
    if (!pos.empty()) pos.erase(pos.begin());
    auto want = [&](std::size_t n, const char* shape) {
        if (pos.size() == n) return true;
        error = "usage: dirsyncctl " + noun + " " + shape;
        return false;
    };
    if (noun == "tenants") {
        if (sub == "list" && want(0, "list"))
            return request{"GET", "/tenants", {}, [](const json& j) { print_tenants(j["tenants"]); }};
        if (sub == "show" && want(1, "show TENANT"))
            return request{"GET", "/tenants/" + percent_encode(pos[0]), {}, [](const json& j) {
                               print_tenants(json::array({j}));
                           }};
        if (error.empty()) error = "unknown tenants subcommand '" + sub + "'";
        return std::nullopt;
    }
    if (noun == "relocations") {
        if (sub == "list" && want(0, "list [--state S] [-t TENANT]"))
            return request{
                "GET",
                with_query("/relocations", {{"state", option(p, "--state")}, {"tenant", p.tenant}}),
                {},
                &print_relocations};
        if (sub == "show" && want(1, "show ID"))
            return request{"GET", "/relocations/" + percent_encode(pos[0]), {}, [](const json& j) {
                               print_relocations(json{{"relocations", json::array({j})}});
                           }};
        if (sub == "request" && want(1, "request USER_ID -t FROM --to TENANT --reason TEXT")) {
            auto to = option(p, "--to");
            auto reason = option(p, "--reason");
            if (!p.tenant || !to || !reason) {
                error = "usage: dirsyncctl relocations request USER_ID -t FROM --to TENANT --reason TEXT";
                return std::nullopt;
            }
            json body{{"tenant", *p.tenant}, {"userId", pos[0]}, {"to", *to}, {"reason", *reason}};
            if (auto it = p.options.find("--role"); it != p.options.end()) body["roles"] = it->second;
            if (auto days = option(p, "--expires-in-days")) {
                try {
                    body["expiresInDays"] = std::stoll(*days);
                } catch (const std::exception&) {
                    error = "--expires-in-days must be a whole number";
                    return std::nullopt;
                }
            }
            return request{"POST", "/relocations", body.dump(), [](const json& j) {
                               print_relocations(json{{"relocations", json::array({j})}});
                           }};
        }
        for (const char* verb : {"authorise", "refuse", "remind", "withdraw"})
            if (sub == verb && want(1, (sub + " ID").c_str()))
                return request{
                    "POST", "/relocations/" + percent_encode(pos[0]) + "/" + sub, {}, [](const json& j) {
                        print_relocations(json{{"relocations", json::array({j})}});
                    }};
        if (error.empty()) error = "unknown relocations subcommand '" + sub + "'";
        return std::nullopt;
    }
    if (noun == "status") {
        if (!p.positional.empty()) {
            error = "status takes no arguments";
            return std::nullopt;
        }
        return request{
            "GET", "/status", {}, [](const json& j) {
                const auto uptime = j.value("uptime_seconds", std::int64_t{0});
                std::cout << "dirsyncd " << text(j, "version") << ", up " << uptime / 86400 << "d "
                          << uptime % 86400 / 3600 << "h " << uptime % 3600 / 60 << "m (since "
                          << text(j, "started") << ")\n";
                std::cout << (j.value("ready", false) ? "ready" : "NOT READY: " + text(j, "not_ready"))
                          << '\n';
                std::cout << "tenants " << text(j, "tenants") << ", users " << text(j, "users") << '\n';
                const auto& store = j["store"];
                if (store.contains("bytes"))
                    std::cout << "store " << text(store, "path") << ": " << text(store, "bytes") << " bytes";
                else
                    std::cout << "store " << text(store, "description");
                std::cout << ", schema version " << text(store, "schema_version") << '\n';
                for (const auto& s : j["sources"]) {
                    const auto& last = s["last_run"];
                    std::cout << "source " << text(s, "name") << " -> " << text(s, "tenant") << ": ";
                    if (last.is_object())
                        std::cout << "last run " << text(last, "id") << " " << text(last, "status")
                                  << " (ended " << text(last, "ended") << ")";
                    else
                        std::cout << "no run yet";
                    if (s.value("blocked", false)) std::cout << ", BLOCKED";
                    if (!s["running_run"].is_null())
                        std::cout << ", run " << text(s, "running_run") << " running";
                    std::cout << ", next " << text(s, "next_run") << '\n';
                }
            }};
    }
    if (noun == "reload") {
        if (!p.positional.empty()) {
            error = "reload takes no arguments";
            return std::nullopt;
        }
        return request{"POST", "/reload", {}, [](const json& j) {
                           for (const auto& c : j["changes"]) std::cout << c.get<std::string>() << '\n';
                           for (const auto& r : j["restartRequired"])
                               std::cout << r.get<std::string>()
                                         << ": changed; applies at the next restart\n";
                           std::cout << "reloaded (" << j["changes"].size() << " change(s))\n";
                       }};
    }
    if (noun == "people") {
        if (p.positional.size() != 1) {
            error = "usage: dirsyncctl people EMAIL";
            return std::nullopt;
        }
        return request{"GET", with_query("/people", {{"email", p.positional[0]}}), {}, [](const json& j) {
                           print_memberships(j["memberships"]);
                       }};
    }
    if (noun == "invitations" && sub == "accept") {
        auto given = option(p, "--given-name");
        auto family = option(p, "--family-name");
        if (pos.size() != 1 || !given || !family) {
            error =
                "usage: dirsyncctl invitations accept CODE --given-name G --family-name F [--account-name A]";
            return std::nullopt;
        }
        json body{{"code", pos[0]}, {"givenName", *given}, {"familyName", *family}};
        if (auto a = option(p, "--account-name")) body["accountName"] = *a;
        return request{"POST", "/invitations/accept", body.dump(), &print_user};
    }
    if (!p.tenant) {
        error = noun + " needs the tenant: -t TENANT (or $DIRSYNCD_TENANT)";
        return std::nullopt;
    }
    const std::string tenant = "/tenants/" + percent_encode(*p.tenant);
    if (noun == "users") {
        if (sub == "list" && want(0, "list [--status S] [--role R] [--search TEXT] ...")) {
            return request{
                "GET",
                with_query(tenant + "/users",
                           {{"status", option(p, "--status")},
                            {"role", option(p, "--role")},
                            {"search", option(p, "--search")},
                            {"match", p.substring ? std::optional<std::string>("substring") : std::nullopt},
                            {"subject", option(p, "--subject")},
                            {"id", option(p, "--id")},
                            {"limit", option(p, "--limit")},
                            {"cursor", option(p, "--cursor")}}),
                {},
                &print_users};
        }
        if (sub == "show" && want(1, "show USER_ID"))
            return request{"GET", tenant + "/users/" + percent_encode(pos[0]), {}, &print_user};
        if (sub == "create" && want(1, "create USER_NAME [--email E] ...")) {
            json body{{"userName", pos[0]}};
            if (auto it = p.options.find("--email"); it != p.options.end()) body["emails"] = it->second;
            if (auto v = option(p, "--given-name")) body["givenName"] = *v;
            if (auto v = option(p, "--family-name")) body["familyName"] = *v;
            if (auto v = option(p, "--display-name")) body["displayName"] = *v;
            if (auto it = p.options.find("--role"); it != p.options.end()) body["roles"] = it->second;
            return request{"POST", tenant + "/users", body.dump(), &print_user};
        }
        for (const char* action : {"enable", "disable", "disconnect", "reconnect", "register"})
            if (sub == action && want(1, (sub + " USER_ID").c_str()))
                return request{
                    "POST", tenant + "/users/" + percent_encode(pos[0]) + "/" + sub, {}, &print_user};
        if (sub == "leave" && want(1, "leave USER_ID"))
            return request{"POST", tenant + "/departures", json{{"userId", pos[0]}}.dump(),
                           [](const json& j) {
                               print_memberships(j["otherTenants"]);
                               if (j.value("withoutTenant", false))
                                   std::printf("the person is now without a tenant\n");
                           }};
        if (sub == "delete" && want(1, "delete USER_ID"))
            return request{"DELETE",
                           tenant + "/users/" + percent_encode(pos[0]),
                           {},
                           nullptr,
                           "user " + pos[0] + " deleted"};
        if ((sub == "assign" || sub == "unassign") && want(2, (sub + " USER_ID ROLE").c_str()))
            return request{sub == "assign" ? "PUT" : "DELETE",
                           tenant + "/users/" + percent_encode(pos[0]) + "/roles/" + percent_encode(pos[1]),
                           {},
                           &print_user};
        if (error.empty()) error = "unknown users subcommand '" + sub + "'";
        return std::nullopt;
    }
    if (noun == "roles") {
        if (sub == "list" && want(0, "list")) return request{"GET", tenant + "/roles", {}, &print_roles};
        if (sub == "create" && want(1, "create NAME [--description D]")) {
            json body{{"name", pos[0]}};
            if (auto v = option(p, "--description")) body["description"] = *v;
            return request{"POST", tenant + "/roles", body.dump(), nullptr, "role " + pos[0] + " created"};
        }
        if (sub == "describe" && want(1, "describe NAME --description D")) {
            auto d = option(p, "--description");
            if (!d) {
                error = "usage: dirsyncctl roles describe NAME --description D";
                return std::nullopt;
            }
            return request{"PATCH", tenant + "/roles/" + percent_encode(pos[0]),
                           json{{"description", *d}}.dump(), nullptr, "role " + pos[0] + " described"};
        }
        if (sub == "delete" && want(1, "delete NAME [--force]"))
            return request{"DELETE",
                           tenant + "/roles/" + percent_encode(pos[0]) + (p.force ? "?force=true" : ""),
                           {},
                           [](const json& j) {
                               std::printf("role %s deleted; %s users and %s open invitations lost it\n",
                                           text(j, "deleted").c_str(),
                                           text(j["removedFrom"], "users").c_str(),
                                           text(j["removedFrom"], "openInvitations").c_str());
                           }};
        if (error.empty()) error = "unknown roles subcommand '" + sub + "'";
        return std::nullopt;
    }
    if (noun == "invitations") {
        const std::string base = tenant + "/invitations";
        if (sub == "list" && want(0, "list [--state S] [--limit N] [--cursor C]"))
            return request{"GET",
                           with_query(base, {{"state", option(p, "--state")},
                                             {"limit", option(p, "--limit")},
                                             {"after", option(p, "--cursor")}}),
                           {},
                           &print_invitations};
        if (sub == "show" && want(1, "show INVITATION_ID"))
            return request{"GET", base + "/" + percent_encode(pos[0]), {}, [](const json& j) {
                               print_invitation_rows(json::array({j}));
                           }};
        if (sub == "create") {
            if (pos.empty()) {
                error = "usage: dirsyncctl invitations create EMAIL... [--role R]...";
                return std::nullopt;
            }
            json body{{"emails", pos}};
            if (auto it = p.options.find("--role"); it != p.options.end()) body["roles"] = it->second;
            return request{"POST", base, body.dump(), &print_invite_results};
        }
        if (sub == "resend" && want(1, "resend INVITATION_ID"))
            return request{"POST", base + "/" + percent_encode(pos[0]) + "/resend", {}, &print_outcome};
        if (sub == "revoke" && want(1, "revoke INVITATION_ID"))
            return request{"DELETE",
                           base + "/" + percent_encode(pos[0]),
                           {},
                           nullptr,
                           "invitation " + pos[0] + " revoked"};
        if (error.empty()) error = "unknown invitations subcommand '" + sub + "'";
        return std::nullopt;
    }
    if (noun == "notifications") {
        const std::string base = tenant + "/notifications";
        if (sub == "list" && want(0, "list [--state S] [--limit N] [--cursor C]"))
            return request{"GET",
                           with_query(base, {{"state", option(p, "--state")},
                                             {"limit", option(p, "--limit")},
                                             {"before", option(p, "--cursor")}}),
                           {},
                           &print_notifications};
        if (sub == "retry" && want(1, "retry MESSAGE_ID"))
            return request{"POST",
                           base + "/" + percent_encode(pos[0]) + "/retry",
                           {},
                           nullptr,
                           "message " + pos[0] + " queued again"};
        if (error.empty()) error = "unknown notifications subcommand '" + sub + "'";
        return std::nullopt;
    }
    // audit
    if (sub == "list" && want(0, "list [--user ID] [--actor A] [--action X] [--since T] [--until T]"))
        return request{"GET",
                       with_query(tenant + "/audit", {{"user", option(p, "--user")},
                                                      {"actor", option(p, "--actor")},
                                                      {"action", option(p, "--action")},
                                                      {"since", option(p, "--since")},
                                                      {"until", option(p, "--until")},
                                                      {"limit", option(p, "--limit")},
                                                      {"cursor", option(p, "--cursor")}}),
                       {},
                       &print_audit};
    if (error.empty()) error = "unknown audit subcommand '" + sub + "'";
    return std::nullopt;
}

}  // namespace

int tenant_command(const std::string& noun, const std::vector<std::string>& args) {
    const auto& usage = usages.at(noun);
    for (const auto& a : args)
        if (a == "-h" || a == "--help" || (a == "help" && &a == &args.front())) {
            std::cout << usage << common_options;
            return 0;
        }
    std::string error;
    auto parsed = parse(args, error);
    if (!parsed) return usage_error(noun, error);
    auto req = plan(noun, *parsed, error);
    if (!req) return usage_error(noun, error);
    auto conn = resolve_connection(parsed->flags, error);
    if (!conn) {
        std::cerr << "dirsyncctl: " << error << '\n';
        return 1;
    }
    auto answer = call(*conn, req->method, req->target, req->body, parsed->acting_user);
    if (!answer) return 1;
    if (parsed->json) {
        std::cout << (answer->is_null() ? json::object() : *answer).dump(2) << '\n';
    } else if (req->print) {
        req->print(*answer);
    } else {
        std::printf("%s\n", req->done.c_str());
    }
    return 0;
}

}  // namespace dirsync::ctl
