#include "config/tenant_policy_section.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "common/email_address.hpp"
#include "config/value_readers.hpp"

namespace dirsync::config {

namespace {

/// A mail domain as policies compare it: lower case, at least one dot, letters, digits, '-' and '.'.
std::optional<std::string> read_domain(diagnostics_sink& sink, const yaml_field& field) {
    auto text = read_non_empty_string(sink, field);
    if (!text) return std::nullopt;
    std::string domain = common::to_lower_ascii(*text);
    const bool shaped = domain.find('.') != std::string::npos && domain.front() != '.' &&
                        domain.back() != '.' && domain.find("..") == std::string::npos;
    const bool characters = std::all_of(domain.begin(), domain.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
    if (!shaped || !characters) {
        sink.error(field.mark, "invalid mail domain " + describe(field.value) + " for " + field.name +
                                   ": write it like gmail.com");
        return std::nullopt;
    }
    return domain;
}

std::vector<std::string> read_domains(diagnostics_sink& sink, const yaml_field& field) {
    std::vector<std::string> out;
    auto items = read_list(sink, field);
    if (!items) return out;
    for (const auto& item : *items)
        if (auto d = read_domain(sink, item)) out.push_back(std::move(*d));
    return out;
}

/// A template text with its placeholders checked: every "{" opens a known name closed by "}".
std::optional<std::string> read_template_text(diagnostics_sink& sink, const yaml_field& field) {
    static constexpr std::string_view names[] = {"tenant", "tenant_id", "inviter", "invitee", "link",
                                                 "code",   "expires",   "user",    "role",    "count"};
    auto text = read_non_empty_string(sink, field);
    if (!text) return std::nullopt;
    for (std::size_t at = text->find('{'); at != std::string::npos; at = text->find('{', at + 1)) {
        const auto end = text->find('}', at);
        const auto name = end == std::string::npos ? std::string() : text->substr(at + 1, end - at - 1);
        if (std::find(std::begin(names), std::end(names), name) == std::end(names)) {
            sink.error(field.mark,
                       "unknown placeholder " +
                           (end == std::string::npos ? "'{' without '}'" : "'{" + name + "}'") + " in " +
                           field.path +
                           " (known: {tenant}, {tenant_id}, {inviter}, {invitee}, {link}, {code}, "
                           "{expires}, {user}, {role}, {count})");
            return std::nullopt;
        }
    }
    return text;
}

std::optional<outgoing_tls_settings> read_outgoing_tls(diagnostics_sink& sink, const yaml_field& field) {
    outgoing_tls_settings out;
    map_reader map(sink, field);
    if (auto f = map.optional("ca_file")) assign(out.ca_file, read_readable_path(sink, *f));
    if (auto f = map.optional("verify_peer")) assign(out.verify_peer, read_bool(sink, *f));
    map.finish();
    return out;
}

bool has_scheme(std::string_view url, std::initializer_list<std::string_view> schemes) {
    return std::any_of(schemes.begin(), schemes.end(), [&](std::string_view s) {
        return url.size() > s.size() && common::istarts_with_ascii(url, s);
    });
}

std::optional<smtp_notification_settings> read_smtp(diagnostics_sink& sink, const yaml_field& field) {
    smtp_notification_settings out;
    map_reader map(sink, field);
    if (auto f = map.required("smtp")) {
        if (auto url = read_non_empty_string(sink, *f)) {
            if (has_scheme(*url, {"smtp://", "smtps://"}))
                out.url = std::move(*url);
            else
                sink.error(f->mark,
                           "smtp must be a URL like smtp://mail.example.com:587 or "
                           "smtps://mail.example.com:465, got " +
                               describe(f->value));
        }
    }
    if (auto f = map.optional("starttls"))
        assign(out.starttls, read_choice<smtp_notification_settings::starttls_mode>(
                                 sink, *f,
                                 {{"if_offered", smtp_notification_settings::starttls_mode::if_offered},
                                  {"required", smtp_notification_settings::starttls_mode::required},
                                  {"none", smtp_notification_settings::starttls_mode::none}}));
    if (auto f = map.required("from")) {
        if (auto from = read_non_empty_string(sink, *f)) {
            if (common::is_email_address(*from))
                out.from = std::move(*from);
            else
                sink.error(f->mark, "from must be an e-mail address like dirsyncd@example.com, got " +
                                        describe(f->value));
        }
    }
    if (auto f = map.optional("from_name")) assign(out.from_name, read_non_empty_string(sink, *f));
    if (auto f = map.optional("username")) assign(out.username, read_non_empty_string(sink, *f));
    if (auto f = map.optional("password")) assign(out.password, read_secret_reference(sink, *f));
    if (auto f = map.optional("tls")) assign(out.tls, read_outgoing_tls(sink, *f));
    if (auto f = map.optional("timeout")) assign(out.timeout, read_duration(sink, *f));
    if (out.password && !out.username)
        sink.error(field.mark, field.path + ".password is set without a username");
    map.finish();
    return out;
}

std::optional<webhook_notification_settings> read_webhook(diagnostics_sink& sink, const yaml_field& field) {
    webhook_notification_settings out;
    map_reader map(sink, field);
    if (auto f = map.required("url")) {
        if (auto url = read_non_empty_string(sink, *f)) {
            if (has_scheme(*url, {"http://", "https://"}))
                out.url = std::move(*url);
            else
                sink.error(f->mark, "url must be an http:// or https:// URL, got " + describe(f->value));
        }
    }
    if (auto f = map.required("secret")) assign(out.secret, read_secret_reference(sink, *f));
    if (auto f = map.optional("tls")) assign(out.tls, read_outgoing_tls(sink, *f));
    if (auto f = map.optional("timeout")) assign(out.timeout, read_duration(sink, *f));
    map.finish();
    return out;
}

}  // namespace

void read_invitations(diagnostics_sink& sink, const yaml_field& field, invitation_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("expire_after")) {
        if (auto d = read_duration(sink, *f)) {
            if (*d < std::chrono::seconds(1) || *d > std::chrono::hours(24 * 365))
                sink.error(f->mark, "expire_after must be between 1s and 365d, got " + describe(f->value));
            else
                out.expire_after = *d;
        }
    }
    if (auto f = map.optional("daily_limit"))
        assign(out.daily_limit, read_integer_as<std::uint32_t>(sink, *f, 1, 100000));
    if (auto f = map.optional("require_account_name")) assign(out.require_account_name, read_bool(sink, *f));
    if (auto f = map.optional("link")) {
        if (auto link = read_non_empty_string(sink, *f)) {
            if (!has_scheme(*link, {"http://", "https://"}) || link->find("{code}") == std::string::npos)
                sink.error(f->mark,
                           "link must be an http(s) URL containing {code}, like "
                           "https://app.example.com/join?code={code}, got " +
                               describe(f->value));
            else
                out.link = std::move(*link);
        }
    }
    map.finish();
}

void read_email_policy(diagnostics_sink& sink, const yaml_field& field, email_policy_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("business_only")) assign(out.business_only, read_bool(sink, *f));
    if (auto f = map.optional("consumer_domains")) out.consumer_domains = read_domains(sink, *f);
    if (auto f = map.optional("extra_consumer_domains")) out.extra_consumer_domains = read_domains(sink, *f);
    map.finish();
}

void read_templates(diagnostics_sink& sink, const yaml_field& field,
                    std::vector<std::pair<std::string, message_template_setting>>& out) {
    map_reader map(sink, field);
    for (auto event : template_events) {
        auto f = map.optional(event);
        if (!f) continue;
        message_template_setting t;
        map_reader item(sink, *f);
        if (auto s = item.required("subject")) assign(t.subject, read_template_text(sink, *s));
        if (auto s = item.required("text")) assign(t.text, read_template_text(sink, *s));
        item.finish();
        out.emplace_back(std::string(event), std::move(t));
    }
    map.finish();
}

void read_notifications(diagnostics_sink& sink, const yaml_field& field, notification_settings& out) {
    map_reader map(sink, field);
    if (auto f = map.optional("email")) out.email = read_smtp(sink, *f);
    if (auto f = map.optional("webhook")) out.webhook = read_webhook(sink, *f);
    if (auto f = map.optional("max_attempts"))
        assign(out.max_attempts, read_integer_as<std::uint32_t>(sink, *f, 1, 1000));
    if (auto f = map.optional("retry_initial")) assign(out.retry_initial, read_duration(sink, *f));
    if (auto f = map.optional("retry_max")) assign(out.retry_max, read_duration(sink, *f));
    if (out.retry_max < out.retry_initial)
        sink.error(field.mark, field.path + ".retry_max is shorter than retry_initial");
    map.finish();
}

}  // namespace dirsync::config
