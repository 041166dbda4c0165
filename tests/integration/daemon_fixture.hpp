#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/sha256.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::testing {

/// Starts the real dirsyncd on an ephemeral loopback port with a temp SQLite file and two tenants:
/// acme (token "acme-token", unlimited seats) and globex (token "globex-token", 3 seats).
class DaemonTest : public ::testing::Test {
  protected:
    static constexpr const char* acme_token = "acme-token-0123456789";
    static constexpr const char* globex_token = "globex-token-0123456789";

    temp_dir dir_;
    std::unique_ptr<daemon_process> daemon_;

    virtual std::string extra_server_yaml() const { return ""; }
    /// The `limits:` line of the `server:` section.
    virtual std::string limits_yaml() const {
        return "  limits: { max_body_bytes: 65536, header_timeout: 5s, idle_timeout: 30s, shutdown_grace: 5s "
               "}\n";
    }
    /// More settings of the tenant `id` (acme or globex), each line indented by four spaces.
    virtual std::string tenant_extra_yaml(const std::string& id) const {
        (void)id;
        return "";
    }
    /// More items of the `tenants:` list (each starting with "  - id: ").
    virtual std::string extra_tenants_yaml() const { return ""; }
    /// More top-level sections, written after `tenants:`.
    virtual std::string extra_top_level_yaml() const { return ""; }
    /// The lines of the `storage:` section: the SQLite file data/dirsyncd.db, or its PostgreSQL twin when the
    /// tests run on PostgreSQL (tests/support/test_store.hpp).
    virtual std::string storage_yaml() const { return test_store_yaml(dir_, "data/dirsyncd.db"); }

    void SetUp() override {
        write_config();
        daemon_ = std::make_unique<daemon_process>(dir_.file("dirsyncd.yaml"), dir_.file("dirsyncd.log"));
        daemon_->start();
    }

    void TearDown() override {
        if (HasFailure() && daemon_) std::cerr << "--- dirsyncd log ---\n" << daemon_->log() << "---\n";
    }

    void write_config() {
        std::ofstream out(dir_.file("dirsyncd.yaml"));
        out << "server:\n"
               "  listen: 127.0.0.1:0\n"
               "  threads: 2\n"
            << limits_yaml() << extra_server_yaml() << "storage:\n"
            << storage_yaml()
            << "tenants:\n"
               "  - id: acme\n"
               "    name: Acme Corp\n"
               "    scim_tokens:\n"
               "      - sha256: \""
            << common::to_hex(common::sha256(acme_token)) << "\"\n"
            << tenant_extra_yaml("acme")
            << "  - id: globex\n"
               "    name: Globex\n"
               "    seats: 3\n"
               "    scim_tokens:\n"
               "      - sha256: \""
            << common::to_hex(common::sha256(globex_token)) << "\"\n"
            << tenant_extra_yaml("globex") << extra_tenants_yaml() << extra_top_level_yaml();
    }

    void restart() {
        ASSERT_EQ(daemon_->stop(), 0) << daemon_->log();
        daemon_->start();
    }

    std::uint16_t port() const { return daemon_->port(); }

    /// True once the daemon's log contains `text` (log lines may land just after the response).
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (daemon_->log().find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return true;
    }

    /// One SCIM call with a bearer token to the daemon listening on `port`; the body is sent as
    /// application/scim+json.
    static http_result call_at(std::uint16_t port, const std::string& token, const std::string& method,
                               const std::string& target, const std::string& body = {},
                               std::vector<std::string> headers = {}) {
        http_client c(port);
        if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
        if (!body.empty()) headers.push_back("Content-Type: application/scim+json");
        return c.request(method, target, body, headers);
    }

    /// call_at the daemon under test.
    http_result call(const std::string& token, const std::string& method, const std::string& target,
                     const std::string& body = {}, std::vector<std::string> headers = {}) {
        return call_at(port(), token, method, target, body, std::move(headers));
    }

    /// An admin API call with a JSON body and, when given, the acting-user header.
    http_result admin(const std::string& token, const std::string& method, const std::string& target,
                      const nlohmann::json& body = nullptr, const std::string& acting_user = {}) {
        std::vector<std::string> headers;
        if (!acting_user.empty()) headers.push_back("Dirsync-Acting-User: " + acting_user);
        return call(token, method, target, body.is_null() ? std::string() : body.dump(), headers);
    }

    static nlohmann::json user_json(const std::string& user_name, const std::string& external_id = {}) {
        nlohmann::json j = {
            {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
            {"userName", user_name},
            {"active", true},
            {"name", {{"givenName", "Barbara"}, {"familyName", "Jensen"}}},
            {"emails", {{{"value", user_name + "@example.com"}, {"type", "work"}, {"primary", true}}}}};
        if (!external_id.empty()) j["externalId"] = external_id;
        return j;
    }

    /// POSTs a user and returns its id (asserting 201).
    std::string create_user(const std::string& token, const std::string& user_name,
                            const std::string& external_id = {}) {
        auto r = call(token, "POST", "/scim/v2/Users", user_json(user_name, external_id).dump());
        EXPECT_EQ(r.status, 201) << r.body;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        return j.is_object() && j.contains("id") ? j["id"].get<std::string>() : std::string();
    }

    static nlohmann::json parse(const http_result& r) {
        return nlohmann::json::parse(r.body, nullptr, false);
    }

    /// An admin API error: the SCIM Error shape as application/json, with its machine-readable `code`.
    static void expect_admin_error(const http_result& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
        auto j = parse(r);
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j["schemas"], nlohmann::json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
        EXPECT_EQ(j["status"], std::to_string(status));
        EXPECT_EQ(j.value("code", ""), code) << r.body;
        EXPECT_TRUE(j.value("detail", "").size() > 0) << r.body;
    }

    static void expect_scim_error(const http_result& r, int status, const std::string& scim_type = {}) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type").rfind("application/scim+json", 0), 0u) << r.header("Content-Type");
        auto j = parse(r);
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j["schemas"], nlohmann::json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
        EXPECT_EQ(j["status"], std::to_string(status));
        if (!scim_type.empty()) {
            EXPECT_EQ(j.value("scimType", ""), scim_type) << r.body;
        }
    }
};

}  // namespace dirsync::testing
