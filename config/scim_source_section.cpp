#include <string>
#include <utility>

#include "common/ascii.hpp"
#include "config/source_kind_reader.hpp"
#include "config/value_readers.hpp"
#include "scim/filter.hpp"
#include "scim/patch_path.hpp"

namespace dirsync::config {

namespace {

constexpr std::int64_t max_page_size = 1000;
constexpr std::int64_t max_retries = 20;
constexpr std::int64_t max_rate_limit = 10'000;

/// An http:// or https:// URL with a host and no query, fragment, user information or blanks; the trailing
/// '/' dropped; nullopt with `why` set otherwise.
std::optional<std::string> check_http_url(std::string url, std::string& why) {
    const std::string lower = common::to_lower_ascii(url.substr(0, 8));
    std::size_t rest_at = 0;
    if (lower.starts_with("https://"))
        rest_at = 8;
    else if (lower.starts_with("http://"))
        rest_at = 7;
    else {
        why = "'" + url + "' is not an http:// or https:// URL";
        return std::nullopt;
    }
    for (char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == '?' || c == '#') {
            why = "'" + url + "' has a query, a fragment or a blank; give the base URL only";
            return std::nullopt;
        }
    }
    const std::string_view rest = std::string_view(url).substr(rest_at);
    const std::string_view authority = rest.substr(0, rest.find('/'));
    if (authority.empty() || authority.front() == ':') {
        why = "'" + url + "' names no host";
        return std::nullopt;
    }
    if (authority.find('@') != std::string_view::npos) {
        why = "'" + url + "' carries user information; put credentials under auth:";
        return std::nullopt;
    }
    while (url.size() > rest_at + authority.size() && url.back() == '/') url.pop_back();
    return url;
}

// ---- the reader of `type: scim` ----

class scim_reader final : public source_kind_reader {
  public:
    scim_reader(diagnostics_sink& sink, std::string_view yaml_text) : sink_(sink), yaml_text_(yaml_text) {}

    void read_item(map_reader& map) override {
        if (auto f = map.required("url")) assign(settings_.url, read_url(*f));
        if (auto f = map.optional("ca_file")) assign(settings_.ca_file, read_readable_path(sink_, *f));
        if (auto f = map.optional("tls_verify")) assign(settings_.tls_verify, read_bool(sink_, *f));
        if (auto f = map.required("auth")) read_auth(*f);
        if (auto f = map.optional("page_size"))
            assign(settings_.page_size, read_integer_as<std::uint32_t>(sink_, *f, 1, max_page_size));
        if (auto f = map.optional("rate_limit"))
            assign(settings_.rate_limit, read_integer_as<std::uint32_t>(sink_, *f, 0, max_rate_limit));
        if (auto f = map.optional("retries"))
            assign(settings_.retries, read_integer_as<std::uint32_t>(sink_, *f, 0, max_retries));
        if (auto f = map.optional("incremental"))
            assign(settings_.incremental,
                   read_choice<scim_incremental>(sink_, *f,
                                                 {{"auto", scim_incremental::automatic},
                                                  {"last_modified", scim_incremental::last_modified},
                                                  {"none", scim_incremental::none}}));
    }

    void read_users(map_reader& map) override {
        if (auto f = map.optional("filter")) settings_.users_filter = read_condition(*f);
    }

    void read_groups(map_reader& map) override {
        if (auto f = map.optional("filter")) settings_.groups_filter = read_condition(*f);
    }

    void default_group_rules(group_rules& g) const override {
        // Members are listed by id: matched against the users' `id`, as names are.
        g.member_attribute = "members.value";
        g.member_values = member_value_kind::name;
        g.member_name_attribute = "id";
        g.map.push_back(
            map_entry{located_text{"displayName", {}}, located_text{"{displayName}", {}}, {}, false});
    }

    std::string default_anchor() const override { return "id"; }

    std::optional<located_text> default_disabled_when() const override {
        return located_text{"active eq false", {}};
    }

    std::optional<std::string> read_anchor(const yaml_field& field) override {
        return read_attribute_name(field);
    }

    anchor_value_form anchor_form_of(std::string_view) const override {
        return anchor_value_form::exact_text;
    }

    std::optional<std::optional<located_text>> read_disabled_when(const yaml_field& field) override {
        if (field.value.IsScalar() && field.value.Scalar() == "never") return std::optional<located_text>();
        auto condition = read_condition(field);
        if (!condition) return std::nullopt;
        return std::optional<located_text>(std::move(*condition));
    }

    // An RFC 7644 filter over the remote's resource; errors point at the offending character when the scalar
    // allows it.
    std::optional<located_text> read_condition(const yaml_field& field) override {
        auto text = read_non_empty_string(sink_, field);
        if (!text) return std::nullopt;
        located_text out{std::move(*text), locate_scalar(yaml_text_, field.value)};
        if (auto parsed = scim::parse_filter(out.text); !parsed) {
            sink_.error(mark_of(out.location.at_offset(parsed.error().position)),
                        "invalid SCIM filter for " + field.name + ": " + parsed.error().message);
            return std::nullopt;
        }
        return out;
    }

    std::string_view condition_language() const override { return "a SCIM filter"; }

    std::optional<std::string> read_group_reference(const yaml_field& field) override {
        sink_.error(field.mark,
                    "when_member_of is for LDAP sources; with type: scim test the user's groups with a "
                    "filter, e.g. when: 'groups[display eq \"Admins\"]' or 'groups.value eq \"<group id>\"'");
        return std::nullopt;
    }

    std::string_view group_reference_form() const override { return "a filter on groups"; }

    // A SCIM attribute path: `id`, `externalId`, `members.value`, `urn:...:User:employeeNumber`.
    std::optional<std::string> read_attribute_name(const yaml_field& field) override {
        auto text = read_non_empty_string(sink_, field);
        if (!text) return std::nullopt;
        if (auto parsed = scim::parse_path_syntax(*text); !parsed || parsed->value_filter) {
            sink_.error(field.mark,
                        "invalid attribute path " + describe(field.value) + " for " + field.name +
                            (parsed ? ": a value filter is not allowed here" : ": " + parsed.error()));
            return std::nullopt;
        }
        return text;
    }

    source_kind take_settings() override { return std::move(settings_); }

  private:
    std::optional<std::string> read_url(const yaml_field& field) {
        auto text = read_non_empty_string(sink_, field);
        if (!text) return std::nullopt;
        std::string why;
        auto url = check_http_url(std::move(*text), why);
        if (!url) sink_.error(field.mark, "invalid " + field.name + ": " + why);
        return url;
    }

    void read_auth(const yaml_field& field) {
        map_reader map(sink_, field);
        if (!map.is_map()) return;
        auto bearer = map.optional("bearer_token");
        auto oauth = map.optional("oauth");
        map.finish();
        if (bearer.has_value() == oauth.has_value()) {
            sink_.error(field.mark, "expected exactly one of bearer_token or oauth in " + field.name);
            return;
        }
        if (bearer) {
            if (auto token = read_secret_reference(sink_, *bearer)) settings_.auth = scim_bearer_auth{*token};
            return;
        }
        map_reader o(sink_, *oauth);
        if (!o.is_map()) return;
        scim_oauth_auth out;
        if (auto f = o.required("token_url")) assign(out.token_url, read_url(*f));
        if (auto f = o.required("client_id")) assign(out.client_id, read_non_empty_string(sink_, *f));
        if (auto f = o.required("client_secret")) assign(out.client_secret, read_secret_reference(sink_, *f));
        if (auto f = o.optional("scope")) assign(out.scope, read_string(sink_, *f));
        o.finish();
        settings_.auth = std::move(out);
    }

    diagnostics_sink& sink_;
    std::string_view yaml_text_;
    scim_source settings_;
};

}  // namespace

std::unique_ptr<source_kind_reader> scim_source_reader(diagnostics_sink& sink, std::string_view yaml_text) {
    return std::make_unique<scim_reader>(sink, yaml_text);
}

}  // namespace dirsync::config
