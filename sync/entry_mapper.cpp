#include "sync/entry_mapper.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "common/clock.hpp"
#include "common/utf8.hpp"
#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"
#include "ldap/generalized_time.hpp"
#include "ldap/guid.hpp"
#include "resource/canonical.hpp"
#include "sync/mapping.hpp"
#include "sync/record_condition.hpp"
#include "sync/target_path.hpp"

namespace dirsync::sync {

namespace {

/// A uniqueMember value (RFC 4517 NameAndOptionalUID) without its optional "#'0101'B" unique identifier.
std::string_view without_uid(std::string_view value) {
    if (value.size() >= 4 && value.back() == 'B' && value[value.size() - 2] == '\'')
        if (auto hash = value.rfind("#'"); hash != std::string_view::npos) {
            const auto bits = value.substr(hash + 2, value.size() - hash - 4);
            if (bits.find_first_not_of("01") == std::string_view::npos) return value.substr(0, hash);
        }
    return value;
}

using nlohmann::json;

struct rule {
    target_path target;
    std::size_t slot = 0;  // index of the target among the distinct targets of the map
    expression value;
    std::optional<record_condition> when;
    bool required = false;
    std::string spelled;  // the target as written, for messages
};

struct role_rule {
    std::string role;
    std::optional<std::string> member_of;  // ldap::normalize_dn()
    std::optional<record_condition> when;
};

struct resource_rules {
    std::string anchor;  // as configured ("entryUUID")
    config::anchor_value_form form = config::anchor_value_form::uuid;
    std::vector<rule> rules;
    std::size_t slots = 0;  // distinct targets
    const resource::resource_schema* schema = nullptr;
    std::string core_urn;
    std::string required_attribute;  // userName or displayName
};

// LDAP GeneralizedTime (ldap::parse_generalized_time_ms) or RFC 3339, to RFC 3339 UTC with milliseconds;
// nullopt when neither.
std::optional<std::string> to_date_time(std::string_view text) {
    if (auto t = common::parse_rfc3339(text)) return common::format_rfc3339(*t);
    if (auto t = ldap::parse_generalized_time_ms(text)) return common::format_rfc3339(*t);
    return std::nullopt;
}

// The mapped text as a JSON value of the target's type; nullopt (and a note) when it does not convert.
std::optional<json> convert(const std::string& value, resource::attribute_type type, std::string& problem) {
    switch (type) {
        case resource::attribute_type::boolean: {
            std::string lower = ldap::lowercase_attribute(value);
            if (lower == "true") return json(true);
            if (lower == "false") return json(false);
            problem = "is not true or false";
            return std::nullopt;
        }
        case resource::attribute_type::integer: {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec == std::errc{} && end == value.data() + value.size()) return json(n);
            problem = "is not an integer";
            return std::nullopt;
        }
        case resource::attribute_type::decimal: {
            double d = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
            if (ec == std::errc{} && end == value.data() + value.size() && std::isfinite(d)) return json(d);
            problem = "is not a number";
            return std::nullopt;
        }
        case resource::attribute_type::date_time: {
            if (auto t = to_date_time(value)) return json(*t);
            problem = "is not a date and time (RFC 3339 or LDAP GeneralizedTime)";
            return std::nullopt;
        }
        default:
            break;
    }
    if (!common::is_valid_utf8(value)) {
        problem = "is not UTF-8 text (a binary attribute needs |base64 or |guid)";
        return std::nullopt;
    }
    return json(value);
}

// Where a target's values live in `resource`: the top level or the extension object.
json& container_of(json& resource, const target_path& t) {
    if (t.schema_urn.empty()) return resource;
    json& extension = resource[t.schema_urn];
    if (!extension.is_object()) extension = json::object();
    return extension;
}

void place(json& resource, const target_path& t, std::vector<json> values) {
    if (values.empty()) return;
    json& container = container_of(resource, t);
    if (!t.selector_attribute.empty()) {
        json& list = container[t.attribute];
        if (!list.is_array()) list = json::array();
        for (auto& element : list) {
            if (element.is_object() &&
                element.value(t.selector_attribute, json()) == json(t.selector_value)) {
                element[t.sub_attribute] = std::move(values.front());
                return;
            }
        }
        list.push_back(
            json{{t.selector_attribute, t.selector_value}, {t.sub_attribute, std::move(values.front())}});
        return;
    }
    if (t.multiple) {
        json& list = container[t.attribute];
        if (!list.is_array()) list = json::array();
        for (auto& v : values) {
            if (t.sub_attribute.empty())
                list.push_back(std::move(v));
            else
                list.push_back(json{{t.sub_attribute, std::move(v)}});
        }
        return;
    }
    if (t.sub_attribute.empty()) {
        container[t.attribute] = std::move(values.front());
    } else {
        json& object = container[t.attribute];
        if (!object.is_object()) object = json::object();
        object[t.sub_attribute] = std::move(values.front());
    }
}

// Puts the mapped resource into canonical form (resource::canonicalize; elements of multi-valued complex
// attributes that got no `value` are dropped): `schemas` lists the core URN and the extensions used. A
// skipped_entry reason when the schema refuses it.
std::optional<std::string> finish_resource(json& resource, const resource_rules& rules) {
    resource["schemas"] = json::array({rules.core_urn});
    auto canonical =
        resource::canonicalize(std::move(resource), *rules.schema, {.drop_elements_without_value = true});
    if (!canonical)
        return "the mapped " + rules.schema->core().name + " is refused: " + canonical.error().message;
    resource = std::move(*canonical);
    return std::nullopt;
}

std::optional<std::string> read_anchor(const source_record& e, const resource_rules& rules,
                                       std::string& reason) {
    const auto* values = e.find(rules.anchor);
    if (values == nullptr || values->empty() || values->front().empty()) {
        reason = "no " + rules.anchor + " (the anchor attribute; is it readable by the bind DN?)";
        return std::nullopt;
    }
    const std::string& raw = values->front();
    switch (rules.form) {
        case config::anchor_value_form::guid: {
            if (auto g = ldap::format_guid(raw)) return g;
            if (auto u = ldap::format_uuid(raw)) return u;  // already text (some proxies)
            reason = rules.anchor + " is not a 16-byte GUID";
            return std::nullopt;
        }
        case config::anchor_value_form::uuid: {
            if (auto u = ldap::format_uuid(raw)) return u;
            reason = rules.anchor + " is not a UUID";
            return std::nullopt;
        }
        case config::anchor_value_form::lowercase_text:
        case config::anchor_value_form::exact_text:
            if (!common::is_valid_utf8(raw)) {
                reason = rules.anchor + " is not text";
                return std::nullopt;
            }
            if (rules.form == config::anchor_value_form::exact_text) return std::string(raw);
            return ldap::lowercase_attribute(raw);
    }
    return std::nullopt;
}

// Builds the resource; a skipped_entry reason when a required part is missing.
std::optional<std::string> build_resource(const source_record& e, const resource_rules& rules, json& resource,
                                          std::vector<std::string>* notes) {
    resource = json::object();
    std::vector<bool> filled(rules.slots, false);
    for (const auto& r : rules.rules) {
        if (r.when && !r.when->matches(e)) continue;
        if (filled[r.slot]) continue;  // an earlier entry for this target gave a value
        auto result = r.value.evaluate(e, r.target.multiple ? cardinality::multiple : cardinality::single);
        if (result.missing_required)
            return "required attribute '" + *result.missing_required + "' is missing (" + r.spelled + ")";
        std::vector<json> values;
        for (const auto& text : result.values) {
            std::string problem;
            if (auto v = convert(text, r.target.type, problem)) {
                values.push_back(std::move(*v));
            } else if (notes != nullptr) {
                notes->push_back(e.name() + ": the value for " + r.spelled + " " + problem + "; left out");
            }
        }
        if (values.empty() && r.required) return r.spelled + " is empty and marked required";
        if (!values.empty()) filled[r.slot] = true;
        place(resource, r.target, std::move(values));
    }
    if (auto refused = finish_resource(resource, rules)) return refused;
    auto it = resource.find(rules.required_attribute);
    if (it == resource.end() || (it->is_string() && it->get_ref<const std::string&>().empty()))
        return "no " + rules.required_attribute + ": its mapping gave nothing";
    return std::nullopt;
}

void add_attributes(std::vector<std::string>& out, const std::vector<std::string>& more) {
    out.insert(out.end(), more.begin(), more.end());
}

void sort_unique(std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Diagnostics for one source, pointing into the configuration.
class reporter {
  public:
    reporter(const std::string& file, std::vector<config::diagnostic>& out) : file_(file), out_(out) {}

    void at(const config::text_location& where, std::size_t offset, std::string message) {
        auto p = where.at_offset(offset);
        out_.push_back(config::diagnostic{file_, p.line, p.line > 0 ? p.column : 0, std::move(message)});
        ++count_;
    }
    std::size_t count() const noexcept { return count_; }

  private:
    const std::string& file_;
    std::vector<config::diagnostic>& out_;
    std::size_t count_ = 0;
};

std::optional<record_condition> compile_filter(const config::located_text& text, std::string_view what,
                                               config::record_language language,
                                               const resource::resource_schema& schema, reporter& report) {
    auto compiled = record_condition::compile(text.text, language, schema);
    if (!compiled) {
        report.at(text.location, compiled.error().position,
                  "invalid filter for " + std::string(what) + ": " + compiled.error().message);
        return std::nullopt;
    }
    return std::move(*compiled);
}

resource_rules compile_rules(const std::vector<config::map_entry>& entries,
                             const resource::resource_schema& schema, target_kind kind,
                             const std::string& where, const config::text_location& map_at,
                             config::record_language language, reporter& report) {
    resource_rules out;
    out.schema = &schema;
    out.core_urn = schema.core().id;
    out.required_attribute = kind == target_kind::user ? "userName" : "displayName";
    struct seen_target {
        int line;       // of the latest entry for it
        bool has_when;  // the latest entry has when: (so another may follow as its fallback)
        std::size_t slot;
    };
    std::map<std::string, seen_target> seen;  // by canonical target, lowercased
    bool has_required = false;
    bool target_failed = false;
    for (const auto& entry : entries) {
        auto target = parse_target(entry.target.text, schema, kind);
        if (!target) {
            target_failed = true;
            report.at(
                entry.target.location, target.error().position,
                "invalid target '" + entry.target.text + "' in " + where + ": " + target.error().message);
        }
        auto value = expression::compile(entry.value.text, language);
        if (!value) {
            report.at(entry.value.location, value.error().position,
                      "invalid expression for " + entry.target.text + ": " + value.error().message);
        }
        std::optional<record_condition> when;
        if (entry.when) when = compile_filter(*entry.when, "when", language, schema, report);
        if (target && target->schema_urn.empty() && target->attribute == out.required_attribute &&
            target->sub_attribute.empty())
            has_required = true;
        if (!target || !value || (entry.when && !when)) continue;
        auto canonical = ldap::lowercase_attribute(target->to_string());
        auto [it, inserted] = seen.try_emplace(
            canonical, seen_target{entry.target.location.line, entry.when.has_value(), out.slots});
        if (inserted) {
            ++out.slots;
        } else if (!it->second.has_when) {
            report.at(entry.target.location, 0,
                      "'" + entry.target.text + "' maps the same attribute as the entry at line " +
                          std::to_string(it->second.line) +
                          " (a second entry for a target is a fallback only after one with when:)");
            continue;
        } else {
            it->second.line = entry.target.location.line;
            it->second.has_when = entry.when.has_value();
        }
        out.rules.push_back(rule{std::move(*target), it->second.slot, std::move(*value), std::move(when),
                                 entry.required, entry.target.text});
    }
    if (!has_required && !entries.empty() && !target_failed)
        report.at(map_at, 0, where + " must map " + out.required_attribute);
    return out;
}

}  // namespace

namespace detail {

struct source_mapper_state {
    std::string name;
    std::optional<resource::resource_schema> user_schema;  // copies: the rules point at them
    std::optional<resource::resource_schema> group_schema;
    resource_rules users;
    std::optional<resource_rules> groups;
    std::string member_attribute;
    config::member_value_kind member_values = config::member_value_kind::dn;
    std::string member_name_attribute;  ///< lowercased; with names only
    std::optional<record_condition> disabled_when;
    std::vector<role_rule> roles;
    std::vector<std::string> user_attributes;
    std::vector<std::string> group_attributes;
};

}  // namespace detail

std::optional<source_mapper> source_mapper::compile(const config::source_settings& source,
                                                    const resource::resource_schema& users,
                                                    const resource::resource_schema& groups,
                                                    const std::string& file,
                                                    std::vector<config::diagnostic>& out) {
    reporter report(file, out);
    auto s = std::make_shared<detail::source_mapper_state>();
    s->name = source.name;
    s->user_schema.emplace(users);
    s->group_schema.emplace(groups);
    const config::record_language language = config::language_of(source.kind);
    s->users = compile_rules(source.users.map, *s->user_schema, target_kind::user, "users.map",
                             source.users.map_location, language, report);
    s->users.anchor = source.users.anchor;
    s->users.form = source.users.anchor_form;
    if (source.users.disabled_when)
        s->disabled_when =
            compile_filter(*source.users.disabled_when, "disabled_when", language, *s->user_schema, report);
    if (source.groups) {
        s->groups = compile_rules(source.groups->map, *s->group_schema, target_kind::group, "groups.map",
                                  source.groups->map_location, language, report);
        s->groups->anchor = source.groups->anchor;
        s->groups->form = source.groups->anchor_form;
        s->member_attribute = ldap::lowercase_attribute(source.groups->member_attribute);
        s->member_values = source.groups->member_values;
        if (s->member_values == config::member_value_kind::name)
            s->member_name_attribute = ldap::lowercase_attribute(source.groups->member_name_attribute);
    }
    bool group_roles = false;
    for (const auto& r : source.roles) {
        role_rule compiled{r.role, std::nullopt, std::nullopt};
        if (r.when_member_of) {
            compiled.member_of = ldap::normalize_dn(*r.when_member_of);
            group_roles = true;
        }
        if (r.when) {
            compiled.when =
                compile_filter(*r.when, "the role '" + r.role + "'", language, *s->user_schema, report);
            if (!compiled.when) continue;
        }
        s->roles.push_back(std::move(compiled));
    }
    if (report.count() > 0) return std::nullopt;

    auto& ua = s->user_attributes;
    ua.push_back(ldap::lowercase_attribute(s->users.anchor));
    for (const auto& r : s->users.rules) {
        add_attributes(ua, r.value.attributes());
        if (r.when) add_attributes(ua, r.when->attributes());
    }
    if (s->disabled_when) add_attributes(ua, s->disabled_when->attributes());
    for (const auto& r : s->roles)
        if (r.when) add_attributes(ua, r.when->attributes());
    if (group_roles) ua.push_back("memberof");
    if (!s->member_name_attribute.empty()) ua.push_back(s->member_name_attribute);
    sort_unique(ua);
    if (s->groups) {
        auto& ga = s->group_attributes;
        ga.push_back(ldap::lowercase_attribute(s->groups->anchor));
        ga.push_back(s->member_attribute);
        for (const auto& r : s->groups->rules) {
            add_attributes(ga, r.value.attributes());
            if (r.when) add_attributes(ga, r.when->attributes());
        }
        sort_unique(ga);
    }
    return source_mapper(std::move(s));
}

const std::string& source_mapper::source_name() const noexcept { return state_->name; }

const std::vector<std::string>& source_mapper::user_attributes() const noexcept {
    return state_->user_attributes;
}

const std::vector<std::string>& source_mapper::group_attributes() const noexcept {
    return state_->group_attributes;
}

bool source_mapper::has_groups() const noexcept { return state_->groups.has_value(); }

bool source_mapper::has_group_roles() const noexcept {
    return std::any_of(state_->roles.begin(), state_->roles.end(),
                       [](const role_rule& r) { return r.member_of.has_value(); });
}

boost::system::result<source_user, skipped_entry> source_mapper::map_user(
    const source_record& e, std::vector<std::string>* notes) const {
    const auto& s = *state_;
    source_user out;
    out.dn = e.name();
    std::string reason;
    auto anchor = read_anchor(e, s.users, reason);
    if (!anchor) return skipped_entry{e.name(), std::nullopt, std::move(reason)};
    out.anchor = std::move(*anchor);
    if (auto problem = build_resource(e, s.users, out.resource, notes))
        return skipped_entry{e.name(), out.anchor, std::move(*problem)};
    out.disabled = s.disabled_when && s.disabled_when->matches(e);
    std::vector<std::string> member_of;
    if (has_group_roles())
        if (const auto* values = e.find("memberof"))
            for (const auto& dn : *values) member_of.push_back(ldap::normalize_dn(dn));
    for (const auto& r : s.roles) {
        bool granted =
            (r.when && r.when->matches(e)) ||
            (r.member_of && std::find(member_of.begin(), member_of.end(), *r.member_of) != member_of.end());
        if (granted) out.roles.push_back(r.role);
    }
    sort_unique(out.roles);
    return out;
}

boost::system::result<mapped_group, skipped_entry> source_mapper::map_group(
    const source_record& e, std::vector<std::string>* notes) const {
    const auto& s = *state_;
    if (!s.groups) return skipped_entry{e.name(), std::nullopt, "the source has no groups: section"};
    mapped_group out;
    out.group.dn = e.name();
    std::string reason;
    auto anchor = read_anchor(e, *s.groups, reason);
    if (!anchor) return skipped_entry{e.name(), std::nullopt, std::move(reason)};
    out.group.anchor = std::move(*anchor);
    if (auto problem = build_resource(e, *s.groups, out.group.resource, notes))
        return skipped_entry{e.name(), out.group.anchor, std::move(*problem)};
    if (const auto* members = e.find(s.member_attribute)) {
        std::set<std::string> seen;
        const bool names = s.member_values == config::member_value_kind::name;
        for (const auto& value : *members) {
            auto key =
                names ? common::fold_case(common::trim_ascii(value)) : ldap::normalize_dn(without_uid(value));
            if (!key.empty() && seen.insert(key).second)
                (names ? out.member_names : out.member_dns).push_back(std::move(key));
        }
    }
    return out;
}

std::optional<std::string> source_mapper::member_name_of(const source_record& user) const {
    const auto& s = *state_;
    if (s.member_name_attribute.empty()) return std::nullopt;
    const auto* values = user.find(s.member_name_attribute);
    if (!values || values->empty()) return std::nullopt;
    auto key = common::fold_case(common::trim_ascii(values->front()));
    if (key.empty()) return std::nullopt;
    return key;
}

std::vector<std::string> source_mapper::roles_for_groups(const std::vector<std::string>& group_dns) const {
    std::vector<std::string> out;
    for (const auto& r : state_->roles)
        if (r.member_of && std::find(group_dns.begin(), group_dns.end(), *r.member_of) != group_dns.end())
            out.push_back(r.role);
    sort_unique(out);
    return out;
}

}  // namespace dirsync::sync
