// Durable before acknowledged: every user answered 201 survives a kill -9 of the daemon.
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

class CrashTest : public DaemonTest {};

TEST_F(CrashTest, AnsweredCreatesSurviveKill9) {
    constexpr std::size_t writers = 8;
    std::mt19937 rng(std::random_device{}());
    std::set<std::string> acknowledged;
    int round_base = 0;
    for (int round = 0; round < 3; ++round) {
        std::mutex m;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        // Eight writers at once: with group commit they share commits (a waiting write lends its place),
        // so a kill lands between the answers of one batch's writes as well as between batches.
        for (std::size_t t = 0; t < writers; ++t)
            clients.emplace_back([&, t] {
                http_client c(port(), std::chrono::seconds(5));
                for (int i = 0; !stop; ++i) {
                    std::string name = "crash-" + std::to_string(round_base) + "-" + std::to_string(t) + "-" +
                                       std::to_string(i);
                    http_result r;
                    try {
                        r = c.request("POST", "/scim/v2/Users", user_json(name).dump(),
                                      {"Authorization: Bearer " + std::string(acme_token),
                                       "Content-Type: application/scim+json"});
                    } catch (const std::exception&) {
                        return;  // the daemon is gone
                    }
                    if (r.status == 0) return;
                    if (r.status == 201) {
                        auto j = json::parse(r.body);
                        std::lock_guard lock(m);
                        acknowledged.insert(j["id"].get<std::string>());
                    }
                }
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 250));
        daemon_->kill_hard();
        stop = true;
        for (auto& th : clients) th.join();
        round_base += 1;

        daemon_->start();
        ASSERT_FALSE(acknowledged.empty());
        http_client c(port());
        for (const auto& id : acknowledged) {
            auto r = c.request("GET", "/scim/v2/Users/" + id, {},
                               {"Authorization: Bearer " + std::string(acme_token)});
            ASSERT_EQ(r.status, 200) << "user " << id << " was answered 201 but is gone after kill -9";
        }
        auto list = json::parse(c.request("GET", "/scim/v2/Users?count=0", {},
                                          {"Authorization: Bearer " + std::string(acme_token)})
                                    .body);
        // Beyond the acknowledged ones, only creates in flight at a kill (one per writer per round) may
        // exist.
        EXPECT_GE(list["totalResults"].get<std::size_t>(), acknowledged.size());
        EXPECT_LE(list["totalResults"].get<std::size_t>(),
                  acknowledged.size() + writers * static_cast<std::size_t>(round + 1));
    }
}

}  // namespace
}  // namespace dirsync::testing
