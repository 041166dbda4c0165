// Seeds a dirsyncd SQLite database with N users of one tenant through the directory's batch write path,
// and prints the id of one user (for GET benchmarks) and the time taken.
//   seed_users DB_PATH TENANT COUNT [ID_FILE]
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "directory/directory.hpp"
#include "store/database.hpp"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: seed_users DB_PATH TENANT COUNT [ID_FILE]\n";
        return 2;
    }
    std::string path = argv[1], tenant = argv[2];
    long count = std::strtol(argv[3], nullptr, 10);
    using namespace dirsync;
    store::database db(path);
    directory::directory dir(db);
    dir.sync_tenants({{tenant, tenant, std::nullopt}});
    directory::actor who{"cli", "bench-seed"};
    auto start = std::chrono::steady_clock::now();
    std::string sample_id;
    constexpr long batch = 2000;
    for (long base = 0; base < count; base += batch) {
        auto r = dir.in_batch(who, [&](directory::directory::batch& b) -> directory::result<void> {
            for (long i = base; i < std::min(count, base + batch); ++i) {
                std::string n = std::to_string(i);
                directory::user_write w;
                w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                              {"userName", "user" + n + "@example.com"},
                              {"externalId", "ext-" + n},
                              {"displayName", "User " + n},
                              {"active", true},
                              {"name", {{"givenName", "Given" + n}, {"familyName", "Family" + n}}},
                              {"emails", {{{"value", "user" + n + "@example.com"}, {"type", "work"}, {"primary", true}}}}};
                auto u = b.create_user(tenant, std::move(w));
                if (!u) return u.error();
                if (i == count / 2) sample_id = u->id;
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
    if (argc > 4) std::ofstream(argv[4]) << sample_id << "\n";
    std::cout << sample_id << "\n";
    return 0;
}
