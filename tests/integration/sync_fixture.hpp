#pragma once

// The daemon under test with sync sources: starting runs through the admin API, waiting for them, and reading
// what they wrote into the tenant `acme`.

#include <string>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {

class SyncDaemonTest : public DaemonTest {
  protected:
    static constexpr const char* admin_token = "admin-token-for-sync-tests";
    /// The source the helpers run.
    std::string source_name = "corp";

    /// The `admin_tokens:` section admitting `admin_token`.
    static std::string admin_tokens_yaml() {
        return "admin_tokens:\n  - sha256: \"" + common::to_hex(common::sha256(admin_token)) + "\"\n";
    }

    http_result admin(const std::string& method, const std::string& target, const std::string& body = {}) {
        return call(admin_token, method, "/admin/v1" + target, body);
    }

    /// Waits for run `id` to end and returns it.
    nlohmann::json wait_run(std::int64_t id, std::chrono::seconds timeout = std::chrono::seconds(120)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto r = admin("GET", "/sync/runs/" + std::to_string(id));
            auto j = parse(r);
            if (r.status == 200 && j.value("status", "") != "running") return j;
            if (std::chrono::steady_clock::now() > until) {
                ADD_FAILURE() << "run " << id << " did not end: " << r.body;
                return j;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    /// Starts a run of `source_name` through the admin API once no other run of it is under way; its id.
    std::int64_t start_run(const std::string& body = {}) {
        for (int attempt = 0; attempt < 600; ++attempt) {
            auto r = admin("POST", "/sync/sources/" + source_name + "/runs", body);
            if (r.status == 202) return parse(r)["run"].get<std::int64_t>();
            EXPECT_EQ(r.status, 409) << r.body;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "could not start a run";
        return 0;
    }

    /// start_run, then wait_run.
    nlohmann::json run_now(const std::string& body = {}) { return wait_run(start_run(body)); }

    /// The first scheduled run (2 s after start-up), once it ended.
    nlohmann::json wait_first_run() {
        for (int i = 0; i < 300; ++i) {
            auto runs = parse(admin("GET", "/sync/sources/" + source_name + "/runs"));
            if (runs.is_array() && !runs.empty()) return wait_run(runs.back()["id"].get<std::int64_t>());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "no scheduled run";
        return {};
    }

    /// The acme user with this userName over SCIM; null when there is none.
    nlohmann::json find_user(const std::string& user_name) {
        auto r = call(acme_token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + user_name + "%22");
        auto j = parse(r);
        if (r.status != 200 || j["totalResults"] != 1) return {};
        return j["Resources"][0];
    }

    std::int64_t user_count() {
        return parse(call(acme_token, "GET", "/scim/v2/Users?count=0"))["totalResults"].get<std::int64_t>();
    }
};

}  // namespace dirsync::testing
