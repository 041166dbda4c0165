#include "config/load.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::config {
namespace {

using dirsync::testing::scoped_env;
using dirsync::testing::temp_dir;

using namespace std::chrono_literals;
using common::sha256;

// "line:column: message" of every diagnostic.
std::vector<std::string> lines(const config_error& error) {
    std::vector<std::string> out;
    for (const auto& d : error.diagnostics)
        out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
    return out;
}

std::string joined(const config_error& error) {
    std::string out;
    for (const auto& l : lines(error)) out += l + "\n";
    return out;
}

// `text` with the first `placeholder` replaced by `value`.
std::string substitute(std::string text, std::string_view placeholder, const std::string& value) {
    auto at = text.find(placeholder);
    if (at != std::string::npos) text.replace(at, placeholder.size(), value);
    return text;
}

// The examples/ directory of the source tree, found from this file's path (tests/config/load_test.cpp).
std::filesystem::path example_file() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "examples" /
           "dirsyncd.yaml";
}

// -----------------------------------------------------------------------------------------------------------
// Valid configurations

TEST(LoadSettings, FullConfigurationSetsEveryField) {
    temp_dir dir;
    auto cert = dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
    auto key = dir.write("key.pem", "-----BEGIN PRIVATE KEY-----\n");
    auto token_file = dir.write("acme.token", "file-token\n");
    dir.write("globex-scim", "credential-token\n");
    scoped_env env("DIRSYNC_TEST_ENV_TOKEN", "env-token");
    scoped_env credentials("CREDENTIALS_DIRECTORY", dir.path().c_str());
    auto hex_token = common::to_hex(sha256("hex-token"));

    std::string yaml = R"(server:
  listen: "[::1]:9443"
  threads: 8
  workers: 6
  tenant_concurrency: 2
  tls:
    cert: @CERT@
    key: @KEY@
  limits:
    max_body_bytes: 2MiB
    max_header_bytes: 8192
    header_timeout: 5s
    body_timeout: 1m
    idle_timeout: 2h
    write_timeout: 1500ms
    max_connections: 64
    shutdown_grace: 1d
storage:
  sqlite: /var/lib/dirsyncd/test.db
  max_resource_size: 64KiB
logging:
  level: warning
  access_log: false
tenants:
  - id: acme
    name: Acme Corp
    seats: 50
    scim_tokens:
      - sha256: "@HEX@"
      - file: @TOKEN_FILE@
      - env: DIRSYNC_TEST_ENV_TOKEN
  - id: globex_2-b
    name: Globex
    scim_tokens:
      - credential: globex-scim
  - id: "0"
    name: Zero
    seats: 0
)";
    yaml = substitute(yaml, "@CERT@", cert);
    yaml = substitute(yaml, "@KEY@", key);
    yaml = substitute(yaml, "@HEX@", hex_token);
    yaml = substitute(yaml, "@TOKEN_FILE@", token_file);
    auto loaded = load_settings_string(yaml, "full.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const settings& s = *loaded;

    EXPECT_EQ(s.source_file, "full.yaml");
    EXPECT_EQ(s.server.listen.host, "::1");
    EXPECT_EQ(s.server.listen.port, 9443);
    EXPECT_EQ(s.server.threads, 8u);
    EXPECT_EQ(s.server.workers, 6u);
    EXPECT_EQ(s.server.tenant_concurrency, 2u);
    ASSERT_TRUE(s.server.tls);
    EXPECT_EQ(s.server.tls->cert_file, cert);
    EXPECT_EQ(s.server.tls->key_file, key);
    EXPECT_EQ(s.server.limits.max_body_bytes, 2u * 1024 * 1024);
    EXPECT_EQ(s.server.limits.max_header_bytes, 8192u);
    EXPECT_EQ(s.server.limits.header_timeout, 5s);
    EXPECT_EQ(s.server.limits.body_timeout, 1min);
    EXPECT_EQ(s.server.limits.idle_timeout, 2h);
    EXPECT_EQ(s.server.limits.write_timeout, 1500ms);
    EXPECT_EQ(s.server.limits.max_connections, 64u);
    EXPECT_EQ(s.server.limits.shutdown_grace, 24h);
    EXPECT_EQ(s.storage.sqlite_path, "/var/lib/dirsyncd/test.db");
    EXPECT_EQ(s.storage.max_resource_bytes, 64u * 1024);
    EXPECT_EQ(s.logging.level, common::log_level::warning);
    EXPECT_FALSE(s.logging.access_log);

    ASSERT_EQ(s.tenants.size(), 3u);
    EXPECT_EQ(s.tenants[0].id, "acme");
    EXPECT_EQ(s.tenants[0].name, "Acme Corp");
    EXPECT_EQ(s.tenants[0].seats, 50u);
    ASSERT_EQ(s.tenants[0].scim_tokens.size(), 3u);
    EXPECT_EQ(s.tenants[0].scim_tokens[0], sha256("hex-token"));
    EXPECT_EQ(s.tenants[0].scim_tokens[1], sha256("file-token"));
    EXPECT_EQ(s.tenants[0].scim_tokens[2], sha256("env-token"));
    EXPECT_EQ(s.tenants[1].id, "globex_2-b");
    EXPECT_EQ(s.tenants[1].name, "Globex");
    EXPECT_FALSE(s.tenants[1].seats);
    ASSERT_EQ(s.tenants[1].scim_tokens.size(), 1u);
    EXPECT_EQ(s.tenants[1].scim_tokens[0], sha256("credential-token"));
    EXPECT_EQ(s.tenants[2].id, "0");
    EXPECT_EQ(s.tenants[2].seats, 0u);
    EXPECT_TRUE(s.tenants[2].scim_tokens.empty());
}

TEST(LoadSettings, InvitationsEmailPolicyTemplatesAndNotifications) {
    temp_dir dir;
    const auto secret = dir.write("hook.secret", "s3cret\n");
    auto loaded = load_settings_string(
        "storage: {sqlite: x.db}\n"
        "tenants:\n"
        "  - id: acme\n"
        "    name: Acme\n"
        "    provisioning: invite\n"
        "    invitations:\n"
        "      expire_after: 7d\n"
        "      daily_limit: 10\n"
        "      require_account_name: true\n"
        "      link: \"https://app.example.com/join?code={code}\"\n"
        "    email_policy:\n"
        "      business_only: false\n"
        "      consumer_domains: [Mail.Example]\n"
        "      extra_consumer_domains: [free.example]\n"
        "    templates:\n"
        "      invitation: {subject: \"Join {tenant}\", text: \"{link}\"}\n"
        "  - {id: globex, name: Globex}\n"
        "notifications:\n"
        "  email: {smtp: \"smtps://mail.example.com:465\", from: bot@example.com, starttls: required}\n"
        "  webhook: {url: \"https://hooks.example.com/x\", secret: {file: " +
            secret +
            "}, timeout: 5s}\n"
            "  max_attempts: 3\n"
            "  retry_initial: 10s\n"
            "  retry_max: 10m\n",
        "test.yaml");
    ASSERT_TRUE(loaded) << loaded.error().diagnostics.front().message;
    const auto& acme = loaded->tenants[0];
    EXPECT_EQ(acme.provisioning, provisioning_setting::invite);
    EXPECT_EQ(acme.invitations.expire_after, std::chrono::hours(24 * 7));
    EXPECT_EQ(acme.invitations.daily_limit, 10u);
    EXPECT_TRUE(acme.invitations.require_account_name);
    EXPECT_EQ(acme.invitations.link, "https://app.example.com/join?code={code}");
    EXPECT_FALSE(acme.email_policy.business_only);
    EXPECT_EQ(acme.email_policy.consumer_domains, std::vector<std::string>{"mail.example"});
    EXPECT_EQ(acme.email_policy.extra_consumer_domains, std::vector<std::string>{"free.example"});
    ASSERT_EQ(acme.templates.size(), 1u);
    EXPECT_EQ(acme.templates[0].first, "invitation");
    EXPECT_EQ(acme.templates[0].second.subject, "Join {tenant}");
    const auto& globex = loaded->tenants[1];
    EXPECT_EQ(globex.provisioning, provisioning_setting::idp);
    EXPECT_EQ(globex.invitations.expire_after, std::chrono::hours(24));
    EXPECT_EQ(globex.invitations.daily_limit, 50u);
    EXPECT_TRUE(globex.email_policy.business_only);
    const auto& n = loaded->notifications;
    ASSERT_TRUE(n.email);
    EXPECT_EQ(n.email->url, "smtps://mail.example.com:465");
    EXPECT_EQ(n.email->starttls, smtp_notification_settings::starttls_mode::required);
    ASSERT_TRUE(n.webhook);
    EXPECT_EQ(n.webhook->secret.value, secret);
    EXPECT_EQ(n.webhook->timeout, std::chrono::seconds(5));
    EXPECT_EQ(n.max_attempts, 3u);
    EXPECT_EQ(n.retry_max, std::chrono::minutes(10));
}

TEST(LoadSettings, MinimalConfigurationGetsTheDefaults) {
    auto loaded = load_settings_string("storage:\n  sqlite: var/dirsyncd.db\n", "min.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const settings& s = *loaded;
    const http_limits defaults;
    EXPECT_EQ(s.source_file, "min.yaml");
    EXPECT_EQ(s.server.listen.host, "127.0.0.1");
    EXPECT_EQ(s.server.listen.port, 8080);
    EXPECT_EQ(s.server.threads, 2u);
    EXPECT_EQ(s.server.workers, 4u);
    EXPECT_EQ(s.server.tenant_concurrency, std::nullopt);
    EXPECT_EQ(s.scim.search_time_limit, std::chrono::milliseconds(10'000));
    EXPECT_FALSE(s.server.tls);
    EXPECT_EQ(s.server.limits.max_body_bytes, defaults.max_body_bytes);
    EXPECT_EQ(s.server.limits.max_header_bytes, defaults.max_header_bytes);
    EXPECT_EQ(s.server.limits.header_timeout, 10s);
    EXPECT_EQ(s.server.limits.body_timeout, 30s);
    EXPECT_EQ(s.server.limits.idle_timeout, 60s);
    EXPECT_EQ(s.server.limits.write_timeout, 30s);
    EXPECT_EQ(s.server.limits.max_connections, 1024u);
    EXPECT_EQ(s.server.limits.shutdown_grace, 10s);
    EXPECT_EQ(s.storage.sqlite_path, "var/dirsyncd.db");  // relative paths are kept as written
    EXPECT_EQ(s.storage.max_resource_bytes, 128u * 1024);
    EXPECT_EQ(s.logging.level, common::log_level::info);
    EXPECT_TRUE(s.logging.access_log);
    EXPECT_TRUE(s.tenants.empty());
}

TEST(LoadSettings, PostgresqlStorageSetsEveryField) {
    temp_dir dir;
    auto ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
    auto cert = dir.write("client.pem", "-----BEGIN CERTIFICATE-----\n");
    auto key = dir.write("client.key", "-----BEGIN PRIVATE KEY-----\n");
    auto password = dir.write("pg.password", "pg-secret\n");
    std::string yaml = R"(storage:
  postgresql:
    host: db.example.com
    port: 6432
    database: dirsync
    user: dirsyncd
    password: {file: @PASSWORD@}
    sslmode: verify-full
    sslrootcert: @CA@
    sslcert: @CERT@
    sslkey: @KEY@
    pool_size: 16
    statement_timeout: 2m
    connect_timeout: 3s
  max_resource_size: 64KiB
)";
    yaml = substitute(yaml, "@PASSWORD@", password);
    yaml = substitute(yaml, "@CA@", ca);
    yaml = substitute(yaml, "@CERT@", cert);
    yaml = substitute(yaml, "@KEY@", key);
    auto loaded = load_settings_string(yaml, "pg.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const storage_settings& s = loaded->storage;

    postgresql_settings expected;
    expected.host = "db.example.com";
    expected.port = 6432;
    expected.database = "dirsync";
    expected.user = "dirsyncd";
    expected.password = secret_reference{secret_source_kind::file, password};
    expected.sslmode = "verify-full";
    expected.sslrootcert = ca;
    expected.sslcert = cert;
    expected.sslkey = key;
    expected.pool_size = 16;
    expected.statement_timeout = 2min;
    expected.connect_timeout = 3s;
    EXPECT_TRUE(s.sqlite_path.empty());
    ASSERT_TRUE(s.postgresql);
    EXPECT_EQ(*s.postgresql, expected);
    EXPECT_EQ(s.max_resource_bytes, 64u * 1024);
}

TEST(LoadSettings, PostgresqlStorageGetsTheDefaults) {
    auto loaded = load_settings_string(
        "storage:\n  postgresql: {host: /run/postgresql, database: dirsync, user: dirsyncd}\n", "pg.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const storage_settings& s = loaded->storage;
    postgresql_settings expected;
    expected.host = "/run/postgresql";  // a socket directory
    expected.database = "dirsync";
    expected.user = "dirsyncd";
    EXPECT_TRUE(s.sqlite_path.empty());
    ASSERT_TRUE(s.postgresql);
    EXPECT_EQ(*s.postgresql, expected);
    EXPECT_EQ(s.postgresql->port, 5432);
    EXPECT_EQ(s.postgresql->password, std::nullopt);
    EXPECT_EQ(s.postgresql->sslmode, "prefer");
    EXPECT_EQ(s.postgresql->pool_size, 8u);
    EXPECT_EQ(s.postgresql->statement_timeout, 30s);
    EXPECT_EQ(s.postgresql->connect_timeout, 10s);
    EXPECT_EQ(s.max_resource_bytes, 128u * 1024);
}

TEST(LoadSettings, PostgresqlHostsAndZeroStatementTimeout) {
    struct accepted_case {
        const char* host;
        const char* statement_timeout;
        std::chrono::milliseconds expected;
    };
    for (const auto& c : std::initializer_list<accepted_case>{{"localhost", "0", 0ms},
                                                              {"127.0.0.1", "0s", 0ms},
                                                              {"::1", "00ms", 0ms},
                                                              {"fe80::1%eth0", "1h", 1h},
                                                              {"db-1.internal_zone.example", "500ms", 500ms},
                                                              {"/var/run/postgresql", "60m", 1h}}) {
        std::string yaml = std::string("storage:\n  postgresql: {host: '") + c.host +
                           "', database: d, user: u, statement_timeout: " + c.statement_timeout + "}\n";
        auto loaded = load_settings_string(yaml, "pg.yaml");
        ASSERT_TRUE(loaded.has_value()) << yaml << loaded.error().to_string();
        ASSERT_TRUE(loaded->storage.postgresql);
        EXPECT_EQ(loaded->storage.postgresql->host, c.host);
        EXPECT_EQ(loaded->storage.postgresql->statement_timeout, c.expected) << c.statement_timeout;
    }
}

TEST(LoadSettings, PostgresqlPasswordFromEnvironment) {
    scoped_env env("DIRSYNC_TEST_PG_PASSWORD", "pg-env-secret");
    auto loaded = load_settings_string(
        "storage:\n  postgresql:\n    host: db\n    database: d\n    user: u\n"
        "    password: {env: DIRSYNC_TEST_PG_PASSWORD}\n",
        "pg.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    ASSERT_TRUE(loaded->storage.postgresql);
    EXPECT_EQ(loaded->storage.postgresql->password,
              (secret_reference{secret_source_kind::env, "DIRSYNC_TEST_PG_PASSWORD"}));
}

TEST(LoadSettings, PostgresqlTlsFilesGoTogetherAndNeedTls) {
    temp_dir dir;
    auto ca = dir.write("ca.pem", "x");
    auto cert = dir.write("client.pem", "x");
    auto key = dir.write("client.key", "x");
    const std::string head = "storage:\n  postgresql:\n    host: db\n    database: d\n    user: u\n";

    auto cert_only =
        load_settings_string(head + "    sslmode: require\n    sslcert: " + cert + "\n", "pg.yaml");
    ASSERT_FALSE(cert_only.has_value());
    EXPECT_EQ(lines(cert_only.error()),
              (std::vector<std::string>{
                  "7:14: sslcert and sslkey go together; sslcert is given without the other"}));

    auto key_only = load_settings_string(head + "    sslkey: " + key + "\n", "pg.yaml");
    ASSERT_FALSE(key_only.has_value());
    EXPECT_EQ(lines(key_only.error()),
              (std::vector<std::string>{
                  "6:13: sslcert and sslkey go together; sslkey is given without the other"}));

    auto disabled =
        load_settings_string(head + "    sslmode: disable\n    sslrootcert: " + ca + "\n", "pg.yaml");
    ASSERT_FALSE(disabled.has_value());
    EXPECT_EQ(lines(disabled.error()),
              (std::vector<std::string>{"7:18: sslrootcert is not used with sslmode: disable"}));

    auto verified = load_settings_string(head + "    sslmode: verify-ca\n    sslrootcert: " + ca +
                                             "\n    sslcert: " + cert + "\n    sslkey: " + key + "\n",
                                         "pg.yaml");
    ASSERT_TRUE(verified.has_value()) << verified.error().to_string();
    EXPECT_EQ(verified->storage.postgresql->sslrootcert, ca);
}

TEST(LoadSettings, MetricsAndRetention) {
    auto loaded = load_settings_string(
        "storage: {sqlite: a.db}\n"
        "metrics: {listen: '[::1]:9464', tenant_labels: 5}\n"
        "retention:\n  sync_runs: {max_age: 30d, max_count: 200}\n  audit: {max_age: 400d}\n"
        "  notifications: {max_age: 2d}\n  every: 10m\n",
        "m.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    ASSERT_TRUE(loaded->metrics.listen);
    EXPECT_EQ(loaded->metrics.listen->host, "::1");
    EXPECT_EQ(loaded->metrics.listen->port, 9464);
    EXPECT_EQ(loaded->metrics.tenant_labels, 5u);
    EXPECT_EQ(loaded->retention.sync_runs_max_age, 30 * 24h);
    EXPECT_EQ(loaded->retention.sync_runs_max_count, 200u);
    EXPECT_EQ(loaded->retention.audit_max_age, 400 * 24h);
    EXPECT_EQ(loaded->retention.audit_max_count, 1'000'000u);
    EXPECT_EQ(loaded->retention.notifications_max_age, 2 * 24h);
    EXPECT_EQ(loaded->retention.every, 10min);
    // The defaults keep weeks, not forever.
    const retention_settings defaults;
    EXPECT_EQ(defaults.sync_runs_max_age, 90 * 24h);
    EXPECT_EQ(defaults.audit_max_age, 180 * 24h);
    EXPECT_FALSE(config::metrics_settings{}.listen);

    auto bad = load_settings_string(
        "storage: {sqlite: a.db}\nmetrics: {listen: 'nowhere:1', colour: red}\n"
        "retention:\n  audit: {max_age: 5m, max_count: 3}\n  every: 8d\n",
        "b.yaml");
    ASSERT_FALSE(bad.has_value());
    const auto text = bad.error().to_string();
    EXPECT_NE(text.find("b.yaml:2:19:"), std::string::npos) << text;
    EXPECT_NE(text.find("colour"), std::string::npos) << text;
    EXPECT_NE(text.find("b.yaml:4:20: a retention age must be between 1h and 36500d, got '5m'"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("b.yaml:4:35: max_count must be between 10"), std::string::npos) << text;
    EXPECT_NE(text.find("b.yaml:5:10: retention.every must be between 1m and 7d, got '8d'"),
              std::string::npos)
        << text;
}

TEST(LoadSettings, ConsolePathAndSessionLifetimes) {
    auto defaults = load_settings_string("storage: {sqlite: a.db}\n", "d.yaml");
    ASSERT_TRUE(defaults.has_value()) << defaults.error().to_string();
    EXPECT_TRUE(defaults->console.enabled);
    EXPECT_EQ(defaults->console.path, "/console");
    EXPECT_EQ(defaults->console.idle_timeout, 30min);
    EXPECT_EQ(defaults->console.absolute_timeout, 8h);

    auto loaded = load_settings_string(
        "storage: {sqlite: a.db}\nconsole: {enabled: false, path: /ops/console, idle_timeout: 5m, "
        "absolute_timeout: 2h}\n",
        "c.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    EXPECT_FALSE(loaded->console.enabled);
    EXPECT_EQ(loaded->console.path, "/ops/console");
    EXPECT_EQ(loaded->console.idle_timeout, 5min);
    EXPECT_EQ(loaded->console.absolute_timeout, 2h);

    struct {
        const char* yaml;
        const char* message;
    } cases[] = {
        {"console: {path: console}", "c.yaml:2:17: console.path must look like /console"},
        {"console: {path: /console/}", "c.yaml:2:17: console.path must look like /console"},
        {"console: {path: /a b}", "c.yaml:2:17: console.path must look like /console"},
        {"console: {path: /admin/console}", "c.yaml:2:17: console.path /admin/console would hide"},
        {"console: {path: /scim}", "would hide the SCIM"},
        {"console: {idle_timeout: 10s}", "c.yaml:2:25: console.idle_timeout must be between 1m and 24h"},
        {"console: {absolute_timeout: 30d}", "console.absolute_timeout must be between 5m and 7d"},
        {"console: {idle_timeout: 2h, absolute_timeout: 1h}",
         "console.absolute_timeout must be at least console.idle_timeout"},
        {"console: {enabled: maybe}", "c.yaml:2:20:"},
        {"console: {theme: dark}", "theme"},
    };
    for (const auto& c : cases) {
        auto bad = load_settings_string(std::string("storage: {sqlite: a.db}\n") + c.yaml + "\n", "c.yaml");
        ASSERT_FALSE(bad.has_value()) << c.yaml;
        EXPECT_NE(bad.error().to_string().find(c.message), std::string::npos) << c.yaml << "\n"
                                                                              << bad.error().to_string();
    }
}

TEST(LoadSettings, PublicBaseUrlIsAnAbsoluteHttpUrl) {
    struct {
        const char* written;
        const char* kept;  ///< nullptr: refused
    } cases[] = {
        {"https://sync.example.com", "https://sync.example.com"},
        {"HTTPS://Sync.Example.COM:8443/Dirsync/", "https://sync.example.com:8443/Dirsync"},
        {"http://[2001:db8::1]:8080", "http://[2001:db8::1]:8080"},
        {"ftp://sync.example.com", nullptr},
        {"sync.example.com", nullptr},
        {"https://", nullptr},
        {"https://sync.example.com/x?y=1", nullptr},
        {"https://user@sync.example.com", nullptr},
        {"https://sync.example.com:99999", nullptr},
        {"https://sync example.com", nullptr},
    };
    for (const auto& c : cases) {
        auto loaded = load_settings_string(
            std::string("server: {public_base_url: '") + c.written + "'}\nstorage: {sqlite: a.db}\n",
            "u.yaml");
        if (c.kept) {
            ASSERT_TRUE(loaded.has_value()) << c.written << ": " << loaded.error().to_string();
            EXPECT_EQ(loaded->server.public_base_url, c.kept);
        } else {
            ASSERT_FALSE(loaded.has_value()) << c.written;
            EXPECT_NE(loaded.error().to_string().find("u.yaml:1:27: invalid URL for public_base_url"),
                      std::string::npos)
                << loaded.error().to_string();
        }
    }
}

TEST(LoadSettings, EmptyTenantListAndEphemeralPortAreAllowed) {
    auto loaded = load_settings_string(
        "server: {listen: 'localhost:0'}\nstorage: {sqlite: a.db}\ntenants: []\n", "t.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    EXPECT_EQ(loaded->server.listen.host, "localhost");
    EXPECT_EQ(loaded->server.listen.port, 0);
    EXPECT_TRUE(loaded->tenants.empty());
}

TEST(LoadSettings, ExampleConfigurationIsValid) {
    auto loaded = load_settings_file(example_file());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const settings& s = *loaded;
    EXPECT_EQ(s.source_file, example_file().string());
    EXPECT_EQ(s.server.listen.host, "127.0.0.1");
    EXPECT_EQ(s.server.listen.port, 8080);
    EXPECT_EQ(s.server.threads, 2u);
    EXPECT_FALSE(s.server.tls);
    EXPECT_EQ(s.storage.sqlite_path, "var/dirsyncd.db");
    ASSERT_EQ(s.tenants.size(), 1u);
    EXPECT_EQ(s.tenants[0].id, "demo");
    EXPECT_EQ(s.tenants[0].name, "Demo Tenant");
    EXPECT_EQ(s.tenants[0].seats, 50u);
    ASSERT_EQ(s.tenants[0].scim_tokens.size(), 1u);
    EXPECT_EQ(s.tenants[0].scim_tokens[0], sha256("demo-token-change-me"));
}

// -----------------------------------------------------------------------------------------------------------
// Invalid configurations: each has exactly one problem, reported at `position` with `message` in the text.

struct bad_case {
    const char* name;
    const char* yaml;
    const char* position;  // "line:column", 1-based; "0:0" for none
    const char* message;   // a substring of the diagnostic
};

constexpr bad_case bad_cases[] = {
    // unknown keys at each level
    {"unknown_top_level_key", "storage:\n  sqlite: x.db\nservr:\n  listen: 127.0.0.1:80\n", "3:1",
     "unknown key 'servr' at the top level (allowed: server, storage, logging, metrics, retention, console, "
     "scim, "
     "tenants, admin_tokens, sources, schemas, notifications); did you mean "
     "'server'?"},
    {"unknown_server_key", "server:\n  listn: 127.0.0.1:80\nstorage:\n  sqlite: x.db\n", "2:3",
     "unknown key 'listn' in server (allowed: listen, public_base_url, threads, workers, tenant_concurrency, "
     "tls, limits)"},
    {"unknown_limits_key", "server:\n  limits:\n    max_body: 10\nstorage: {sqlite: x.db}\n", "3:5",
     "unknown key 'max_body' in server.limits (allowed: max_body_bytes, max_header_bytes, max_header_count, "
     "max_json_depth, header_timeout, body_timeout, idle_timeout, write_timeout, max_connections, "
     "shutdown_grace)"},
    {"unknown_storage_key", "storage:\n  sqlite: x.db\n  path: y\n", "3:3",
     "unknown key 'path' in storage (allowed: sqlite, postgresql, max_resource_size)"},
    {"resource_size_too_small", "storage:\n  sqlite: x.db\n  max_resource_size: 100\n", "3:22",
     "max_resource_size must be between 1KiB and 16MiB, got '100'"},
    {"resource_size_too_large", "storage:\n  sqlite: x.db\n  max_resource_size: 1GiB\n", "3:22",
     "max_resource_size must be between 1KiB and 16MiB, got '1GiB'"},
    {"unknown_logging_key", "storage: {sqlite: x.db}\nlogging: {level: info, colour: true}\n", "2:24",
     "unknown key 'colour' in logging (allowed: level, access_log, format)"},
    {"unknown_tenant_key", "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    seat: 5\n",
     "5:5",
     "unknown key 'seat' in tenants[0] (allowed: id, name, seats, owner, scim_tokens, admin_tokens, "
     "strict_schema, provisioning, invitations, email_policy, templates); did you mean "
     "'seats'?"},
    {"bad_provisioning",
     "storage: {sqlite: x.db}\ntenants:\n  - {id: acme, name: Acme, provisioning: both}\n", "3:42",
     "invalid provisioning 'both' (allowed: idp, invite)"},
    {"invitation_ttl_out_of_range",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    invitations: {expire_after: "
     "400d}\n",
     "5:33", "expire_after must be between 1s and 365d, got '400d'"},
    {"invitation_link_without_code",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    invitations: {link: "
     "\"https://app.example.com/join\"}\n",
     "5:25", "link must be an http(s) URL containing {code}"},
    {"bad_consumer_domain",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    email_policy: "
     "{extra_consumer_domains: [\"not a domain\"]}\n",
     "5:45", "invalid mail domain 'not a domain' for extra_consumer_domains[0]"},
    {"unknown_template_placeholder",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    templates:\n      invitation: "
     "{subject: \"Hi {name}\", text: \"x\"}\n",
     "6:29", "unknown placeholder '{name}' in tenants[0].templates.invitation.subject"},
    {"unknown_template_event",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    templates:\n      welcome: "
     "{subject: x, text: y}\n",
     "6:7", "unknown key 'welcome' in tenants[0].templates"},
    {"smtp_without_url_scheme",
     "storage: {sqlite: x.db}\nnotifications:\n  email: {smtp: mail.example.com, from: a@example.com}\n",
     "3:17", "smtp must be a URL like smtp://"},
    {"smtp_bad_from",
     "storage: {sqlite: x.db}\nnotifications:\n  email: {smtp: \"smtp://m:25\", from: nobody}\n", "3:38",
     "from must be an e-mail address"},
    {"smtp_plain_password",
     "storage: {sqlite: x.db}\nnotifications:\n  email: {smtp: \"smtp://m:25\", from: a@example.com, "
     "username: u, "
     "password: hunter2}\n",
     "3:76", "password"},
    {"webhook_needs_secret",
     "storage: {sqlite: x.db}\nnotifications:\n  webhook: {url: \"https://h.example/x\"}\n", "3:12",
     "missing required key 'secret'"},
    {"unknown_token_key",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n      - hash: abc\n",
     "6:9", "unknown key in tenants[0].scim_tokens[0] (allowed: sha256, file, env, credential)"},
    {"duplicate_yaml_key", "storage:\n  sqlite: a.db\n  sqlite: b.db\n", "3:3",
     "duplicate key 'sqlite' in storage (first at line 2)"},

    // missing required keys, at the parent mapping
    {"missing_storage", "server:\n  threads: 2\n", "1:1", "missing required key 'storage' at the top level"},
    {"storage_missing_sqlite_or_postgresql", "storage: {max_resource_size: 64KiB}\n", "1:10",
     "missing required key 'sqlite' or 'postgresql' in storage"},
    {"missing_tenant_id", "storage: {sqlite: x.db}\ntenants:\n  - name: Acme\n", "3:5",
     "missing required key 'id' in tenants[0]"},
    {"missing_tenant_name", "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n", "3:5",
     "missing required key 'name' in tenants[0]"},

    // wrong types and ranges
    {"seats_not_an_integer",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    seats: fifty\n", "5:12",
     "expected an integer for seats, got 'fifty'"},
    {"seats_negative", "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    seats: -1\n",
     "5:12", "seats must be between 0 and 4294967295, got '-1'"},
    {"seats_too_large",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    seats: 4294967296\n", "5:12",
     "seats must be between 0 and 4294967295"},
    {"workers_zero", "server:\n  workers: 0\nstorage: {sqlite: x.db}\n", "2:12",
     "workers must be between 1 and 256, got '0'"},
    {"tenant_concurrency_above_workers",
     "server:\n  workers: 2\n  tenant_concurrency: 3\nstorage: {sqlite: x.db}\n", "3:23",
     "tenant_concurrency must not exceed workers (2), got 3"},
    {"search_time_limit_bad", "storage: {sqlite: x.db}\nscim:\n  search_time_limit: soon\n", "3:22",
     "search_time_limit"},
    {"threads_zero", "server:\n  threads: 0\nstorage: {sqlite: x.db}\n", "2:12",
     "threads must be between 1 and 256, got '0'"},
    {"threads_too_many", "server:\n  threads: 257\nstorage: {sqlite: x.db}\n", "2:12",
     "threads must be between 1 and 256, got '257'"},
    {"threads_fraction", "server:\n  threads: 2.5\nstorage: {sqlite: x.db}\n", "2:12",
     "expected an integer for threads, got '2.5'"},
    {"threads_list", "server:\n  threads: [2]\nstorage: {sqlite: x.db}\n", "2:12",
     "expected an integer for threads, got a list"},
    {"max_connections_zero", "server:\n  limits:\n    max_connections: 0\nstorage: {sqlite: x.db}\n", "3:22",
     "max_connections must be between 1 and 1000000"},
    {"access_log_yes", "storage: {sqlite: x.db}\nlogging:\n  access_log: yes\n", "3:15",
     "expected true or false for access_log, got 'yes'"},
    {"bad_log_level", "storage: {sqlite: x.db}\nlogging:\n  level: verbose\n", "3:10",
     "invalid level 'verbose' (allowed: debug, info, warning, error)"},
    {"server_not_a_mapping", "server: fast\nstorage: {sqlite: x.db}\n", "1:9",
     "expected a mapping for server, got 'fast'"},
    {"tenants_not_a_list", "storage: {sqlite: x.db}\ntenants:\n  id: acme\n", "3:3",
     "expected a list for tenants, got a mapping"},
    {"tenants_empty_value", "storage: {sqlite: x.db}\ntenants:\n", "2:1",
     "expected a list for tenants, got an empty value"},
    {"sqlite_empty", "storage:\n  sqlite: ''\n", "2:11", "sqlite must not be empty"},
    // storage.postgresql
    {"storage_sqlite_and_postgresql",
     "storage:\n  sqlite: x.db\n  postgresql: {host: db, database: d, user: u}\n", "3:15",
     "storage takes exactly one of sqlite and postgresql; postgresql is given together with sqlite (line 2)"},
    {"storage_postgresql_and_sqlite",
     "storage:\n  postgresql: {host: db, database: d, user: u}\n  sqlite: x.db\n", "3:11",
     "sqlite is given together with postgresql (line 2)"},
    {"storage_postgresql_not_a_mapping", "storage:\n  postgresql: db.example.com\n", "2:15",
     "expected a mapping for postgresql"},
    {"storage_postgresql_missing_host", "storage:\n  postgresql: {database: d, user: u}\n", "2:15",
     "missing required key 'host' in storage.postgresql"},
    {"storage_postgresql_missing_user", "storage:\n  postgresql:\n    host: db\n    database: d\n", "3:5",
     "missing required key 'user' in storage.postgresql"},
    {"storage_postgresql_empty_database", "storage:\n  postgresql: {host: db, database: '', user: u}\n",
     "2:36", "database must not be empty"},
    {"storage_postgresql_relative_socket_dir",
     "storage:\n  postgresql: {host: run/postgresql, database: d, user: u}\n", "2:22",
     "'run/postgresql' is a relative path; a socket directory must be absolute"},
    {"storage_postgresql_host_list", "storage:\n  postgresql: {host: 'a,b', database: d, user: u}\n", "2:22",
     "names more than one host"},
    {"storage_postgresql_port_zero", "storage:\n  postgresql: {host: db, port: 0, database: d, user: u}\n",
     "2:32", "port must be between 1 and 65535, got '0'"},
    {"storage_postgresql_port_too_large",
     "storage:\n  postgresql: {host: db, port: 65536, database: d, user: u}\n", "2:32",
     "port must be between 1 and 65535, got '65536'"},
    {"storage_postgresql_bad_sslmode",
     "storage:\n  postgresql:\n    host: db\n    database: d\n    user: u\n    sslmode: verify\n", "6:14",
     "invalid sslmode 'verify' (allowed: disable, allow, prefer, require, verify-ca, verify-full)"},
    {"storage_postgresql_unknown_key",
     "storage:\n  postgresql:\n    host: db\n    database: d\n    user: u\n    dbname: x\n", "6:5",
     "unknown key 'dbname' in storage.postgresql (allowed: host, port, database, user, password, sslmode, "
     "sslrootcert, sslcert, sslkey, pool_size, statement_timeout, connect_timeout)"},
    {"storage_postgresql_plain_password",
     "storage:\n  postgresql: {host: db, database: d, user: u, password: hunter2}\n", "2:58",
     "expected a mapping with one of file, env or credential for password, got a plain value"},
    {"storage_postgresql_password_env_unset",
     "storage:\n  postgresql: {host: db, database: d, user: u, password: {env: DIRSYNC_TEST_SURELY_UNSET}}\n",
     "2:64", "password: environment variable 'DIRSYNC_TEST_SURELY_UNSET'"},
    {"storage_postgresql_missing_sslrootcert_file",
     "storage:\n  postgresql:\n    host: db\n    database: d\n    user: u\n"
     "    sslrootcert: /nonexistent-dirsync-test/ca.pem\n",
     "6:18", "sslrootcert: cannot read '/nonexistent-dirsync-test/ca.pem': No such file or directory"},
    {"storage_postgresql_pool_size_zero",
     "storage:\n  postgresql: {host: db, database: d, user: u, pool_size: 0}\n", "2:59",
     "pool_size must be between 1 and 64, got '0'"},
    {"storage_postgresql_pool_size_too_large",
     "storage:\n  postgresql: {host: db, database: d, user: u, pool_size: 65}\n", "2:59",
     "pool_size must be between 1 and 64, got '65'"},
    {"storage_postgresql_statement_timeout_too_long",
     "storage:\n  postgresql: {host: db, database: d, user: u, statement_timeout: 61m}\n", "2:67",
     "statement_timeout must be at most 1h (0 for no limit), got '61m'"},
    {"storage_postgresql_statement_timeout_negative",
     "storage:\n  postgresql: {host: db, database: d, user: u, statement_timeout: -1s}\n", "2:67",
     "invalid duration for statement_timeout: '-1s' is negative"},
    {"storage_postgresql_connect_timeout_zero",
     "storage:\n  postgresql: {host: db, database: d, user: u, connect_timeout: 0s}\n", "2:65",
     "invalid duration for connect_timeout: '0s' is zero"},
    {"storage_postgresql_connect_timeout_too_short",
     "storage:\n  postgresql: {host: db, database: d, user: u, connect_timeout: 500ms}\n", "2:65",
     "connect_timeout must be between 1s and 5m, got '500ms'"},
    {"storage_postgresql_connect_timeout_too_long",
     "storage:\n  postgresql: {host: db, database: d, user: u, connect_timeout: 6m}\n", "2:65",
     "connect_timeout must be between 1s and 5m, got '6m'"},
    {"tenant_name_empty", "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: \"\"\n", "4:11",
     "name must not be empty"},
    {"root_not_a_mapping", "just text\n", "1:1", "expected a mapping for the configuration, got 'just text'"},
    {"empty_file", "# nothing here\n", "0:0", "the configuration is empty"},
    {"two_documents", "storage: {sqlite: x.db}\n---\nstorage: {sqlite: y.db}\n", "3:1",
     "only one YAML document is allowed"},

    // durations
    {"duration_without_unit", "server:\n  limits:\n    header_timeout: 10\nstorage: {sqlite: x.db}\n", "3:21",
     "invalid duration for header_timeout: '10' has no unit; a duration is a positive whole number followed "
     "by a "
     "unit, ms, s, m, h or d"},
    {"duration_with_space", "server:\n  limits:\n    body_timeout: 10 s\nstorage: {sqlite: x.db}\n", "3:19",
     "invalid duration for body_timeout: '10 s' has a space before the unit"},
    {"duration_negative", "server:\n  limits:\n    idle_timeout: -5s\nstorage: {sqlite: x.db}\n", "3:19",
     "invalid duration for idle_timeout: '-5s' is negative"},
    {"duration_zero", "server:\n  limits:\n    write_timeout: 0s\nstorage: {sqlite: x.db}\n", "3:20",
     "invalid duration for write_timeout: '0s' is zero"},
    {"duration_unknown_unit", "server:\n  limits:\n    shutdown_grace: 10x\nstorage: {sqlite: x.db}\n",
     "3:21", "invalid duration for shutdown_grace: '10x' has an unknown unit 'x'"},

    // sizes
    {"size_decimal_unit", "server:\n  limits:\n    max_body_bytes: 1MB\nstorage: {sqlite: x.db}\n", "3:21",
     "invalid size for max_body_bytes: '1MB' has an unknown unit 'MB'"},
    {"size_zero", "server:\n  limits:\n    max_header_bytes: 0\nstorage: {sqlite: x.db}\n", "3:23",
     "invalid size for max_header_bytes: '0' is zero"},

    // listen addresses
    {"address_port_only", "server:\n  listen: 8080\nstorage: {sqlite: x.db}\n", "2:11",
     "invalid address for listen: '8080' has no port; expected host:port"},
    {"address_no_port", "server:\n  listen: 'host:'\nstorage: {sqlite: x.db}\n", "2:11",
     "invalid address for listen: 'host:' has no port after ':'"},
    {"address_port_range", "server:\n  listen: host:99999\nstorage: {sqlite: x.db}\n", "2:11",
     "'host:99999' has port 99999 out of range (0-65535)"},
    {"address_unclosed_bracket", "server:\n  listen: '[::1'\nstorage: {sqlite: x.db}\n", "2:11",
     "'[::1' is missing the ']' after the IPv6 address"},
    {"address_ipv6_unbracketed", "server:\n  listen: '::1:8080'\nstorage: {sqlite: x.db}\n", "2:11",
     "looks like an IPv6 address without brackets"},
    {"address_ipv6_unquoted", "server:\n  listen: [::1]:8080\nstorage: {sqlite: x.db}\n", "2:16",
     "syntax error: end of map not found (an address in brackets must be quoted, e.g. listen: "
     "\"[::1]:8080\")"},

    // tenants
    {"duplicate_tenant_id",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: A\n  - id: acme\n    name: B\n", "5:9",
     "duplicate tenant id 'acme' (first defined at line 3)"},
    {"tenant_id_bad_characters", "storage: {sqlite: x.db}\ntenants:\n  - id: Acme!\n    name: A\n", "3:9",
     "invalid tenant id 'Acme!': use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or "
     "digit"},
    {"tenant_id_leading_dash", "storage: {sqlite: x.db}\ntenants:\n  - id: -acme\n    name: A\n", "3:9",
     "invalid tenant id '-acme'"},
    {"tenant_id_too_long",
     "storage: {sqlite: x.db}\ntenants:\n  - id: "
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n    name: A\n",
     "3:9", "invalid tenant id"},

    // tokens
    {"malformed_sha256",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n      - sha256: "
     "abc\n",
     "6:17", "expected the token's SHA-256 digest as 64 hex digits, got 3 characters"},
    {"token_file_missing",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n"
     "      - file: /nonexistent-dirsync-test/token\n",
     "6:15", "cannot read '/nonexistent-dirsync-test/token': No such file or directory"},
    {"token_env_unset",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n"
     "      - env: DIRSYNC_TEST_SURELY_UNSET\n",
     "6:14", "environment variable 'DIRSYNC_TEST_SURELY_UNSET' is not set"},
    {"token_credential_without_directory",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n"
     "      - credential: scim\n",
     "6:21", "credential 'scim' needs $CREDENTIALS_DIRECTORY, which is not set"},
    {"token_two_sources",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n"
     "      - {env: A, file: b}\n",
     "6:9", "expected exactly one of sha256, file, env or credential in scim_tokens[0], got file and env"},
    {"token_no_source",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n      - {}\n", "6:9",
     "expected one of sha256, file, env or credential in scim_tokens[0]"},
    {"token_plain_value",
     "storage: {sqlite: x.db}\ntenants:\n  - id: acme\n    name: Acme\n    scim_tokens:\n      - "
     "my-plain-token\n",
     "6:9",
     "expected a mapping with one of sha256, file, env or credential for scim_tokens[0], got a plain value"},
    {"token_shared_by_two_tenants",
     "storage: {sqlite: x.db}\ntenants:\n"
     "  - id: a\n    name: A\n    scim_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
     "  - id: b\n    name: B\n    scim_tokens:\n"
     "      - sha256: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
     "10:9",
     "scim_tokens[0] is the same token as one used by tenant 'a' (line 6); a token must identify exactly one "
     "tenant"},
    {"token_repeated_in_one_tenant",
     "storage: {sqlite: x.db}\ntenants:\n"
     "  - id: a\n    name: A\n    scim_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     "7:9", "scim_tokens[1] repeats a token already listed for tenant 'a' at line 6"},
    {"tenant_admin_token_is_a_scim_token",
     "storage: {sqlite: x.db}\ntenants:\n"
     "  - id: a\n    name: A\n    scim_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
     "    admin_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     "8:9",
     "admin_tokens[0] is the same token as one used by tenant 'a' (line 6); an admin token must not also be "
     "a "
     "SCIM token"},
    {"tenant_admin_token_shared_by_two_tenants",
     "storage: {sqlite: x.db}\ntenants:\n"
     "  - id: a\n    name: A\n    admin_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
     "  - id: b\n    name: B\n    admin_tokens:\n"
     "      - sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     "10:9",
     "admin_tokens[0] is the same token as one used by the admin API of tenant 'a' (line 6); a token must "
     "identify exactly one tenant"},
    {"owner_not_an_address", "storage: {sqlite: x.db}\ntenants:\n  - id: a\n    name: A\n    owner: alice\n",
     "5:12", "owner must be an e-mail address like admin@example.com, got 'alice'"},
    {"token_list_not_a_list",
     "storage: {sqlite: x.db}\ntenants:\n  - id: a\n    name: A\n    scim_tokens: {}\n", "5:18",
     "expected a list for scim_tokens, got a mapping"},

    // syntax and TLS
    {"syntax_error", "storage:\n  sqlite: [x.db\n", "3:1", "syntax error: end of sequence flow not found"},
    {"syntax_error_indentation", "storage:\n  sqlite: x.db\n   bad: 1\n", "3:7",
     "syntax error: illegal map value"},
    {"tls_cert_only",
     "server:\n  tls:\n    cert: /nonexistent-dirsync-test/cert.pem\nstorage: {sqlite: x.db}\n", "3:5",
     "missing required key 'key' in server.tls"},
};

class BadConfig : public ::testing::TestWithParam<bad_case> {
  protected:
    // The cases rely on these being unset.
    scoped_env unset_token_{"DIRSYNC_TEST_SURELY_UNSET", nullptr};
    scoped_env unset_credentials_{"CREDENTIALS_DIRECTORY", nullptr};
};

TEST_P(BadConfig, IsRejectedAtThePosition) {
    const auto& c = GetParam();
    auto loaded = load_settings_string(c.yaml, "bad.yaml");
    ASSERT_FALSE(loaded.has_value()) << c.yaml;
    const auto diagnostics = loaded.error().diagnostics;  // error() returns a copy
    // tls_cert_only also reports the unreadable certificate.
    std::size_t expected_count = std::string_view(c.name) == "tls_cert_only" ? 2 : 1;
    ASSERT_EQ(diagnostics.size(), expected_count) << joined(loaded.error());
    const auto& d = diagnostics.front();
    EXPECT_EQ(d.file, "bad.yaml");
    EXPECT_EQ(std::to_string(d.line) + ":" + std::to_string(d.column), c.position) << d.message;
    EXPECT_NE(d.message.find(c.message), std::string::npos) << d.message;
}

INSTANTIATE_TEST_SUITE_P(LoadSettings, BadConfig, ::testing::ValuesIn(bad_cases),
                         [](const ::testing::TestParamInfo<bad_case>& info) {
                             return std::string(info.param.name);
                         });

// -----------------------------------------------------------------------------------------------------------
// Reporting

TEST(LoadSettings, ReportsEveryProblemAtOnceInFileOrder) {
    auto loaded = load_settings_string(R"(server:
  listn: 127.0.0.1:80
  threads: 0
  limits:
    header_timeout: 10
storage: {}
tenants:
  - id: Bad!
    name: B
    seats: many
)",
                                       "multi.yaml");
    ASSERT_FALSE(loaded.has_value());
    auto found = lines(loaded.error());
    ASSERT_EQ(found.size(), 6u) << joined(loaded.error());
    EXPECT_EQ(found[0].rfind("2:3: unknown key 'listn' in server", 0), 0u) << found[0];
    EXPECT_EQ(found[1], "3:12: threads must be between 1 and 256, got '0'");
    EXPECT_EQ(found[2].rfind("5:21: invalid duration for header_timeout", 0), 0u) << found[2];
    EXPECT_EQ(found[3], "6:10: missing required key 'sqlite' or 'postgresql' in storage");
    EXPECT_EQ(found[4].rfind("8:9: invalid tenant id 'Bad!'", 0), 0u) << found[4];
    EXPECT_EQ(found[5], "10:12: expected an integer for seats, got 'many'");
    auto text = loaded.error().to_string();
    EXPECT_EQ(text.rfind("multi.yaml:2:3: unknown key 'listn'", 0), 0u) << text;
    EXPECT_NE(text.find("\nmulti.yaml:6:10: missing required key 'sqlite' or 'postgresql' in storage\n"),
              std::string::npos);
}

TEST(LoadSettings, TlsFilesMustExistAndBeReadable) {
    temp_dir dir;
    auto cert = dir.write("cert.pem", "x");
    std::string yaml = "server:\n  tls:\n    cert: " + cert +
                       "\n    key: " + (dir.path() / "missing.pem").string() + "\nstorage: {sqlite: x.db}\n";
    auto loaded = load_settings_string(yaml, "tls.yaml");
    ASSERT_FALSE(loaded.has_value());
    auto found = lines(loaded.error());
    ASSERT_EQ(found.size(), 1u) << joined(loaded.error());
    EXPECT_EQ(found[0], "4:10: key: cannot read '" + (dir.path() / "missing.pem").string() +
                            "': No such file or directory");
}

TEST(LoadSettings, TlsWithCertOnlyNamesTheMissingKey) {
    temp_dir dir;
    auto cert = dir.write("cert.pem", "x");
    auto loaded =
        load_settings_string("server:\n  tls: {cert: " + cert + "}\nstorage: {sqlite: x.db}\n", "tls.yaml");
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(lines(loaded.error()),
              (std::vector<std::string>{"2:8: missing required key 'key' in server.tls"}));
}

TEST(LoadSettings, TokensAreNeverEchoed) {
    temp_dir dir;
    auto spaced = dir.write("spaced.token", "secret-one secret-two\n");
    scoped_env env("DIRSYNC_TEST_SPACED", "secret-three\tsecret-four");
    std::string yaml =
        "storage: {sqlite: x.db}\ntenants:\n  - id: a\n    name: A\n    scim_tokens:\n"
        "      - secret-five\n"
        "      - sha256: secret-six\n"
        "      - file: " +
        spaced +
        "\n"
        "      - env: DIRSYNC_TEST_SPACED\n"
        "      - {secret-seven: x}\n";
    auto loaded = load_settings_string(yaml, "t.yaml");
    ASSERT_FALSE(loaded.has_value());
    auto text = loaded.error().to_string();
    EXPECT_EQ(loaded.error().diagnostics.size(), 5u) << text;
    EXPECT_EQ(text.find("secret-"), std::string::npos) << text;
}

TEST(LoadSettings, FileTokensAreHashedAtLoad) {
    temp_dir dir;
    auto a = dir.write("a.token", "token-a\n");
    auto b = dir.write("b.token", "token-a");  // the same token as a.token
    std::string yaml =
        "storage: {sqlite: x.db}\ntenants:\n"
        "  - id: a\n    name: A\n    scim_tokens: [{file: " +
        a +
        "}]\n"
        "  - id: b\n    name: B\n    scim_tokens: [{file: " +
        b + "}]\n";
    auto loaded = load_settings_string(yaml, "t.yaml");
    ASSERT_FALSE(loaded.has_value());
    auto found = lines(loaded.error());
    ASSERT_EQ(found.size(), 1u) << joined(loaded.error());
    EXPECT_EQ(found[0].rfind("8:19: scim_tokens[0] is the same token as one used by tenant 'a' (line 5)", 0),
              0u)
        << found[0];
}

TEST(LoadSettingsFile, UnreadableFileIsOneDiagnosticWithoutPosition) {
    auto loaded = load_settings_file("/nonexistent-dirsync-test/dirsyncd.yaml");
    ASSERT_FALSE(loaded.has_value());
    const auto diagnostics = loaded.error().diagnostics;  // error() returns a copy
    ASSERT_EQ(diagnostics.size(), 1u);
    const auto& d = diagnostics[0];
    EXPECT_EQ(d.file, "/nonexistent-dirsync-test/dirsyncd.yaml");
    EXPECT_EQ(d.line, 0);
    EXPECT_EQ(d.column, 0);
    EXPECT_NE(d.message.find("No such file or directory"), std::string::npos) << d.message;
    EXPECT_EQ(
        loaded.error().to_string(),
        "/nonexistent-dirsync-test/dirsyncd.yaml: cannot read '/nonexistent-dirsync-test/dirsyncd.yaml': No "
        "such file or directory\n");
}

TEST(LoadSettingsFile, ReportsPositionsInTheFile) {
    temp_dir dir;
    auto path = dir.write("c.yaml", "storage:\n  sqlite: x.db\n  extra: 1\n");
    auto loaded = load_settings_file(path);
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(
        loaded.error().to_string(),
        path + ":3:3: unknown key 'extra' in storage (allowed: sqlite, postgresql, max_resource_size)\n");
}

}  // namespace
}  // namespace dirsync::config
