// dirsyncctl: the admin command line of dirsyncd.
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.hpp"
#include "ctl/backup_command.hpp"
#include "ctl/sync_commands.hpp"
#include "ctl/tenant_commands.hpp"

namespace {

constexpr std::string_view usage = R"(usage: dirsyncctl <command> [options]

Administers dirsyncd.

commands:
  hash-token     read a bearer token on standard input and print its SHA-256 digest (hex), the form
                 the configuration takes under scim_tokens: and admin_tokens: - sha256: "<digest>"
  sync           list sync sources and runs, start a run, release a blocked run (on the running
                 daemon, through its admin API; see dirsyncctl sync --help)
  tenants        list tenants with seats and users by status
  users          list, search, show, create, enable, disable, disconnect, reconnect, register,
                 leave, delete users; assign and unassign roles (-t TENANT; see dirsyncctl users --help)
  roles          a tenant's role catalogue: list, create, describe, delete
  audit          a tenant's audit trail, newest first, with filters
  invitations    invite people (several at once), list, show, resend, revoke; accept a code
  notifications  a tenant's outbox of notices: list pending, delivered and failed; retry
  people         a person's records across tenants, by e-mail (operators)
  status         the daemon at a glance: version, uptime, readiness, tenants, store, sources (operators)
  reload         make the daemon read its configuration again and apply it (operators)
  backup FILE    an online copy of the daemon's store while it serves (on its host; see backup --help)
  relocations    move a person's record between tenants: request, authorise, refuse, remind, list
  help           show this help

options:
  -h, --help     show this help
  --version      show the version

examples:
  openssl rand -hex 32 | tee token.txt | dirsyncctl hash-token
  dirsyncctl sync runs corp-ldap
  dirsyncctl sync run corp-ldap --dry-run
  dirsyncctl sync release corp-ldap 42
  dirsyncctl users list -t acme --status requested
  dirsyncctl users assign -t acme 5f0c... auditor --acting-user 9a1b...
  dirsyncctl audit -t acme --action user. -o json
)";

int hash_token() {
    if (::isatty(STDIN_FILENO)) std::cerr << "reading the token from standard input (end with Ctrl-D)...\n";
    std::string token((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    while (!token.empty() &&
           (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    std::size_t start = token.find_first_not_of(" \t\r\n");
    token = start == std::string::npos ? std::string() : token.substr(start);
    if (token.empty()) {
        std::cerr << "dirsyncctl: hash-token: no token on standard input\n";
        return 1;
    }
    if (token.find_first_of(" \t\r\n") != std::string::npos) {
        std::cerr << "dirsyncctl: hash-token: the token must be a single line without spaces\n";
        return 1;
    }
    std::cout << dirsync::common::to_hex(dirsync::common::sha256(token)) << '\n';
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << usage;
        return 2;
    }
    std::string_view cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::cout << usage;
        return 0;
    }
    if (cmd == "--version") {
        std::cout << "dirsyncctl " DIRSYNC_VERSION "\n";
        return 0;
    }
    if (cmd == "hash-token") {
        if (argc > 2) {
            std::string_view opt = argv[2];
            if (opt == "-h" || opt == "--help") {
                std::cout << "usage: dirsyncctl hash-token < token-file\n"
                             "Prints the SHA-256 digest (hex) of the token read on standard input.\n";
                return 0;
            }
            std::cerr << "dirsyncctl: hash-token takes no arguments (the token is read on standard input)\n";
            return 2;
        }
        return hash_token();
    }
    if (cmd == "sync") return dirsync::ctl::sync_command(std::vector<std::string>(argv + 2, argv + argc));
    if (cmd == "backup") return dirsync::ctl::backup_command(std::vector<std::string>(argv + 2, argv + argc));
    if (cmd == "tenants" || cmd == "users" || cmd == "roles" || cmd == "audit" || cmd == "invitations" ||
        cmd == "notifications" || cmd == "people" || cmd == "relocations" || cmd == "reload" ||
        cmd == "status")
        return dirsync::ctl::tenant_command(std::string(cmd),
                                            std::vector<std::string>(argv + 2, argv + argc));
    std::cerr << "dirsyncctl: unknown command '" << cmd << "' (see dirsyncctl --help)\n";
    return 2;
}
