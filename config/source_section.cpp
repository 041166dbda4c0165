#include "config/source_section.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "common/ascii.hpp"
#include "config/duration.hpp"
#include "config/local_file.hpp"
#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"
#include "ldap/filter.hpp"
#include "ldap/filter_escape.hpp"

namespace dirsync::config {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t max_name_length = 63;
constexpr std::int64_t max_page_size = 10'000;
constexpr std::int64_t max_orphans_limit = 1'000'000'000;
constexpr std::chrono::milliseconds max_full_every = 24h;

// ---- small syntax checks ----

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [a-z0-9][a-z0-9_-]{0,62}: source names and role names (the same rule as tenant ids).
bool is_identifier(std::string_view id) {
    auto allowed = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || is_digit(c) || (!first && (c == '_' || c == '-'));
    };
    if (id.empty() || id.size() > max_name_length) return false;
    for (std::size_t i = 0; i < id.size(); ++i)
        if (!allowed(id[i], i == 0)) return false;
    return true;
}

// A configured DN (ldap::parse_dn, values held to the configured strictness); empty is refused.
boost::system::result<void, value_error> check_dn(std::string_view dn) {
    auto rdns = ldap::parse_dn(dn, ldap::dn_strictness::configured);
    if (!rdns) return value_error(rdns.error().message);
    if (rdns->empty()) return value_error("the DN is empty");
    return {};
}

// One LDAP URL: ldap://host[:port][/] or ldaps://...; returns whether it is ldaps.
boost::system::result<bool, value_error> check_ldap_url(std::string_view url) {
    auto lower = common::to_lower_ascii(
        url.substr(0, url.find("://") == std::string_view::npos ? 0 : url.find("://")));
    bool ldaps = false;
    if (lower == "ldaps")
        ldaps = true;
    else if (lower != "ldap")
        return value_error("'" + std::string(url) + "' is not an ldap:// or ldaps:// URL");
    auto rest = url.substr(lower.size() + 3);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.find('/') != std::string_view::npos || rest.find('?') != std::string_view::npos)
        return value_error("'" + std::string(url) +
                           "' has a path or query; give only the scheme, host and port (base DNs and filters "
                           "go in users: and groups:)");
    if (rest.empty()) return value_error("'" + std::string(url) + "' names no host");
    std::string_view host = rest;
    std::string_view port;
    if (rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos)
            return value_error("'" + std::string(url) + "' has an unclosed '['");
        host = rest.substr(0, close + 1);
        auto after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return value_error("'" + std::string(url) + "' has text after ']'");
            port = after.substr(1);
        }
    } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (host.empty() || host == "[]") return value_error("'" + std::string(url) + "' names no host");
    for (char c : host)
        if (c == ' ' || c == '@' || static_cast<unsigned char>(c) < 0x20)
            return value_error("'" + std::string(url) + "' has an invalid host");
    if (host != rest) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
            value > 65535)
            return value_error("'" + std::string(url) + "' has an invalid port (1-65535)");
    }
    return ldaps;
}

// ---- positions ----

YAML::Mark mark_of(const text_location& at) {
    YAML::Mark m;
    m.line = at.line - 1;
    m.column = at.column - 1;
    return m;
}

// ---- value readers ----

template <class E>
std::optional<E> read_choice(diagnostics_sink& sink, const yaml_field& field,
                             std::initializer_list<std::pair<std::string_view, E>> choices) {
    auto text = read_string(sink, field);
    if (!text) return std::nullopt;
    std::string allowed;
    for (const auto& [word, value] : choices) {
        if (*text == word) return value;
        allowed += (allowed.empty() ? "" : ", ") + std::string(word);
    }
    sink.error(field.mark,
               "invalid " + field.name + " " + describe(field.value) + " (allowed: " + allowed + ")");
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> read_duration(diagnostics_sink& sink, const yaml_field& field) {
    return read_parsed(sink, field, "duration", parse_duration);
}

// A duration or `never` (nullopt inside the optional).
std::optional<std::optional<std::chrono::milliseconds>> read_duration_or_never(diagnostics_sink& sink,
                                                                               const yaml_field& field) {
    if (field.value.IsScalar() && field.value.Scalar() == "never")
        return std::optional<std::chrono::milliseconds>();
    auto d = read_parsed(sink, field, "duration (or never)", parse_duration);
    if (!d) return std::nullopt;
    return std::optional<std::chrono::milliseconds>(*d);
}

std::optional<std::string> read_readable_path(diagnostics_sink& sink, const yaml_field& field) {
    auto path = read_non_empty_string(sink, field);
    if (!path) return std::nullopt;
    if (auto readable = check_readable_file(*path); !readable) {
        sink.error(field.mark, field.name + ": " + readable.error().message);
        return std::nullopt;
    }
    return path;
}

std::optional<std::string> read_dn(diagnostics_sink& sink, const yaml_field& field) {
    auto dn = read_non_empty_string(sink, field);
    if (!dn) return std::nullopt;
    if (auto ok = check_dn(*dn); !ok) {
        sink.error(field.mark, "invalid DN for " + field.name + ": " + ok.error().message);
        return std::nullopt;
    }
    return dn;
}

std::optional<std::string> read_attribute_name(diagnostics_sink& sink, const yaml_field& field) {
    auto name = read_non_empty_string(sink, field);
    if (!name) return std::nullopt;
    if (!ldap::is_attribute_description(*name)) {
        sink.error(field.mark, "invalid attribute name " + describe(field.value) + " for " + field.name +
                                   " (letters, digits and '-', starting with a letter, or a numeric OID)");
        return std::nullopt;
    }
    return name;
}

// A number in 0..1, written as a decimal ("0.1") or a percentage ("10%").
std::optional<double> read_ratio(diagnostics_sink& sink, const yaml_field& field) {
    auto text = read_string(sink, field);
    if (!text) return std::nullopt;
    std::string_view digits = *text;
    bool percent = !digits.empty() && digits.back() == '%';
    if (percent) digits.remove_suffix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    bool plain = !digits.empty() && digits.find_first_not_of("0123456789.") == std::string_view::npos;
    if (!plain || ec != std::errc{} || end != digits.data() + digits.size() || !std::isfinite(value)) {
        sink.error(field.mark, "expected a ratio between 0 and 1 (0.1) or a percentage (10%) for " +
                                   field.name + ", got " + describe(field.value));
        return std::nullopt;
    }
    if (percent) value /= 100.0;
    if (value < 0.0 || value > 1.0) {
        sink.error(field.mark,
                   field.name + " must be between 0 and 1 (0% and 100%), got " + describe(field.value));
        return std::nullopt;
    }
    return value;
}

// ---- the reader of one source ----

class source_reader {
  public:
    source_reader(diagnostics_sink& sink, const source_section_context& context)
        : sink_(sink), context_(context) {}

    void read(const yaml_field& item, source_settings& out, std::map<std::string, int>& names) {
        out.location = text_location{item.mark.line + 1, item.mark.column + 1, false};
        map_reader map(sink_, item);
        if (!map.is_map()) return;
        if (auto f = map.required("name")) read_name(*f, out, names);
        if (auto f = map.required("tenant")) read_tenant(*f, out);
        if (auto f = map.optional("type"))
            assign(out.type, read_choice<source_type>(sink_, *f, {{"ldap", source_type::ldap}}));
        if (auto f = map.optional("flavour"))
            assign(out.flavour,
                   read_choice<ldap_flavour>(sink_, *f,
                                             {{"openldap", ldap_flavour::openldap},
                                              {"active_directory", ldap_flavour::active_directory},
                                              {"389ds", ldap_flavour::ds389},
                                              {"freeipa", ldap_flavour::freeipa}}));
        read_connection(map, out);
        if (auto f = map.optional("page_size"))
            assign(out.page_size, read_integer_as<std::uint32_t>(sink_, *f, 1, max_page_size));
        if (auto f = map.optional("timeouts")) read_timeouts(*f, out.timeouts);
        if (auto f = map.optional("schedule")) read_schedule(*f, out.schedule);
        std::optional<yaml_field> incremental_field = map.optional("incremental");
        if (incremental_field)
            assign(out.incremental, read_choice<incremental_method>(
                                        sink_, *incremental_field,
                                        {{"auto", incremental_method::automatic},
                                         {"syncrepl", incremental_method::syncrepl},
                                         {"usn", incremental_method::usn},
                                         {"modify_timestamp", incremental_method::modify_timestamp},
                                         {"none", incremental_method::none}}));
        resolve_incremental(incremental_field, out);
        if (auto f = map.required("users")) read_users(*f, out);
        if (auto f = map.optional("groups")) read_groups(*f, out);
        if (auto f = map.optional("roles")) read_roles(*f, out.roles);
        if (auto f = map.optional("match_existing")) read_match_existing(*f, out.match_existing);
        if (auto f = map.optional("safety")) read_safety(*f, out.safety);
        if (auto f = map.optional("orphans")) read_orphans(*f, out.orphans);
        map.finish();
    }

  private:
    void read_name(const yaml_field& f, source_settings& out, std::map<std::string, int>& names) {
        auto name = read_string(sink_, f);
        if (!name) return;
        if (!is_identifier(*name)) {
            sink_.error(f.mark,
                        "invalid source name " + describe(f.value) +
                            ": use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or "
                            "digit");
        } else if (auto [it, inserted] = names.try_emplace(*name, f.mark.line + 1); !inserted) {
            sink_.error(f.mark, "duplicate source name '" + *name + "' (first defined at line " +
                                    std::to_string(it->second) + ")");
        }
        // Record names the sources' own records carry in `source`; these mean other things there.
        if (*name == "scim" || *name == "admin")
            sink_.error(f.mark, "the source name '" + *name +
                                    "' is reserved (records pushed by SCIM and "
                                    "created by admins carry it)");
        out.name = std::move(*name);
    }

    void read_tenant(const yaml_field& f, source_settings& out) {
        auto tenant = read_non_empty_string(sink_, f);
        if (!tenant) return;
        bool known = false;
        std::string declared;
        for (const auto& t : context_.tenants) {
            if (t.id == *tenant) known = true;
            if (!t.id.empty()) declared += (declared.empty() ? "" : ", ") + t.id;
        }
        if (!known)
            sink_.error(f.mark, "source tenant " + describe(f.value) +
                                    " is not a declared tenant (declared: " +
                                    (declared.empty() ? "none" : declared) + ")");
        out.tenant = std::move(*tenant);
    }

    void read_connection(map_reader& map, source_settings& out) {
        std::optional<yaml_field> url_field = map.required("url");
        bool any_ldaps = false;
        if (url_field) {
            if (auto url = read_non_empty_string(sink_, *url_field)) {
                std::string_view rest = *url;
                bool ok = true;
                while (!rest.empty()) {
                    auto start = rest.find_first_not_of(' ');
                    if (start == std::string_view::npos) break;
                    rest.remove_prefix(start);
                    auto one = rest.substr(0, rest.find(' '));
                    rest.remove_prefix(one.size());
                    auto checked = check_ldap_url(one);
                    if (!checked) {
                        sink_.error(url_field->mark, "invalid url: " + checked.error().message);
                        ok = false;
                        break;
                    }
                    any_ldaps = any_ldaps || *checked;
                }
                if (ok) out.url = std::move(*url);
            }
        }
        std::optional<yaml_field> start_tls = map.optional("start_tls");
        if (start_tls) {
            assign(out.start_tls, read_bool(sink_, *start_tls));
            if (out.start_tls && any_ldaps)
                sink_.error(
                    start_tls->mark,
                    "start_tls cannot be used with an ldaps:// URL (ldaps is TLS from the first byte)");
        }
        if (auto f = map.optional("ca_file")) assign(out.ca_file, read_readable_path(sink_, *f));
        if (auto f = map.optional("tls_verify"))
            assign(out.tls_verify, read_choice<ldap_tls_verify>(sink_, *f,
                                                                {{"demand", ldap_tls_verify::demand},
                                                                 {"try", ldap_tls_verify::if_presented},
                                                                 {"allow", ldap_tls_verify::allow},
                                                                 {"never", ldap_tls_verify::never}}));
        std::optional<yaml_field> bind_field = map.optional("bind");
        std::optional<ldap_bind> bind = ldap_bind::simple;
        if (bind_field)
            bind = read_choice<ldap_bind>(sink_, *bind_field,
                                          {{"simple", ldap_bind::simple},
                                           {"sasl_external", ldap_bind::sasl_external},
                                           {"anonymous", ldap_bind::anonymous}});
        if (bind) out.bind = *bind;
        std::optional<yaml_field> dn_field = map.optional("bind_dn");
        if (dn_field) assign(out.bind_dn, read_dn(sink_, *dn_field));
        std::optional<yaml_field> password_field = map.optional("bind_password");
        if (password_field) out.bind_password = read_password(*password_field);
        std::optional<yaml_field> cert_field = map.optional("client_cert_file");
        if (cert_field) assign(out.client_cert_file, read_readable_path(sink_, *cert_field));
        std::optional<yaml_field> key_field = map.optional("client_key_file");
        if (key_field) assign(out.client_key_file, read_readable_path(sink_, *key_field));

        // Combinations. Messages go where the offending key is, or at the source when a key is missing.
        auto missing = [&](std::string_view key, std::string_view why) {
            sink_.error(map.mark(), "missing required key '" + std::string(key) + "' " + map.where() + " (" +
                                        std::string(why) + ")");
        };
        auto unused = [&](const std::optional<yaml_field>& f, std::string_view why) {
            if (f) sink_.error(f->mark, f->name + " is not used " + std::string(why));
        };
        if (!bind) return;  // reported; which keys it needs is unknown
        switch (out.bind) {
            case ldap_bind::simple:
                if (!dn_field) missing("bind_dn", "bind: simple needs it; use bind: anonymous for none");
                if (!password_field) missing("bind_password", "bind: simple needs it");
                break;
            case ldap_bind::anonymous:
                unused(dn_field, "with bind: anonymous");
                unused(password_field, "with bind: anonymous");
                break;
            case ldap_bind::sasl_external:
                unused(dn_field, "with bind: sasl_external (the client certificate is the identity)");
                unused(password_field, "with bind: sasl_external (the client certificate is the identity)");
                if (!cert_field)
                    missing("client_cert_file", "bind: sasl_external needs a client certificate");
                if (!key_field) missing("client_key_file", "bind: sasl_external needs a client certificate");
                if (url_field && !any_ldaps && !out.start_tls)
                    sink_.error(bind_field->mark,
                                "bind: sasl_external needs TLS: use an ldaps:// URL or start_tls: true");
                break;
        }
        if (out.bind != ldap_bind::sasl_external && (cert_field.has_value() != key_field.has_value())) {
            const auto& given = cert_field ? *cert_field : *key_field;
            sink_.error(given.mark, "client_cert_file and client_key_file go together; " + given.name +
                                        " is given without the other");
        }
    }

    // { file: P } | { env: V } | { credential: N }; a plain scalar is refused without being echoed.
    std::optional<secret_reference> read_password(const yaml_field& field) {
        constexpr std::string_view one_of = "one of file, env or credential";
        if (!field.value.IsMap()) {
            std::string got = field.value.IsScalar()
                                  ? "a plain value (a password never goes in the configuration; point to it "
                                    "with { file: PATH }, { env: VARIABLE } or { credential: NAME })"
                                  : describe(field.value);
            sink_.error(field.mark, "expected a mapping with " + std::string(one_of) + " for " + field.name +
                                        ", got " + got);
            return std::nullopt;
        }
        map_reader map(sink_, field, key_echo::hide);
        std::vector<std::pair<secret_source_kind, yaml_field>> given;
        for (auto kind : {secret_source_kind::file, secret_source_kind::env, secret_source_kind::credential})
            if (auto f = map.optional(to_string(kind))) given.emplace_back(kind, std::move(*f));
        map.finish();
        if (given.empty()) {
            if (map.size() == 0)
                sink_.error(field.mark, "expected " + std::string(one_of) + " in " + field.name);
            return std::nullopt;
        }
        if (given.size() > 1) {
            sink_.error(field.mark, "expected exactly " + std::string(one_of) + " in " + field.name);
            return std::nullopt;
        }
        auto& [kind, value_field] = given.front();
        auto value = read_non_empty_string(sink_, value_field);
        if (!value) return std::nullopt;
        secret_reference reference{kind, std::move(*value)};
        // Readable now; read again at each run so that a rotated password is used without a reload.
        if (auto ok = check_secret(reference); !ok) {
            sink_.error(value_field.mark, field.name + ": " + ok.error().message);
            return std::nullopt;
        }
        return reference;
    }

    void read_timeouts(const yaml_field& field, source_timeouts& out) {
        map_reader map(sink_, field);
        if (auto f = map.optional("network")) assign(out.network, read_duration(sink_, *f));
        if (auto f = map.optional("connect")) assign(out.connect, read_duration(sink_, *f));
        if (auto f = map.optional("operation")) assign(out.operation, read_duration(sink_, *f));
        if (auto f = map.optional("run")) assign(out.run, read_duration(sink_, *f));
    }

    void read_schedule(const yaml_field& field, source_schedule& out) {
        map_reader map(sink_, field);
        auto every = map.optional("every");
        auto jitter = map.optional("jitter");
        auto full_every = map.optional("full_every");
        map.finish();
        bool ok = true;
        auto take = [&](const std::optional<yaml_field>& f, std::chrono::milliseconds& target) {
            if (!f) return;
            if (auto d = read_duration(sink_, *f))
                target = *d;
            else
                ok = false;
        };
        take(every, out.every);
        take(jitter, out.jitter);
        take(full_every, out.full_every);
        if (!ok) return;
        if (out.full_every > max_full_every)
            sink_.error(full_every->mark,
                        "full_every must be at most 24h (a full run is scheduled at least daily)");
        if (out.full_every < out.every) {
            const auto& at = full_every ? *full_every : *every;
            sink_.error(at.mark, "full_every must not be shorter than every");
        }
        if (out.jitter >= out.every) {
            const auto& at = jitter ? *jitter : *every;
            sink_.error(at.mark, "jitter must be shorter than every");
        }
    }

    void resolve_incremental(const std::optional<yaml_field>& field, source_settings& out) {
        bool ad = out.flavour == ldap_flavour::active_directory;
        if (out.incremental == incremental_method::automatic) {
            switch (out.flavour) {
                case ldap_flavour::openldap:
                    out.incremental = incremental_method::syncrepl;
                    break;
                case ldap_flavour::active_directory:
                    out.incremental = incremental_method::usn;
                    break;
                case ldap_flavour::ds389:
                case ldap_flavour::freeipa:
                    out.incremental = incremental_method::modify_timestamp;
                    break;
            }
            return;
        }
        if (out.incremental == incremental_method::syncrepl && ad)
            sink_.error(field->mark,
                        "incremental: syncrepl is not available with flavour active_directory "
                        "(use usn, modify_timestamp or none)");
        if (out.incremental == incremental_method::usn && !ad)
            sink_.error(field->mark,
                        "incremental: usn needs flavour active_directory (uSNChanged is Active "
                        "Directory's)");
    }

    // --- users and groups ---

    located_text located(const yaml_field& field, std::string text) const {
        return located_text{std::move(text), locate_scalar(context_.yaml_text, field.value)};
    }

    // An RFC 4515 filter; errors point at the offending character when the scalar allows it.
    std::optional<located_text> read_filter(const yaml_field& field) {
        auto text = read_non_empty_string(sink_, field);
        if (!text) return std::nullopt;
        auto out = located(field, std::move(*text));
        if (auto parsed = ldap::parse_filter(out.text); !parsed) {
            sink_.error(mark_of(out.location.at_offset(parsed.error().position)),
                        "invalid LDAP filter for " + field.name + ": " + parsed.error().message);
            return std::nullopt;
        }
        return out;
    }

    std::optional<ldap_scope> read_scope(const yaml_field& field) {
        return read_choice<ldap_scope>(
            sink_, field, {{"base", ldap_scope::base}, {"one", ldap_scope::one}, {"sub", ldap_scope::sub}});
    }

    std::optional<std::string> read_anchor(const yaml_field& field) {
        auto text = read_string(sink_, field);
        if (!text) return std::nullopt;
        for (std::string_view known : {"entryUUID", "objectGUID", "nsUniqueId", "ipaUniqueID"}) {
            if (common::iequals_ascii(*text, known)) return std::string(known);
        }
        sink_.error(field.mark,
                    "invalid anchor " + describe(field.value) +
                        " (allowed: entryUUID, objectGUID, nsUniqueId, ipaUniqueID: an immutable id, "
                        "never a name or the DN)");
        return std::nullopt;
    }

    static std::string default_anchor(ldap_flavour flavour) {
        switch (flavour) {
            case ldap_flavour::openldap:
                return "entryUUID";
            case ldap_flavour::active_directory:
                return "objectGUID";
            case ldap_flavour::ds389:
                return "nsUniqueId";
            case ldap_flavour::freeipa:
                return "ipaUniqueID";
        }
        return "entryUUID";
    }

    static std::optional<located_text> default_disabled_when(ldap_flavour flavour) {
        switch (flavour) {
            case ldap_flavour::openldap:
                return located_text{"(pwdAccountLockedTime=*)", {}};
            case ldap_flavour::active_directory:
                return located_text{"(userAccountControl:1.2.840.113556.1.4.803:=2)", {}};
            case ldap_flavour::ds389:
            case ldap_flavour::freeipa:
                return located_text{"(nsAccountLock=true)", {}};
        }
        return std::nullopt;
    }

    // never | "(filter)" | { attribute: A, mask: N | equals: V | present: true }
    std::optional<std::optional<located_text>> read_disabled_when(const yaml_field& field) {
        if (field.value.IsScalar()) {
            if (field.value.Scalar() == "never") return std::optional<located_text>();
            auto filter = read_filter(field);
            if (!filter) return std::nullopt;
            return std::optional<located_text>(std::move(*filter));
        }
        if (!field.value.IsMap()) {
            sink_.error(field.mark,
                        "expected a filter, never, or a mapping with attribute and one of mask, "
                        "equals or present for " +
                            field.name + ", got " + describe(field.value));
            return std::nullopt;
        }
        map_reader map(sink_, field);
        auto attribute_field = map.required("attribute");
        auto mask = map.optional("mask");
        auto equals = map.optional("equals");
        auto present = map.optional("present");
        map.finish();
        int tests = (mask ? 1 : 0) + (equals ? 1 : 0) + (present ? 1 : 0);
        if (tests != 1) {
            sink_.error(field.mark, "expected exactly one of mask, equals or present in " + field.name);
            return std::nullopt;
        }
        if (!attribute_field) return std::nullopt;
        auto attribute = read_attribute_name(sink_, *attribute_field);
        if (!attribute) return std::nullopt;
        text_location at{field.mark.line + 1, field.mark.column + 1, false};
        if (mask) {
            auto bits = read_integer(sink_, *mask, 1, std::numeric_limits<std::int64_t>::max());
            if (!bits) return std::nullopt;
            return std::optional<located_text>(located_text{
                "(" + *attribute + ":1.2.840.113556.1.4.803:=" + std::to_string(*bits) + ")", at});
        }
        if (equals) {
            auto value = read_string(sink_, *equals);
            if (!value) return std::nullopt;
            return std::optional<located_text>(
                located_text{"(" + *attribute + "=" + ldap::escape_filter_value(*value) + ")", at});
        }
        auto is_present = read_bool(sink_, *present);
        if (!is_present) return std::nullopt;
        if (!*is_present) {
            sink_.error(present->mark,
                        "present: false is not a test; write present: true, or use a filter "
                        "such as (!(attribute=*))");
            return std::nullopt;
        }
        return std::optional<located_text>(located_text{"(" + *attribute + "=*)", at});
    }

    // `map:` target -> expression, or target -> { value, when, required }.
    std::vector<map_entry> read_map(const yaml_field& field, text_location& where) {
        std::vector<map_entry> out;
        where = text_location{field.mark.line + 1, field.mark.column + 1, false};
        if (!field.value.IsMap()) {
            sink_.error(field.mark, "expected a mapping of SCIM attribute paths to expressions for " +
                                        field.name + ", got " + describe(field.value));
            return out;
        }
        if (field.value.size() == 0) {
            sink_.error(field.mark, field.name + " must map at least one attribute");
            return out;
        }
        std::map<std::string, int> first_line;
        for (const auto& pair : field.value) {
            const YAML::Node key = pair.first;
            if (!key.IsScalar() || key.Scalar().empty()) {
                sink_.error(key.Mark(), "expected a SCIM attribute path as a key in " + field.path +
                                            ", got " + describe(key));
                continue;
            }
            if (auto [it, inserted] = first_line.try_emplace(key.Scalar(), key.Mark().line + 1); !inserted) {
                sink_.error(key.Mark(), "duplicate key '" + key.Scalar() + "' in " + field.path +
                                            " (first at line " + std::to_string(it->second) + ")");
                continue;
            }
            const YAML::Node value = pair.second;
            auto mark = value.IsNull() ? key.Mark() : value.Mark();
            yaml_field entry_field{key.Scalar(), field.path + "." + key.Scalar(), value, mark};
            map_entry entry;
            entry.target = located_text{key.Scalar(), locate_scalar(context_.yaml_text, key)};
            if (value.IsMap()) {
                map_reader entry_map(sink_, entry_field);
                auto expression = entry_map.required("value");
                if (expression) {
                    auto text = read_non_empty_string(sink_, *expression);
                    if (!text) continue;
                    entry.value = located(*expression, std::move(*text));
                }
                if (auto f = entry_map.optional("when")) entry.when = read_filter(*f);
                if (auto f = entry_map.optional("required")) assign(entry.required, read_bool(sink_, *f));
                entry_map.finish();
                if (!expression) continue;
            } else if (value.IsScalar() && !value.Scalar().empty()) {
                entry.value = located(entry_field, value.Scalar());
            } else {
                sink_.error(mark, "expected an expression (\"{attribute}\") or a mapping with value for " +
                                      entry_field.name + ", got " +
                                      (value.IsScalar() ? std::string("an empty string") : describe(value)));
                continue;
            }
            out.push_back(std::move(entry));
        }
        return out;
    }

    void read_users(const yaml_field& field, source_settings& out) {
        user_rules& users = out.users;
        users.anchor = default_anchor(out.flavour);
        users.filter = located_text{out.flavour == ldap_flavour::active_directory
                                        ? "(&(objectCategory=person)(objectClass=user))"
                                        : "(objectClass=inetOrgPerson)",
                                    {}};
        users.disabled_when = default_disabled_when(out.flavour);
        map_reader map(sink_, field);
        if (auto f = map.required("base_dn")) assign(users.base_dn, read_dn(sink_, *f));
        if (auto f = map.optional("scope")) assign(users.scope, read_scope(*f));
        if (auto f = map.optional("filter")) assign(users.filter, read_filter(*f));
        if (auto f = map.optional("anchor")) assign(users.anchor, read_anchor(*f));
        if (auto f = map.optional("disabled_when")) assign(users.disabled_when, read_disabled_when(*f));
        if (auto f = map.required("map")) users.map = read_map(*f, users.map_location);
    }

    void read_groups(const yaml_field& field, source_settings& out) {
        group_rules groups;
        groups.anchor = default_anchor(out.flavour);
        groups.filter = located_text{out.flavour == ldap_flavour::active_directory
                                         ? "(objectClass=group)"
                                         : "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
                                     {}};
        groups.map.push_back(map_entry{located_text{"displayName", {}}, located_text{"{cn}", {}}, {}, false});
        map_reader map(sink_, field);
        if (!map.is_map()) return;
        if (auto f = map.required("base_dn")) assign(groups.base_dn, read_dn(sink_, *f));
        if (auto f = map.optional("scope")) assign(groups.scope, read_scope(*f));
        if (auto f = map.optional("filter")) assign(groups.filter, read_filter(*f));
        if (auto f = map.optional("anchor")) assign(groups.anchor, read_anchor(*f));
        if (auto f = map.optional("member_attribute"))
            assign(groups.member_attribute, read_attribute_name(sink_, *f));
        if (auto f = map.optional("nested"))
            assign(groups.nested,
                   read_choice<nested_groups>(
                       sink_, *f, {{"flatten", nested_groups::flatten}, {"keep", nested_groups::keep}}));
        if (auto f = map.optional("map")) groups.map = read_map(*f, groups.map_location);
        map.finish();
        out.groups = std::move(groups);
    }

    void read_roles(const yaml_field& field, std::vector<role_rule>& out) {
        auto items = read_list(sink_, field);
        if (!items) return;
        for (const auto& item : *items) {
            map_reader map(sink_, item);
            if (!map.is_map()) continue;
            role_rule rule;
            if (auto f = map.required("role")) {
                if (auto role = read_string(sink_, *f)) {
                    if (!is_identifier(*role))
                        sink_.error(f->mark,
                                    "invalid role " + describe(f->value) +
                                        ": use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a "
                                        "letter or digit");
                    rule.role = std::move(*role);
                }
            }
            auto member_of = map.optional("when_member_of");
            auto when = map.optional("when");
            map.finish();
            if (member_of.has_value() == when.has_value()) {
                sink_.error(item.mark,
                            "expected exactly one of when_member_of (a group DN) or when (an LDAP "
                            "filter) in " +
                                item.name);
                continue;
            }
            if (member_of) rule.when_member_of = read_dn(sink_, *member_of);
            if (when) rule.when = read_filter(*when);
            if (!rule.when_member_of && !rule.when) continue;
            out.push_back(std::move(rule));
        }
    }

    void read_match_existing(const yaml_field& field, std::vector<match_key>& out) {
        auto items = read_list(sink_, field);
        if (!items) return;
        for (const auto& item : *items) {
            auto key = read_choice<match_key>(sink_, item,
                                              {{"externalId", match_key::external_id},
                                               {"userName", match_key::user_name},
                                               {"emails", match_key::emails}});
            if (!key) continue;
            if (std::find(out.begin(), out.end(), *key) != out.end()) {
                sink_.error(item.mark, item.name + " repeats " + describe(item.value));
                continue;
            }
            out.push_back(*key);
        }
    }

    void read_safety(const yaml_field& field, source_safety& out) {
        map_reader map(sink_, field);
        if (auto f = map.optional("max_orphans"))
            assign(out.max_orphans, read_integer_as<std::uint64_t>(sink_, *f, 0, max_orphans_limit));
        if (auto f = map.optional("max_orphan_ratio")) assign(out.max_orphan_ratio, read_ratio(sink_, *f));
    }

    void read_orphans(const yaml_field& field, orphan_policy& out) {
        map_reader map(sink_, field);
        if (auto f = map.optional("action"))
            assign(out.action,
                   read_choice<orphan_action>(
                       sink_, *f, {{"flag", orphan_action::flag}, {"disable", orphan_action::disable}}));
        auto disable_after = map.optional("disable_after");
        auto delete_after = map.optional("delete_after");
        map.finish();
        if (disable_after) {
            assign(out.disable_after, read_duration_or_never(sink_, *disable_after));
            if (out.action == orphan_action::disable)
                sink_.error(disable_after->mark,
                            "disable_after has no effect with action: disable (orphans are "
                            "disabled at once)");
        }
        if (out.action == orphan_action::disable) out.disable_after = std::chrono::milliseconds(0);
        if (delete_after) {
            assign(out.delete_after, read_duration_or_never(sink_, *delete_after));
            if (out.delete_after && out.disable_after && *out.delete_after < *out.disable_after)
                sink_.error(delete_after->mark, "delete_after must not be shorter than disable_after");
        }
    }

    diagnostics_sink& sink_;
    const source_section_context& context_;
};

}  // namespace

text_location locate_scalar(std::string_view yaml_text, const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    if (m.is_null() || m.line < 0 || m.column < 0) return {};
    text_location at{m.line + 1, m.column + 1, false};
    if (!node.IsScalar() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= yaml_text.size()) return at;
    const std::string& value = node.Scalar();
    auto start = static_cast<std::size_t>(m.pos);
    char quote = yaml_text[start];
    if (quote == '"' || quote == '\'') {
        ++start;
        ++at.column;
    } else {
        quote = 0;
    }
    if (value.find('\n') != std::string::npos || yaml_text.substr(start, value.size()) != value) return at;
    std::size_t end = start + value.size();
    if (quote == 0 || (end < yaml_text.size() && yaml_text[end] == quote)) at.columns_exact = true;
    return at;
}

void read_sources(diagnostics_sink& sink, const yaml_field& field, const source_section_context& context,
                  std::vector<source_settings>& out) {
    auto items = read_list(sink, field);
    if (!items) return;
    std::map<std::string, int> names;
    source_reader reader(sink, context);
    for (const auto& item : *items) {
        source_settings source;
        reader.read(item, source, names);
        out.push_back(std::move(source));
    }
}

}  // namespace dirsync::config
