#include <charconv>
#include <limits>
#include <string>
#include <utility>

#include "common/ascii.hpp"
#include "config/source_kind_reader.hpp"
#include "config/value_readers.hpp"
#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"
#include "ldap/filter.hpp"
#include "ldap/filter_escape.hpp"

namespace dirsync::config {

namespace {

constexpr std::int64_t max_page_size = 10'000;

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

std::optional<std::string> read_dn(diagnostics_sink& sink, const yaml_field& field) {
    auto dn = read_non_empty_string(sink, field);
    if (!dn) return std::nullopt;
    if (auto ok = check_dn(*dn); !ok) {
        sink.error(field.mark, "invalid DN for " + field.name + ": " + ok.error().message);
        return std::nullopt;
    }
    return dn;
}

std::optional<std::string> read_attribute(diagnostics_sink& sink, const yaml_field& field) {
    auto name = read_non_empty_string(sink, field);
    if (!name) return std::nullopt;
    if (!ldap::is_attribute_description(*name)) {
        sink.error(field.mark, "invalid attribute name " + describe(field.value) + " for " + field.name +
                                   " (letters, digits and '-', starting with a letter, or a numeric OID)");
        return std::nullopt;
    }
    return name;
}

// ---- the reader of `type: ldap` ----

class ldap_reader final : public source_kind_reader {
  public:
    ldap_reader(diagnostics_sink& sink, std::string_view yaml_text) : sink_(sink), yaml_text_(yaml_text) {}

    void read_item(map_reader& map) override {
        if (auto f = map.optional("flavour"))
            assign(settings_.flavour,
                   read_choice<ldap_flavour>(sink_, *f,
                                             {{"openldap", ldap_flavour::openldap},
                                              {"active_directory", ldap_flavour::active_directory},
                                              {"389ds", ldap_flavour::ds389},
                                              {"freeipa", ldap_flavour::freeipa}}));
        read_connection(map);
        if (auto f = map.optional("page_size"))
            assign(settings_.page_size, read_integer_as<std::uint32_t>(sink_, *f, 1, max_page_size));
        std::optional<yaml_field> incremental_field = map.optional("incremental");
        if (incremental_field)
            assign(settings_.incremental, read_choice<incremental_method>(
                                              sink_, *incremental_field,
                                              {{"auto", incremental_method::automatic},
                                               {"syncrepl", incremental_method::syncrepl},
                                               {"usn", incremental_method::usn},
                                               {"modify_timestamp", incremental_method::modify_timestamp},
                                               {"none", incremental_method::none}}));
        resolve_incremental(incremental_field);
        if (auto f = map.optional("live")) {
            assign(settings_.live, read_bool(sink_, *f));
            if (settings_.live && settings_.incremental != incremental_method::syncrepl)
                sink_.error(
                    f->mark,
                    "live: true needs incremental: syncrepl (a persistent syncrepl search watches the "
                    "directory; flavour openldap)");
        }
    }

    void read_users(map_reader& map) override {
        settings_.users.filter = located_text{settings_.flavour == ldap_flavour::active_directory
                                                  ? "(&(objectCategory=person)(objectClass=user))"
                                                  : "(objectClass=inetOrgPerson)",
                                              {}};
        read_search(map, settings_.users);
    }

    void read_groups(map_reader& map) override {
        ldap_search groups;
        groups.filter = located_text{settings_.flavour == ldap_flavour::active_directory
                                         ? "(objectClass=group)"
                                         : "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
                                     {}};
        read_search(map, groups);
        settings_.groups = std::move(groups);
    }

    std::string_view condition_language() const override { return "an LDAP filter"; }

    std::optional<std::string> read_group_reference(const yaml_field& field) override {
        return read_dn(sink_, field);
    }

    std::string_view group_reference_form() const override { return "a group DN"; }

    std::optional<std::string> read_attribute_name(const yaml_field& field) override {
        return read_attribute(sink_, field);
    }

    source_kind take_settings() override { return std::move(settings_); }

    // ---- helpers (the class is private to this file) ----

    void read_search(map_reader& map, ldap_search& out) {
        if (auto f = map.required("base_dn")) assign(out.base_dn, read_dn(sink_, *f));
        if (auto f = map.optional("scope")) assign(out.scope, read_scope(*f));
        if (auto f = map.optional("filter")) assign(out.filter, read_condition(*f));
    }

    void read_connection(map_reader& map) {
        ldap_source& out = settings_;
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
        if (password_field) out.bind_password = read_secret_reference(sink_, *password_field);
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

    void resolve_incremental(const std::optional<yaml_field>& field) {
        ldap_source& out = settings_;
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

    // An RFC 4515 filter; errors point at the offending character when the scalar allows it.
    std::optional<located_text> read_condition(const yaml_field& field) override {
        auto text = read_non_empty_string(sink_, field);
        if (!text) return std::nullopt;
        located_text out{std::move(*text), locate_scalar(yaml_text_, field.value)};
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

    std::optional<std::string> read_anchor(const yaml_field& field) override {
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

    anchor_value_form anchor_form_of(std::string_view anchor) const override {
        if (anchor == "objectGUID") return anchor_value_form::guid;
        if (anchor == "nsUniqueId") return anchor_value_form::lowercase_text;
        return anchor_value_form::uuid;  // entryUUID, ipaUniqueID
    }

    std::string default_anchor() const override {
        switch (settings_.flavour) {
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

    void default_group_rules(group_rules& g) const override {
        g.member_attribute = "member";
        g.member_values = member_value_kind::dn;
        g.map.push_back(map_entry{located_text{"displayName", {}}, located_text{"{cn}", {}}, {}, false});
    }

    std::optional<located_text> default_disabled_when() const override {
        switch (settings_.flavour) {
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
    std::optional<std::optional<located_text>> read_disabled_when(const yaml_field& field) override {
        if (field.value.IsScalar()) {
            if (field.value.Scalar() == "never") return std::optional<located_text>();
            auto filter = read_condition(field);
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
        auto attribute = read_attribute_name(*attribute_field);
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

  private:
    diagnostics_sink& sink_;
    std::string_view yaml_text_;
    ldap_source settings_;
};

}  // namespace

std::unique_ptr<source_kind_reader> ldap_source_reader(diagnostics_sink& sink, std::string_view yaml_text) {
    return std::make_unique<ldap_reader>(sink, yaml_text);
}

}  // namespace dirsync::config
