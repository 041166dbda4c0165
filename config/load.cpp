#include "config/load.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.hpp"
#include "common/email_address.hpp"
#include "config/address.hpp"
#include "config/byte_size.hpp"
#include "config/duration.hpp"
#include "config/local_file.hpp"
#include "config/schema_section.hpp"
#include "config/source_section.hpp"
#include "config/tenant_policy_section.hpp"
#include "config/token_source.hpp"
#include "config/value_readers.hpp"
#include "config/yaml_reader.hpp"

namespace dirsync::config {

namespace {

constexpr std::size_t max_config_bytes = 16 * 1024 * 1024;
constexpr std::int64_t max_threads = 256;
constexpr std::int64_t max_connections_limit = 1'000'000;
constexpr std::int64_t max_header_count_limit = 10'000;
// A SCIM /Bulk of PATCH operations on an extension's complex multi-valued attribute needs 10 levels.
constexpr std::int64_t min_json_depth = 10;
// Every walk over a stored document, serialisation included, recurses once per level.
constexpr std::int64_t max_json_depth_limit = 512;
constexpr std::int64_t max_bulk_operations = 100'000;
constexpr std::size_t min_resource_size = 1024;
constexpr std::size_t max_resource_size_limit = 16 * 1024 * 1024;
constexpr std::size_t max_postgresql_pool_size = 64;

// ---- value readers specific to this configuration ----

std::optional<std::size_t> read_byte_size(diagnostics_sink& sink, const yaml_field& field) {
    return read_parsed(sink, field, "size", parse_byte_size);
}

/// The owner name under which admin tokens are registered.
const std::string admin_owner = "the admin API";

/// Remembers who each token digest belongs to, so that one token never identifies two principals.
class token_registry {
  public:
    /// Records `digest` for `owner` ("tenant 'acme'"); reports a token already recorded.
    void add(diagnostics_sink& sink, const common::sha256_digest& digest, const std::string& owner,
             const yaml_field& field) {
        auto [it, inserted] = owners_.try_emplace(digest, first_use{owner, field.mark.line + 1});
        if (inserted) return;
        const auto& first = it->second;
        if (first.owner == owner)
            sink.error(field.mark, field.name + " repeats a token already listed for " + owner + " at line " +
                                       std::to_string(first.line));
        else
            sink.error(field.mark, field.name + " is the same token as one used by " + first.owner +
                                       " (line " + std::to_string(first.line) + "); " +
                                       (is_admin(owner) != is_admin(first.owner)
                                            ? "an admin token must not also be a SCIM token"
                                            : "a token must identify exactly one tenant"));
    }

  private:
    static bool is_admin(const std::string& owner) { return owner.starts_with(admin_owner); }
    struct first_use {
        std::string owner;
        int line;
    };
    std::map<common::sha256_digest, first_use> owners_;
};

// One token item: a mapping with exactly one of sha256, file, env, credential. Resolved to a digest here.
std::optional<common::sha256_digest> read_token_item(diagnostics_sink& sink, const yaml_field& field) {
    constexpr std::string_view one_of = "one of sha256, file, env or credential";
    if (!field.value.IsMap()) {
        // A scalar here may be a pasted token: say what it is, never echo it.
        std::string got = field.value.IsScalar()
                              ? "a plain value (a token itself never goes in the configuration; "
                                "give its digest as sha256: or point to it with file:, env: "
                                "or credential:)"
                              : describe(field.value);
        sink.error(field.mark,
                   "expected a mapping with " + std::string(one_of) + " for " + field.name + ", got " + got);
        return std::nullopt;
    }
    map_reader map(sink, field, key_echo::hide);
    std::vector<std::pair<token_source_kind, yaml_field>> given;
    for (auto kind : {token_source_kind::sha256, token_source_kind::file, token_source_kind::env,
                      token_source_kind::credential})
        if (auto f = map.optional(to_string(kind))) given.emplace_back(kind, std::move(*f));
    map.finish();
    if (given.empty()) {
        if (map.size() == 0) sink.error(field.mark, "expected " + std::string(one_of) + " in " + field.name);
        return std::nullopt;  // otherwise the unknown keys were reported
    }
    if (given.size() > 1) {
        std::string keys;
        for (const auto& [kind, f] : given)
            keys += (keys.empty() ? "" : " and ") + std::string(to_string(kind));
        sink.error(field.mark,
                   "expected exactly " + std::string(one_of) + " in " + field.name + ", got " + keys);
        return std::nullopt;
    }
    auto& [kind, value_field] = given.front();
    auto value = read_non_empty_string(sink, value_field);
    if (!value) return std::nullopt;
    auto digest = resolve_token(token_source{kind, std::move(*value)});
    if (!digest) {
        sink.error(value_field.mark, digest.error().message);
        return std::nullopt;
    }
    return *digest;
}

// A list of token items; every digest is registered for `owner`.
std::vector<common::sha256_digest> read_token_list(diagnostics_sink& sink, const yaml_field& field,
                                                   const std::string& owner, token_registry& registry) {
    std::vector<common::sha256_digest> out;
    auto items = read_list(sink, field);
    if (!items) return out;
    for (const auto& item : *items) {
        auto digest = read_token_item(sink, item);
        if (!digest) continue;
        registry.add(sink, *digest, owner, item);
        out.push_back(*digest);
    }
    return out;
}

// ---- sections ----

void read_limits(diagnostics_sink& sink, const yaml_field& field, http_limits& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("max_body_bytes")) assign(out.max_body_bytes, read_byte_size(sink, *f));
    if (auto f = map.optional("max_header_bytes")) assign(out.max_header_bytes, read_byte_size(sink, *f));
    if (auto f = map.optional("max_header_count"))
        assign(out.max_header_count, read_integer(sink, *f, 1, max_header_count_limit));
    if (auto f = map.optional("max_json_depth"))
        assign(out.max_json_depth, read_integer(sink, *f, min_json_depth, max_json_depth_limit));
    if (auto f = map.optional("header_timeout")) assign(out.header_timeout, read_duration(sink, *f));
    if (auto f = map.optional("body_timeout")) assign(out.body_timeout, read_duration(sink, *f));
    if (auto f = map.optional("idle_timeout")) assign(out.idle_timeout, read_duration(sink, *f));
    if (auto f = map.optional("write_timeout")) assign(out.write_timeout, read_duration(sink, *f));
    if (auto f = map.optional("max_connections"))
        assign(out.max_connections, read_integer(sink, *f, 1, max_connections_limit));
    if (auto f = map.optional("shutdown_grace")) assign(out.shutdown_grace, read_duration(sink, *f));
}

std::optional<tls_settings> read_tls(diagnostics_sink& sink, const yaml_field& field) {
    map_reader map(sink, field);
    auto cert = map.required("cert");
    auto key = map.required("key");
    map.finish();
    auto cert_file = cert ? read_readable_path(sink, *cert) : std::nullopt;
    auto key_file = key ? read_readable_path(sink, *key) : std::nullopt;
    if (!cert_file || !key_file) return std::nullopt;
    return tls_settings{std::move(*cert_file), std::move(*key_file)};
}

void read_server(diagnostics_sink& sink, const yaml_field& field, server_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("listen"))
        assign(out.listen, read_parsed(sink, *f, "address", parse_listen_address));
    if (auto f = map.optional("public_base_url"))
        assign(out.public_base_url, read_parsed(sink, *f, "URL", parse_public_base_url));
    if (auto f = map.optional("threads")) assign(out.threads, read_integer(sink, *f, 1, max_threads));
    if (auto f = map.optional("workers")) assign(out.workers, read_integer(sink, *f, 1, max_threads));
    if (auto f = map.optional("tenant_concurrency")) {
        if (auto n = read_integer(sink, *f, 1, max_threads)) {
            if (*n > out.workers)
                sink.error(f->mark, "tenant_concurrency must not exceed workers (" +
                                        std::to_string(out.workers) + "), got " + std::to_string(*n));
            else
                out.tenant_concurrency = static_cast<unsigned>(*n);
        }
    }
    if (auto f = map.optional("tls")) out.tls = read_tls(sink, *f);
    if (auto f = map.optional("limits")) read_limits(sink, *f, out.limits);
}

// `host` of `storage.postgresql`: a host name or IP address, or the absolute path of a Unix socket directory
// (libpq's rule: a value starting with '/' is a directory). One host only: libpq would split a list at
// commas.
boost::system::result<std::string, value_error> parse_postgresql_host(std::string_view text) {
    constexpr std::string_view forms =
        " (a host name, an IP address, or the absolute path of a Unix socket directory)";
    if (text.empty()) return value_error("it is empty" + std::string(forms));
    if (text.find(',') != std::string_view::npos)
        return value_error("'" + std::string(text) + "' names more than one host; give exactly one");
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return value_error("it contains a control character" + std::string(forms));
    if (text.front() == '/') return {boost::system::in_place_value, std::string(text)};
    if (text.find('/') != std::string_view::npos)
        return value_error("'" + std::string(text) +
                           "' is a relative path; a socket directory must be absolute");
    const auto host_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '.' || c == '_' || c == ':' || c == '%';
    };
    for (char c : text)
        if (!host_char(c))
            return value_error("'" + std::string(text) + "' is not valid" + std::string(forms));
    return {boost::system::in_place_value, std::string(text)};
}

// A duration, or zero ("0", "0s", ...) for none; within [0, most].
std::optional<std::chrono::milliseconds> read_duration_or_zero(diagnostics_sink& sink,
                                                               const yaml_field& field,
                                                               std::chrono::milliseconds most,
                                                               std::string_view most_text) {
    if (field.value.IsScalar()) {
        const std::string& text = field.value.Scalar();
        auto unit_at = text.find_first_not_of("0123456789");
        auto number = std::string_view(text).substr(0, unit_at);
        if (!number.empty() && number.find_first_not_of('0') == std::string_view::npos &&
            (unit_at == std::string::npos || parse_duration("1" + text.substr(unit_at))))
            return std::chrono::milliseconds(0);
    }
    auto d = read_duration(sink, field);
    if (d && *d > most) {
        sink.error(field.mark, field.name + " must be at most " + std::string(most_text) +
                                   " (0 for no limit), got " + describe(field.value));
        return std::nullopt;
    }
    return d;
}

// A duration within [least, most].
std::optional<std::chrono::milliseconds> read_duration_between(diagnostics_sink& sink,
                                                               const yaml_field& field,
                                                               std::chrono::milliseconds least,
                                                               std::chrono::milliseconds most,
                                                               std::string_view range_text) {
    auto d = read_duration(sink, field);
    if (d && (*d < least || *d > most)) {
        sink.error(field.mark, field.name + " must be between " + std::string(range_text) + ", got " +
                                   describe(field.value));
        return std::nullopt;
    }
    return d;
}

// `storage.postgresql`. Files are checked readable and the password reference resolvable now.
std::optional<postgresql_settings> read_postgresql(diagnostics_sink& sink, const yaml_field& field) {
    using std::chrono::hours;
    using std::chrono::minutes;
    using std::chrono::seconds;
    constexpr std::array<std::string_view, 6> sslmodes{"disable", "allow",     "prefer",
                                                       "require", "verify-ca", "verify-full"};
    map_reader map(sink, field);
    if (!map.is_map()) return std::nullopt;
    postgresql_settings out;
    if (auto f = map.required("host")) assign(out.host, read_parsed(sink, *f, "host", parse_postgresql_host));
    if (auto f = map.optional("port")) assign(out.port, read_integer_as<int>(sink, *f, 1, 65535));
    if (auto f = map.required("database")) assign(out.database, read_non_empty_string(sink, *f));
    if (auto f = map.required("user")) assign(out.user, read_non_empty_string(sink, *f));
    if (auto f = map.optional("password")) out.password = read_secret_reference(sink, *f);
    if (auto f = map.optional("sslmode"))
        if (auto i = read_choice_index(sink, *f, sslmodes)) out.sslmode = std::string(sslmodes[*i]);
    auto rootcert = map.optional("sslrootcert");
    if (rootcert) assign(out.sslrootcert, read_readable_path(sink, *rootcert));
    auto cert = map.optional("sslcert");
    if (cert) assign(out.sslcert, read_readable_path(sink, *cert));
    auto key = map.optional("sslkey");
    if (key) assign(out.sslkey, read_readable_path(sink, *key));
    if (auto f = map.optional("pool_size"))
        assign(out.pool_size, read_integer_as<std::size_t>(sink, *f, 1, max_postgresql_pool_size));
    if (auto f = map.optional("statement_timeout"))
        assign(out.statement_timeout, read_duration_or_zero(sink, *f, hours(1), "1h"));
    if (auto f = map.optional("connect_timeout"))
        assign(out.connect_timeout, read_duration_between(sink, *f, seconds(1), minutes(5), "1s and 5m"));
    map.finish();

    if (cert.has_value() != key.has_value()) {
        const auto& given = cert ? *cert : *key;
        sink.error(given.mark,
                   "sslcert and sslkey go together; " + given.name + " is given without the other");
    }
    if (out.sslmode == "disable")
        for (const auto* f : {&rootcert, &cert, &key})
            if (*f) sink.error((*f)->mark, (*f)->name + " is not used with sslmode: disable");
    return out;
}

// `storage:`: exactly one of `sqlite` and `postgresql`.
void read_storage(diagnostics_sink& sink, const yaml_field& field, storage_settings& out) {
    map_reader map(sink, field);
    auto sqlite = map.optional("sqlite");
    auto postgresql = map.optional("postgresql");
    if (sqlite) assign(out.sqlite_path, read_non_empty_string(sink, *sqlite));
    if (postgresql) out.postgresql = read_postgresql(sink, *postgresql);
    if (sqlite && postgresql) {
        // At the second of the two, naming the first.
        bool sqlite_first = sqlite->mark.pos <= postgresql->mark.pos;
        const auto& first = sqlite_first ? *sqlite : *postgresql;
        const auto& second = sqlite_first ? *postgresql : *sqlite;
        sink.error(second.mark, "storage takes exactly one of sqlite and postgresql; " + second.name +
                                    " is given together with " + first.name + " (line " +
                                    std::to_string(first.mark.line + 1) + ")");
    } else if (!sqlite && !postgresql && map.is_map()) {
        sink.error(map.mark(), "missing required key 'sqlite' or 'postgresql' " + map.where());
    }
    if (auto f = map.optional("max_resource_size")) {
        auto size = read_byte_size(sink, *f);
        if (size && (*size < min_resource_size || *size > max_resource_size_limit)) {
            sink.error(f->mark,
                       "max_resource_size must be between 1KiB and 16MiB, got " + describe(f->value));
            size.reset();
        }
        assign(out.max_resource_bytes, std::move(size));
    }
}

std::optional<common::log_level> read_log_level(diagnostics_sink& sink, const yaml_field& field) {
    return read_choice<common::log_level>(sink, field,
                                          {{"debug", common::log_level::debug},
                                           {"info", common::log_level::info},
                                           {"warning", common::log_level::warning},
                                           {"error", common::log_level::error}});
}

void read_logging(diagnostics_sink& sink, const yaml_field& field, logging_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("level")) assign(out.level, read_log_level(sink, *f));
    if (auto f = map.optional("access_log")) assign(out.access_log, read_bool(sink, *f));
    if (auto f = map.optional("format"))
        assign(out.format,
               read_choice<common::log_format>(
                   sink, *f, {{"logfmt", common::log_format::logfmt}, {"json", common::log_format::json}}));
}

void read_metrics(diagnostics_sink& sink, const yaml_field& field, metrics_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("listen"))
        if (auto a = read_parsed(sink, *f, "address", parse_listen_address)) out.listen = std::move(*a);
    if (auto f = map.optional("tenant_labels")) assign(out.tenant_labels, read_integer(sink, *f, 0, 100000));
    map.finish();
}

// `console:`: the admin console's path and session lifetimes.
void read_console(diagnostics_sink& sink, const yaml_field& field, console_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("enabled")) assign(out.enabled, read_bool(sink, *f));
    if (auto f = map.optional("path")) {
        if (auto p = read_string(sink, *f)) {
            const auto valid_segment_char = [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
            };
            bool valid =
                p->size() > 1 && p->front() == '/' && p->back() != '/' && p->find("//") == std::string::npos;
            for (char c : *p) valid = valid && (c == '/' || valid_segment_char(c));
            const auto under = [&](std::string_view reserved) {
                return p->size() >= reserved.size() && p->compare(0, reserved.size(), reserved) == 0 &&
                       (p->size() == reserved.size() || (*p)[reserved.size()] == '/');
            };
            if (!valid)
                sink.error(f->mark,
                           "console.path must look like /console (segments of letters, digits, '-', "
                           "'_' or '.'), got " +
                               describe(f->value));
            else if (under("/scim") || under("/admin") || under("/metrics") || under("/healthz") ||
                     under("/readyz"))
                sink.error(f->mark, "console.path " + *p +
                                        " would hide the SCIM, admin, metrics or health endpoints; choose "
                                        "another, e.g. /console");
            else
                out.path = *p;
        }
    }
    // Reads `name` into `target` when present and within [least, most]; the field, for later checks.
    const auto lifetime = [&](const char* name, std::chrono::milliseconds least,
                              std::chrono::milliseconds most, const char* range,
                              std::chrono::milliseconds& target) {
        auto f = map.optional(name);
        if (!f) return f;
        if (auto d = read_duration(sink, *f)) {
            if (*d < least || *d > most)
                sink.error(f->mark, std::string("console.") + name + " must be between " + range + ", got " +
                                        describe(f->value));
            else
                target = *d;
        }
        return f;
    };
    using std::chrono::hours;
    using std::chrono::minutes;
    lifetime("idle_timeout", minutes(1), hours(24), "1m and 24h", out.idle_timeout);
    auto absolute =
        lifetime("absolute_timeout", minutes(5), hours(24 * 7), "5m and 7d", out.absolute_timeout);
    if (absolute && out.absolute_timeout < out.idle_timeout)
        sink.error(absolute->mark, "console.absolute_timeout must be at least console.idle_timeout");
    map.finish();
}

// `retention:`: each age 1h..100y, each count 10..1e9.
void read_retention(diagnostics_sink& sink, const yaml_field& field, retention_settings& out) {
    using std::chrono::hours;
    using std::chrono::milliseconds;
    map_reader map(sink, field);
    auto age = [&](const yaml_field& f, milliseconds& target) {
        if (auto d = read_duration(sink, f)) {
            if (*d < hours(1) || *d > hours(24 * 365 * 100))
                sink.error(f.mark, "a retention age must be between 1h and 36500d, got " + describe(f.value));
            else
                target = *d;
        }
    };
    auto section = [&](const char* name, milliseconds& max_age, std::size_t* max_count) {
        auto f = map.optional(name);
        if (!f) return;
        map_reader inner(sink, *f);
        if (auto g = inner.optional("max_age")) age(*g, max_age);
        if (max_count)
            if (auto g = inner.optional("max_count"))
                assign(*max_count, read_integer(sink, *g, 10, 1'000'000'000));
        inner.finish();
    };
    section("sync_runs", out.sync_runs_max_age, &out.sync_runs_max_count);
    section("audit", out.audit_max_age, &out.audit_max_count);
    section("notifications", out.notifications_max_age, nullptr);
    if (auto f = map.optional("every")) {
        if (auto d = read_duration(sink, *f)) {
            if (*d < std::chrono::minutes(1) || *d > hours(24 * 7))
                sink.error(f->mark, "retention.every must be between 1m and 7d, got " + describe(f->value));
            else
                out.every = *d;
        }
    }
    map.finish();
}

// `scim:`. Returns the `bulk.max_payload_size` field when one was read, for check_bulk_payload.
std::optional<yaml_field> read_scim(diagnostics_sink& sink, const yaml_field& field, scim_settings& out) {
    map_reader map(sink, field);
    std::optional<yaml_field> payload;
    if (auto f = map.optional("bulk")) {
        map_reader bulk(sink, *f);
        if (auto g = bulk.optional("max_operations"))
            assign(out.bulk.max_operations, read_integer(sink, *g, 0, max_bulk_operations));
        if (auto g = bulk.optional("max_payload_size")) {
            auto size = read_byte_size(sink, *g);
            if (size) payload = std::move(*g);
            assign(out.bulk.max_payload_bytes, std::move(size));
        }
    }
    if (auto f = map.optional("search_time_limit"))
        assign(out.search_time_limit, read_duration_or_never(sink, *f));
    return payload;
}

// The /Bulk body limit must fit the HTTP body limit, which refuses larger bodies first: the default is
// lowered to it, a configured value above it is reported.
void check_bulk_payload(diagnostics_sink& sink, const std::optional<yaml_field>& configured, settings& out) {
    const auto http_limit = out.server.limits.max_body_bytes;
    auto& bulk = out.scim.bulk;
    if (bulk.max_payload_bytes <= http_limit) return;
    if (!configured) {
        bulk.max_payload_bytes = http_limit;
        return;
    }
    sink.error(configured->mark, configured->name + " (" + std::to_string(bulk.max_payload_bytes) +
                                     " bytes) is larger than server.limits.max_body_bytes (" +
                                     std::to_string(http_limit) + " bytes), which refuses such bodies first");
}

void read_tenants(diagnostics_sink& sink, const yaml_field& field, std::vector<tenant_settings>& out,
                  token_registry& tokens) {
    auto items = read_list(sink, field);
    if (!items) return;
    std::map<std::string, int> first_line_of_id;
    for (const auto& item : *items) {
        map_reader map(sink, item);
        tenant_settings tenant;
        std::string owner = item.path;  // until the id is known to be good
        if (auto f = map.required("id")) {
            if (auto id = read_string(sink, *f)) {
                if (!common::is_lowercase_name(*id)) {
                    sink.error(f->mark, "invalid tenant id " + describe(f->value) +
                                            ": use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a "
                                            "letter or digit");
                } else if (auto [it, inserted] = first_line_of_id.try_emplace(*id, f->mark.line + 1);
                           !inserted) {
                    sink.error(f->mark, "duplicate tenant id '" + *id + "' (first defined at line " +
                                            std::to_string(it->second) + ")");
                } else {
                    owner = "tenant '" + *id + "'";
                }
                tenant.id = std::move(*id);
            }
        }
        if (auto f = map.required("name")) assign(tenant.name, read_non_empty_string(sink, *f));
        if (auto f = map.optional("seats"))
            assign(tenant.seats,
                   read_integer_as<std::uint32_t>(sink, *f, 0, std::numeric_limits<std::uint32_t>::max()));
        if (auto f = map.optional("owner")) {
            if (auto address = read_non_empty_string(sink, *f)) {
                if (common::is_email_address(*address))
                    tenant.owner = std::move(*address);
                else
                    sink.error(f->mark, "owner must be an e-mail address like admin@example.com, got " +
                                            describe(f->value));
            }
        }
        if (auto f = map.optional("scim_tokens"))
            tenant.scim_tokens = read_token_list(sink, *f, owner, tokens);
        if (auto f = map.optional("admin_tokens"))
            tenant.admin_tokens = read_token_list(sink, *f, "the admin API of " + owner, tokens);
        if (auto f = map.optional("strict_schema")) assign(tenant.strict_schema, read_bool(sink, *f));
        if (auto f = map.optional("provisioning"))
            assign(tenant.provisioning,
                   read_choice<provisioning_setting>(
                       sink, *f,
                       {{"idp", provisioning_setting::idp}, {"invite", provisioning_setting::invite}}));
        if (auto f = map.optional("invitations")) read_invitations(sink, *f, tenant.invitations);
        if (auto f = map.optional("email_policy")) read_email_policy(sink, *f, tenant.email_policy);
        if (auto f = map.optional("templates")) read_templates(sink, *f, tenant.templates);
        map.finish();
        out.push_back(std::move(tenant));
    }
}

// The whole document. New top-level sections are one more line here and a reader above.
void read_document(diagnostics_sink& sink, const YAML::Node& document, std::string_view yaml, settings& out) {
    token_registry tokens;
    map_reader map(sink, root_field(document));
    if (auto f = map.optional("server")) read_server(sink, *f, out.server);
    if (auto f = map.required("storage")) read_storage(sink, *f, out.storage);
    if (auto f = map.optional("logging")) read_logging(sink, *f, out.logging);
    if (auto f = map.optional("metrics")) read_metrics(sink, *f, out.metrics);
    if (auto f = map.optional("retention")) read_retention(sink, *f, out.retention);
    if (auto f = map.optional("console")) read_console(sink, *f, out.console);
    std::optional<yaml_field> bulk_payload;
    if (auto f = map.optional("scim")) bulk_payload = read_scim(sink, *f, out.scim);
    if (auto f = map.optional("tenants")) read_tenants(sink, *f, out.tenants, tokens);
    if (auto f = map.optional("admin_tokens"))
        out.admin_tokens = read_token_list(sink, *f, admin_owner, tokens);
    if (auto f = map.optional("sources")) read_sources(sink, *f, {yaml, out.tenants}, out.sources);
    if (auto f = map.optional("schemas")) read_schemas(sink, *f, out.schemas);
    if (auto f = map.optional("notifications")) read_notifications(sink, *f, out.notifications);
    map.finish();
    check_bulk_payload(sink, bulk_payload, out);
}

// A hint for the commonest syntax error: an unquoted "[::1]:8080" starts a YAML flow list.
std::string syntax_hint(std::string_view yaml, int line) {
    std::size_t begin = 0;
    for (int i = 0; i < line && begin != std::string_view::npos; ++i) {
        begin = yaml.find('\n', begin);
        if (begin != std::string_view::npos) ++begin;
    }
    if (begin == std::string_view::npos) return {};
    auto text = yaml.substr(begin, yaml.find('\n', begin) - begin);
    auto open = text.find(": [");
    if (open != std::string_view::npos && text.find("]:", open) != std::string_view::npos)
        return " (an address in brackets must be quoted, e.g. listen: \"[::1]:8080\")";
    return {};
}

}  // namespace

boost::system::result<settings, config_error> load_settings_string(std::string_view yaml,
                                                                   std::string_view file_name,
                                                                   const load_options& options) {
    diagnostics_sink sink{std::string(file_name)};
    settings out;
    out.source_file = std::string(file_name);
    try {
        auto documents = YAML::LoadAll(std::string(yaml));
        if (documents.empty()) {
            sink.error(
                "the configuration is empty; at least storage.sqlite or storage.postgresql is required");
        } else {
            if (documents.size() > 1)
                sink.error(documents[1].Mark(), "only one YAML document is allowed in the configuration");
            read_document(sink, documents.front(), yaml, out);
            if (options.check) {
                std::vector<diagnostic> found;
                options.check(out, found);
                for (auto& d : found) sink.add(std::move(d));
            }
        }
    } catch (const YAML::ParserException& e) {
        sink.error(e.mark, "syntax error: " + e.msg + syntax_hint(yaml, e.mark.line));
    } catch (const YAML::Exception& e) {
        sink.error(e.mark, e.msg);
    }
    if (!sink.empty()) return config_error(sink.take());
    return out;
}

boost::system::result<settings, config_error> load_settings_file(const std::filesystem::path& file,
                                                                 const load_options& options) {
    auto text = read_file(file, max_config_bytes);
    if (!text) return config_error({diagnostic{file.string(), 0, 0, text.error().message}});
    return load_settings_string(*text, file.string(), options);
}

}  // namespace dirsync::config
