// Times single-member PATCH adds and removes through the directory's write path on a group of N members
// (default 100,000) and, for comparison, on a group of 10: the cost must not grow with the group.
//   group_patch DB_PATH [MEMBERS] [SAMPLES]
// DB_PATH must not exist yet. Prints RESULT lines (median and p99 per operation, in ms).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "directory/directory.hpp"
#include "store/database.hpp"

namespace {

using namespace dirsync;
using clock_type = std::chrono::steady_clock;

constexpr const char* tenant = "bench";
constexpr long seed_batch = 5000;

directory::member_ref ref(const std::string& id) {
    return directory::member_ref{id, std::nullopt, std::nullopt};
}

/// Creates `count` users; returns their ids.
std::vector<std::string> seed_users(directory::tenant_directory& dir, const directory::actor& who,
                                    long count) {
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(count));
    for (long base = 0; base < count; base += seed_batch) {
        auto r = dir.in_batch(who, [&](directory::tenant_directory::batch& b) -> directory::result<void> {
            for (long i = base; i < std::min(count, base + seed_batch); ++i) {
                directory::user_write w;
                w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                              {"userName", "user" + std::to_string(i) + "@example.com"},
                              {"active", true}};
                auto u = b.create_user(tenant, std::move(w));
                if (!u) return u.error();
                ids.push_back(u->id);
            }
            return {};
        });
        if (!r) throw std::runtime_error("seeding users failed: " + r.error().message);
    }
    return ids;
}

std::string create_group(directory::tenant_directory& dir, const directory::actor& who,
                         const std::string& name, const std::vector<std::string>& ids, std::size_t from,
                         std::size_t to) {
    directory::group_write w;
    w.resource = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
    for (std::size_t i = from; i < to; ++i) w.members.push_back(ref(ids[i]));
    auto g = dir.create_group(who, tenant, std::move(w));
    if (!g) throw std::runtime_error("creating the group failed: " + g.error().message);
    return g->id;
}

/// Times `samples` changes of one member each on group `id`; returns per-operation milliseconds.
std::vector<double> time_steps(directory::tenant_directory& dir, const directory::actor& who,
                               const std::string& id, const std::vector<std::string>& members, bool add) {
    std::vector<double> ms;
    for (const auto& m : members) {
        auto start = clock_type::now();
        auto r = dir.modify_group(
            who, tenant, id, [&](const directory::group& g) -> directory::result<directory::group_change> {
                directory::group_change c;
                c.resource = g.resource;
                c.members.push_back(add ? directory::member_step::add({ref(m)})
                                        : directory::member_step::remove({ref(m)}));
                return c;
            });
        ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
        if (!r) throw std::runtime_error("modify_group failed: " + r.error().message);
    }
    return ms;
}

void report(const std::string& what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
    };
    std::cout << "RESULT " << what << ": median " << at(0.5) << " ms, p99 " << at(0.99) << " ms over "
              << ms.size() << " requests\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: group_patch DB_PATH [MEMBERS] [SAMPLES]\n";
        return 2;
    }
    const std::string path = argv[1];
    const long members = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 100'000;
    const long samples = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 200;
    if (std::filesystem::exists(path)) {
        std::cerr << path << " exists; give a new path\n";
        return 2;
    }
    try {
        store::database db(path);
        directory::tenant_directory dir(db);
        dir.configure_tenants({{tenant, tenant, std::nullopt}});
        directory::actor who{"cli", "bench-group-patch"};

        auto t0 = clock_type::now();
        auto ids = seed_users(dir, who, members + samples + 10);
        auto t1 = clock_type::now();
        const auto n = static_cast<std::size_t>(members);
        const std::string big = create_group(dir, who, "big", ids, 0, n);
        auto t2 = clock_type::now();
        const std::string small = create_group(dir, who, "small", ids, n, n + 10);
        std::cerr << "seeded " << ids.size() << " users in " << std::chrono::duration<double>(t1 - t0).count()
                  << " s; created a group of " << members << " members in "
                  << std::chrono::duration<double>(t2 - t1).count() << " s\n";

        const std::vector<std::string> extra(ids.begin() + static_cast<long>(n) + 10, ids.end());
        report("PATCH add 1 member, group of " + std::to_string(members),
               time_steps(dir, who, big, extra, true));
        report("PATCH remove 1 member, group of " + std::to_string(members),
               time_steps(dir, who, big, extra, false));
        report("PATCH add 1 member, group of 10", time_steps(dir, who, small, extra, true));
        report("PATCH remove 1 member, group of 10", time_steps(dir, who, small, extra, false));

        auto g0 = clock_type::now();
        auto without = dir.get_group(tenant, big, false);
        auto g1 = clock_type::now();
        auto with = dir.get_group(tenant, big, true);
        auto g2 = clock_type::now();
        if (!without || !with) throw std::runtime_error("get_group failed");
        std::cout << "RESULT get_group without members: "
                  << std::chrono::duration<double, std::milli>(g1 - g0).count() << " ms; with "
                  << with->members->size()
                  << " members: " << std::chrono::duration<double, std::milli>(g2 - g1).count() << " ms\n";
    } catch (const std::exception& e) {
        std::cerr << "group_patch: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
