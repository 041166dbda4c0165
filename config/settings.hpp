#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "common/sha256.hpp"
#include "config/secret_reference.hpp"
#include "config/source_settings.hpp"
#include "resource/schema.hpp"

namespace dirsync::config {

/// Where the HTTP server listens. `port == 0` asks the kernel for an ephemeral port.
/// Loaded from `server.listen` ("127.0.0.1:8080", "localhost:8080", "[::1]:8080"); other host names are
/// rejected at load because the server does not resolve names.
struct listen_address {
    std::string host = "127.0.0.1";  ///< IPv4 or IPv6 literal (no brackets), or "localhost"
    std::uint16_t port = 8080;

    bool operator==(const listen_address&) const = default;
};

/// HTTPS key material (`server.tls`). Both files were readable at load. Paths are kept as written: a relative
/// path is relative to the working directory of the process.
struct tls_settings {
    std::string cert_file;  ///< PEM certificate chain
    std::string key_file;   ///< PEM private key

    bool operator==(const tls_settings&) const = default;
};

/// Limits that protect the server from slow, large or numerous clients.
struct http_limits {
    std::size_t max_body_bytes = 1024 * 1024;  ///< larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;  ///< larger header blocks get 431
    std::size_t max_header_count = 100;        ///< more header fields get 431
    std::size_t max_json_depth = 32;  ///< deeper nesting of objects and arrays in a JSON body gets 400
    std::chrono::milliseconds header_timeout{10'000};  ///< time to receive a full header block
    std::chrono::milliseconds body_timeout{30'000};    ///< time to receive a body once headers are in
    std::chrono::milliseconds idle_timeout{60'000};    ///< keep-alive idle time between requests
    std::chrono::milliseconds write_timeout{30'000};   ///< time to send one response
    /// At the limit a new connection displaces the oldest one that has not completed a request (else one
    /// stuck in its next request, else the oldest idle one); only when every connection has a request being
    /// answered is it refused with 503.
    std::size_t max_connections = 1024;
    std::chrono::milliseconds shutdown_grace{10'000};  ///< drain time for in-flight requests on SIGTERM

    bool operator==(const http_limits&) const = default;
};

/// The `server:` section.
struct server_settings {
    listen_address listen;
    /// threads running the I/O loop, 1..256
    unsigned threads = 2;
    /// `workers`: threads that handle requests (store work, filters, sorting, password hashing) off the I/O
    /// threads, 1..256.
    unsigned workers = 4;
    /// `tenant_concurrency`: most requests of one tenant (or of the operators) handled at once, 1..workers;
    /// the tenant's further requests wait behind each other. Unset: half the workers, at least 1, so one
    /// tenant's heavy requests always leave workers for the others. A request waiting for its write's group
    /// commit does not count (common::work_pool::blocking_scope).
    std::optional<unsigned> tenant_concurrency;
    std::optional<tls_settings> tls;
    http_limits limits;
    /// `public_base_url`: the absolute URL clients reach this server at (behind a TLS-terminating proxy:
    /// "https://sync.example.com"), without a trailing '/'. Every URL the server writes (SCIM
    /// meta.location, Location, $ref) is built on it; empty: from each request's Host and transport.
    /// Applied by a reload.
    std::string public_base_url{};

    bool operator==(const server_settings&) const = default;
};

/// `storage.postgresql`: the PostgreSQL database the store lives in, instead of an SQLite file. Several
/// dirsyncd instances may share one (docs/postgresql.md).
struct postgresql_settings {
    std::string host;      ///< host name, IP address, or the absolute path of a Unix socket directory
    int port = 5432;       ///< 1..65535
    std::string database;  ///< required
    std::string user;      ///< required
    /// `password: { file | env | credential: ... }`, resolved again at each connection; absent with
    /// client-certificate or peer authentication.
    std::optional<secret_reference> password;
    /// libpq's sslmode: disable, allow, prefer, require, verify-ca or verify-full.
    std::string sslmode = "prefer";
    std::string sslrootcert;  ///< CA file (verify-ca, verify-full); empty: libpq's default
    std::string sslcert;      ///< client certificate file; empty: none
    std::string sslkey;       ///< its key file; required with sslcert
    /// Reader connections besides the one writer connection, 1..64.
    std::size_t pool_size = 8;
    /// A statement running longer is cancelled by the server (its write fails and is not kept); 0: no limit.
    std::chrono::milliseconds statement_timeout{30'000};
    /// How long opening a connection may take.
    std::chrono::milliseconds connect_timeout{10'000};

    bool operator==(const postgresql_settings&) const = default;
};

/// The `storage:` section: exactly one of `sqlite` (a file) and `postgresql`. `sqlite_path` is kept as
/// written in the configuration: a relative path is relative to the working directory of the process.
struct storage_settings {
    std::string sqlite_path;  ///< the SQLite database file; empty when `postgresql` is set
    std::optional<postgresql_settings> postgresql;
    /// `max_resource_size`: the largest stored user or group (its JSON, members apart), 1KiB..16MiB; larger
    /// writes are refused (SCIM: 413), whoever makes them.
    std::size_t max_resource_bytes = 128 * 1024;

    bool operator==(const storage_settings&) const = default;
};

/// The optional `logging:` section.
struct logging_settings {
    common::log_level level = common::log_level::info;
    bool access_log = true;
    /// `format`: how lines are written when the journal is not stderr (logfmt or json); under systemd the
    /// journal gets structured fields instead
    common::log_format format = common::log_format::logfmt;

    bool operator==(const logging_settings&) const = default;
};

/// The optional `metrics:` section: Prometheus's /metrics (docs/operations.md).
struct metrics_settings {
    /// `listen`: a listener of its own serving /metrics, /healthz and /readyz without authentication (bind
    /// it to an address only the monitoring network reaches). Unset: /metrics is served on the main listener
    /// to operator tokens only.
    std::optional<listen_address> listen{};
    /// `tenant_labels`: per-tenant series (users by status, seats) while at most this many tenants are
    /// configured, 0..100000; beyond it only the totals, so Prometheus is never flooded.
    std::size_t tenant_labels = 100;

    bool operator==(const metrics_settings&) const = default;
};

/// The optional `console:` section: the admin console in the browser (docs/console.md), served on the main
/// listener under `path` and built on the admin API only.
struct console_settings {
    bool enabled = true;
    /// Where it is served: "/segment[/segment...]" of letters, digits, '-', '_' and '.'; never under the
    /// SCIM, admin, metrics or health paths.
    std::string path = "/console";
    /// A session ends after this long without a request (1m..24h) ...
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(30)};
    /// ... and this long after sign-in whatever it did (5m..7d, at least idle_timeout).
    std::chrono::milliseconds absolute_timeout{std::chrono::hours(8)};

    bool operator==(const console_settings&) const = default;
};

/// The optional `retention:` section: how long the tables that grow with time keep their rows. Pruning runs
/// in the daemon every `every`, in small batches (daemon/retention_worker.hpp).
struct retention_settings {
    /// `sync_runs.max_age`, `sync_runs.max_count` (per source): run history; a blocked run nobody released
    /// and a run in progress are always kept
    std::chrono::milliseconds sync_runs_max_age{std::chrono::hours(24 * 90)};
    std::size_t sync_runs_max_count = 1000;
    /// `audit.max_age`, `audit.max_count` (per tenant)
    std::chrono::milliseconds audit_max_age{std::chrono::hours(24 * 180)};
    std::size_t audit_max_count = 1'000'000;
    /// `notifications.max_age`: delivered notifications (pending and failed ones are kept)
    std::chrono::milliseconds notifications_max_age{std::chrono::hours(24 * 30)};
    /// `every`: how often pruning runs, 1m..7d
    std::chrono::milliseconds every{std::chrono::hours(1)};

    bool operator==(const retention_settings&) const = default;
};

/// The `scim.bulk` section: the limits of POST /Bulk (RFC 7644 §3.7.4), which /ServiceProviderConfig
/// reports. `max_payload_bytes` is at most `server.limits.max_body_bytes` (the HTTP layer refuses larger
/// bodies before /Bulk sees them): when not configured it is 1 MiB lowered to that limit, and a configured
/// value above it is an error at load.
struct scim_bulk_settings {
    std::size_t max_operations = 1000;            ///< `max_operations`, 0..100000; 0 turns Bulk off (501)
    std::size_t max_payload_bytes = 1024 * 1024;  ///< `max_payload_size`, a byte size such as 1MiB
};

/// The optional `scim:` section.
struct scim_settings {
    scim_bulk_settings bulk;
    /// `search_time_limit`: longest a filtered or sorted list may scan before it is refused with 400 tooMany
    /// (an unindexed filter or a sort over a large tenant); `never` turns the limit off (nullopt).
    std::optional<std::chrono::milliseconds> search_time_limit = std::chrono::milliseconds(10'000);
};

/// How a tenant's users arrive (`provisioning:`): pushed and synced by its identity provider, or invited by
/// its administrators. Never both: see docs/invitations.md for the switch in either direction.
enum class provisioning_setting { idp, invite };

/// The `invitations:` section of a tenant.
struct invitation_settings {
    /// `expire_after`: how long an invitation (and each resend) stays valid; 1s..365d
    std::chrono::milliseconds expire_after{std::chrono::hours(24)};
    /// `daily_limit`: invitations and resends one inviting administrator may send in a rolling day; 1..100000
    std::uint32_t daily_limit = 50;
    /// `require_account_name`: acceptance must name the tenant (its id or name, case-insensitively)
    bool require_account_name = false;
    /// `link`: the registration page the message points to; "{code}" is replaced by the invite code. Empty:
    /// the message gives the code alone.
    std::string link{};

    bool operator==(const invitation_settings&) const = default;
};

/// The `email_policy:` section of a tenant: what addresses invitations and admin-created users may have
/// (never applied to what an identity provider pushes or a sync reads).
struct email_policy_settings {
    /// `business_only`: refuse consumer mail domains
    bool business_only = true;
    /// `consumer_domains`: replaces the built-in list of consumer mail domains (lower case)
    std::optional<std::vector<std::string>> consumer_domains{};
    /// `extra_consumer_domains`: added to the list (lower case)
    std::vector<std::string> extra_consumer_domains{};

    bool operator==(const email_policy_settings&) const = default;
};

/// A message template (`templates.<event>` of a tenant): placeholders in braces, see docs/notifications.md.
struct message_template_setting {
    std::string subject;
    std::string text;

    bool operator==(const message_template_setting&) const = default;
};

/// A tenant as declared in the configuration. Tokens are held only as SHA-256 digests.
struct tenant_settings {
    std::string id;                      ///< [a-z0-9][a-z0-9_-]{0,62}; stable key of the tenant
    std::string name;                    ///< display name
    std::optional<std::uint32_t> seats;  ///< seat limit; absent = unlimited
    /// `owner`: the e-mail address of the tenant's first administrator, created as an active admin at
    /// start when no user has it
    std::optional<std::string> owner;
    /// digests of the bearer tokens that authenticate as this tenant; no other tenant has any of them
    std::vector<common::sha256_digest> scim_tokens;
    /// `admin_tokens`: digests of the bearer tokens of this tenant's administrators: the admin API for this
    /// tenant only; none of them is any other token
    std::vector<common::sha256_digest> admin_tokens;
    /// `strict_schema`: refuse (400 invalidValue) attributes and schema URNs that no served schema declares,
    /// instead of keeping them as sent
    bool strict_schema = false;
    provisioning_setting provisioning = provisioning_setting::idp;
    invitation_settings invitations{};
    email_policy_settings email_policy{};
    /// `templates:` by event name (invitation, invitation_accepted, user_left, role_deleted, seat_granted)
    std::vector<std::pair<std::string, message_template_setting>> templates{};

    bool operator==(const tenant_settings&) const = default;
};

/// How a TLS peer is checked by an outgoing client (`ca_file`, `verify_peer`).
struct outgoing_tls_settings {
    std::string ca_file{};  ///< empty: the system's CAs
    bool verify_peer = true;
};

/// `notifications.email`: SMTP delivery.
struct smtp_notification_settings {
    std::string url;  ///< smtp://host:port or smtps://host:port
    enum class starttls_mode { none, if_offered, required } starttls = starttls_mode::if_offered;
    std::string from;  ///< an e-mail address
    std::string from_name{};
    std::optional<std::string> username{};
    std::optional<secret_reference> password{};
    outgoing_tls_settings tls{};
    std::chrono::milliseconds timeout{30'000};
};

/// `notifications.webhook`: a JSON POST per event, signed with HMAC-SHA256.
struct webhook_notification_settings {
    std::string url;  ///< http:// or https://
    secret_reference secret;
    outgoing_tls_settings tls{};
    std::chrono::milliseconds timeout{10'000};
};

/// The optional `notifications:` section: the outbox's delivery channels and retry policy. Without a
/// channel, events are audited but nothing is sent.
struct notification_settings {
    std::optional<smtp_notification_settings> email{};
    std::optional<webhook_notification_settings> webhook{};
    std::uint32_t max_attempts = 10;                                    ///< then the message is failed
    std::chrono::milliseconds retry_initial{std::chrono::seconds(30)};  ///< first backoff, doubling
    std::chrono::milliseconds retry_max{std::chrono::hours(1)};         ///< longest backoff
};

/// The resource type a configured extension schema extends.
enum class schema_resource_setting { user, group };

/// An extension schema declared in the `schemas:` section: its attributes are stored, validated, filtered,
/// sorted, projected and listed in discovery like the built-in ones. The schema's id is a URN
/// (urn:<nid>:<nss>, of letters, digits and . - _ :), unique case-insensitively and not one of the built-in
/// schemas. Its attributes follow RFC 7643 ATTRNAME, are unique in their schema (or complex attribute)
/// case-insensitively; only complex attributes have sub-attributes, which are never complex themselves.
/// Credential-like characteristics (writeOnly, returned never) and uniqueness other than none are refused at
/// load: dirsyncd stores these attributes as sent and enforces no uniqueness on them. A reference attribute
/// configured without reference_types gets ["external"].
struct schema_settings {
    schema_resource_setting extends = schema_resource_setting::user;
    resource::schema schema;  ///< at least one attribute
};

/// The whole validated configuration.
struct settings {
    std::string source_file;  ///< path the settings were loaded from, for messages
    server_settings server;
    storage_settings storage;
    logging_settings logging;
    metrics_settings metrics{};
    console_settings console{};
    retention_settings retention{};
    scim_settings scim;
    std::vector<tenant_settings> tenants;
    /// `admin_tokens:` digests of the bearer tokens of the admin API (/admin/v1), in the same forms as
    /// `scim_tokens`; none of them is also a SCIM token
    std::vector<common::sha256_digest> admin_tokens;
    /// `sources:` directories reconciled into tenants (config/source_settings.hpp), in file order
    std::vector<source_settings> sources;
    std::vector<schema_settings> schemas;  ///< configured extension schemas, in file order
    notification_settings notifications{};
};

}  // namespace dirsync::config
