// Two real dirsyncd processes on one PostgreSQL database (active/active behind a load balancer): every rule
// holds across them as within one process. Runs on the run's private cluster (tests/support/test_store.hpp).
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {
namespace {

using json = nlohmann::json;

constexpr const char* operator_token = "multi-instance-operator-token";

class MultiInstanceTest : public DaemonTest {
  protected:
    std::unique_ptr<daemon_process> second_;

    std::string extra_top_level_yaml() const override {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(operator_token)) + "\"\n";
    }

    void SetUp() override {
        DaemonTest::SetUp();
        // The same configuration, the same database: a second instance.
        second_ = std::make_unique<daemon_process>(dir_.file("dirsyncd.yaml"), dir_.file("second.log"));
        second_->start();
    }

    void TearDown() override {
        if (HasFailure() && second_)
            std::cerr << "--- second dirsyncd log ---\n" << second_->log() << "---\n";
        DaemonTest::TearDown();
    }

    /// The port of instance `i` (0 or 1): a round-robin balancer's choice.
    std::uint16_t instance_port(std::size_t i) const { return i % 2 ? second_->port() : port(); }

    http_result post_user(std::size_t instance, const std::string& token, const std::string& user_name) {
        http_client c(instance_port(instance));
        return c.request("POST", "/scim/v2/Users", user_json(user_name).dump(),
                         {"Authorization: Bearer " + token, "Content-Type: application/scim+json"});
    }

    json tenant_on(std::size_t instance, const std::string& id) {
        http_client c(instance_port(instance));
        auto r = c.request("GET", "/admin/v1/tenants/" + id, {},
                           {"Authorization: Bearer " + std::string(operator_token)});
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r);
    }
};

TEST_F(MultiInstanceTest, BothInstancesServeTheSameRecords) {
    auto r = post_user(0, acme_token, "shared-record");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = parse(r)["id"].get<std::string>();
    http_client b(instance_port(1));
    auto got =
        b.request("GET", "/scim/v2/Users/" + id, {}, {"Authorization: Bearer " + std::string(acme_token)});
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(parse(got)["userName"], "shared-record");
    // Another tenant's token sees nothing of it on either instance.
    for (std::size_t i = 0; i < 2; ++i) {
        http_client c(instance_port(i));
        auto other = c.request("GET", "/scim/v2/Users/" + id, {},
                               {"Authorization: Bearer " + std::string(globex_token)});
        EXPECT_EQ(other.status, 404) << other.body;
    }
}

TEST_F(MultiInstanceTest, AStormOfCreatesOfOneUserNameMakesExactlyOneUser) {
    for (int round = 0; round < 5; ++round) {
        const std::string name = "storm-" + std::to_string(round);
        std::atomic<int> created{0}, conflicts{0}, other{0};
        std::vector<std::thread> clients;
        for (std::size_t i = 0; i < 8; ++i)
            clients.emplace_back([&, i] {
                auto r = post_user(i, acme_token, name);
                if (r.status == 201)
                    ++created;
                else if (r.status == 409 && parse(r)["scimType"] == "uniqueness")
                    ++conflicts;
                else
                    ++other;
            });
        for (auto& c : clients) c.join();
        EXPECT_EQ(created, 1) << name;
        EXPECT_EQ(conflicts, 7) << name;
        EXPECT_EQ(other, 0) << name;
    }
    EXPECT_EQ(tenant_on(1, "acme")["users"]["total"], 5);
}

TEST_F(MultiInstanceTest, TheLastSeatsAreGrantedOnceFromBothInstances) {
    // globex has 3 seats; twelve users arrive at once through both instances.
    std::vector<std::thread> clients;
    std::atomic<int> created{0};
    for (std::size_t i = 0; i < 12; ++i)
        clients.emplace_back([&, i] {
            if (post_user(i, globex_token, "seat-" + std::to_string(i)).status == 201) ++created;
        });
    for (auto& c : clients) c.join();
    EXPECT_EQ(created, 12);
    for (std::size_t i = 0; i < 2; ++i) {
        auto t = tenant_on(i, "globex");
        EXPECT_EQ(t["seats"], json({{"limit", 3}, {"used", 3}, {"free", 0}})) << t.dump();
        EXPECT_EQ(t["users"]["requested"], 9) << t.dump();
    }
}

TEST_F(MultiInstanceTest, AnInstanceKilledUnderWriteLoadLosesNoAnsweredWriteAndTheOtherServesOn) {
    std::mutex m;
    std::set<std::string> acknowledged;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (std::size_t t = 0; t < 6; ++t)
        clients.emplace_back([&, t] {
            for (int i = 0; !stop; ++i) {
                http_result r;
                try {
                    r = post_user(t, acme_token, "load-" + std::to_string(t) + "-" + std::to_string(i));
                } catch (const std::exception&) {
                    if (t % 2 == 0) return;  // the first instance is gone
                    continue;
                }
                if (r.status == 0 && t % 2 == 0) return;
                if (r.status == 201) {
                    std::lock_guard lock(m);
                    acknowledged.insert(parse(r)["id"].get<std::string>());
                }
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    daemon_->kill_hard();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the second instance keeps taking writes
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_GT(acknowledged.size(), 10u);
    http_client c(instance_port(1));
    for (const auto& id : acknowledged) {
        auto r = c.request("GET", "/scim/v2/Users/" + id, {},
                           {"Authorization: Bearer " + std::string(acme_token)});
        ASSERT_EQ(r.status, 200) << id << ": " << r.body;
    }
    // And it still writes.
    EXPECT_EQ(post_user(1, acme_token, "after-the-kill").status, 201);
}

TEST_F(MultiInstanceTest, AnOutdatedVersionIsRefusedWhicheverInstanceWrote) {
    auto r = post_user(0, acme_token, "versioned");
    ASSERT_EQ(r.status, 201);
    const auto id = parse(r)["id"].get<std::string>();
    const auto etag = r.header("ETag");
    ASSERT_FALSE(etag.empty());
    auto patch = [&](std::size_t instance, const std::string& display) {
        http_client c(instance_port(instance));
        json body = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                     {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", display}}}}};
        return c.request("PATCH", "/scim/v2/Users/" + id, body.dump(),
                         {"Authorization: Bearer " + std::string(acme_token),
                          "Content-Type: application/scim+json", "If-Match: " + etag});
    };
    EXPECT_EQ(patch(1, "From the second").status, 200);
    auto late = patch(0, "From the first, late");
    EXPECT_EQ(late.status, 412) << late.body;
}

}  // namespace
}  // namespace dirsync::testing
