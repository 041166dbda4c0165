// Seeds a dirsyncd SQLite database with N users of one tenant through the directory's batch write path,
// and prints the id of one user (for GET benchmarks) and the time taken. Optionally writes every user's id
// (one per line, in creation order) and creates a group whose members are the first M users.
//   seed_users DB_PATH TENANT COUNT [ID_FILE] [--ids IDS_FILE] [--group MEMBERS GROUP_ID_FILE]
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "directory/directory.hpp"
#include "store/database.hpp"

namespace {

int usage() {
    std::cerr << "usage: seed_users DB_PATH TENANT COUNT [ID_FILE] [--ids IDS_FILE] [--group MEMBERS "
                 "GROUP_ID_FILE]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) return usage();
    std::string path = argv[1], tenant = argv[2];
    long count = std::strtol(argv[3], nullptr, 10);
    std::string id_file, ids_file, group_id_file;
    long group_members = -1;
    for (int i = 4; i < argc; ++i) {
        if (std::strcmp(argv[i], "--ids") == 0 && i + 1 < argc) {
            ids_file = argv[++i];
        } else if (std::strcmp(argv[i], "--group") == 0 && i + 2 < argc) {
            group_members = std::strtol(argv[++i], nullptr, 10);
            group_id_file = argv[++i];
        } else if (i == 4 && argv[i][0] != '-') {
            id_file = argv[i];
        } else {
            return usage();
        }
    }
    if (group_members > count) {
        std::cerr << "--group MEMBERS must not exceed COUNT\n";
        return 2;
    }
    using namespace dirsync;
    store::database db(path);
    directory::tenant_directory dir(db);
    dir.configure_tenants({{tenant, tenant, std::nullopt}});
    directory::actor who{"cli", "bench-seed"};
    auto start = std::chrono::steady_clock::now();
    std::string sample_id;
    std::vector<std::string> ids;
    const bool keep_ids = !ids_file.empty() || group_members >= 0;
    if (keep_ids) ids.reserve(static_cast<std::size_t>(count));
    constexpr long batch = 2000;
    for (long base = 0; base < count; base += batch) {
        auto r = dir.in_batch(who, [&](directory::tenant_directory::batch& b) -> directory::result<void> {
            for (long i = base; i < std::min(count, base + batch); ++i) {
                std::string n = std::to_string(i);
                directory::user_write w;
                w.resource = {
                    {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                    {"userName", "user" + n + "@example.com"},
                    {"externalId", "ext-" + n},
                    {"displayName", "User " + n},
                    {"active", true},
                    {"name", {{"givenName", "Given" + n}, {"familyName", "Family" + n}}},
                    {"emails",
                     {{{"value", "user" + n + "@example.com"}, {"type", "work"}, {"primary", true}}}}};
                auto u = b.create_user(tenant, std::move(w));
                if (!u) return u.error();
                if (i == count / 2) sample_id = u->id;
                if (keep_ids) ids.push_back(u->id);
            }
            return {};
        });
        if (!r) {
            std::cerr << "seed failed: " << r.error().message << "\n";
            return 1;
        }
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "seeded " << count << " users in " << secs << " s (" << static_cast<long>(count / secs)
              << " users/s)\n";
    if (!ids_file.empty()) {
        std::ofstream out(ids_file);
        for (const auto& id : ids) out << id << "\n";
    }
    if (group_members >= 0) {
        auto g0 = std::chrono::steady_clock::now();
        directory::group_write w;
        w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "big"}};
        for (long i = 0; i < group_members; ++i)
            w.members.push_back(
                directory::member_ref{ids[static_cast<std::size_t>(i)], std::nullopt, std::nullopt});
        auto g = dir.create_group(who, tenant, std::move(w));
        if (!g) {
            std::cerr << "creating the group failed: " << g.error().message << "\n";
            return 1;
        }
        std::cerr << "created group " << g->id << " of " << group_members << " members in "
                  << std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count() << " s\n";
        std::ofstream(group_id_file) << g->id << "\n";
    }
    if (!id_file.empty()) std::ofstream(id_file) << sample_id << "\n";
    std::cout << sample_id << "\n";
    return 0;
}
