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
#include "config/source_kind_reader.hpp"
#include "config/value_readers.hpp"

namespace dirsync::config {

namespace {

/// What the values of a well-known member attribute are; nullopt for any other attribute.
std::optional<member_value_kind> known_member_values(std::string_view attribute) {
    const std::string lower = common::to_lower_ascii(attribute);
    if (lower == "member" || lower == "uniquemember") return member_value_kind::dn;
    if (lower == "memberuid") return member_value_kind::name;
    if (lower == "members.value") return member_value_kind::name;  // SCIM members, by id
    return std::nullopt;
}

using namespace std::chrono_literals;

constexpr std::int64_t max_orphans_limit = 1'000'000'000;
constexpr std::chrono::milliseconds max_full_every = 24h;

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
        using kind_reader_factory =
            std::unique_ptr<source_kind_reader> (*)(diagnostics_sink&, std::string_view);
        kind_reader_factory factory = &ldap_source_reader;
        if (auto f = map.optional("type"))
            assign(factory, read_choice<kind_reader_factory>(
                                sink_, *f, {{"ldap", &ldap_source_reader}, {"scim", &scim_source_reader}}));
        kind_ = factory(sink_, context_.yaml_text);
        kind_->read_item(map);
        if (auto f = map.optional("timeouts")) read_timeouts(*f, out.timeouts);
        if (auto f = map.optional("schedule")) read_schedule(*f, out.schedule);
        if (auto f = map.required("users")) read_users(*f, out);
        if (auto f = map.optional("groups")) read_groups(*f, out);
        if (auto f = map.optional("roles")) read_roles(*f, out.roles);
        if (auto f = map.optional("match_existing")) read_match_existing(*f, out.match_existing);
        if (auto f = map.optional("safety")) read_safety(*f, out.safety);
        if (auto f = map.optional("orphans")) read_orphans(*f, out.orphans);
        map.finish();
        out.kind = kind_->take_settings();
    }

  private:
    void read_name(const yaml_field& f, source_settings& out, std::map<std::string, int>& names) {
        auto name = read_string(sink_, f);
        if (!name) return;
        if (!common::is_lowercase_name(*name)) {
            sink_.error(f.mark,
                        "invalid source name " + describe(f.value) +
                            ": use 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or "
                            "digit");
        } else if (auto [it, inserted] = names.try_emplace(*name, f.mark.line + 1); !inserted) {
            sink_.error(f.mark, "duplicate source name '" + *name + "' (first defined at line " +
                                    std::to_string(it->second) + ")");
        }
        // Record names the sources' own records carry in `source`; these mean other things there.
        if (*name == "scim" || *name == "admin" || *name == "config" || *name == "invitation")
            sink_.error(f.mark, "the source name '" + *name +
                                    "' is reserved (records pushed by SCIM, created by admins, by the "
                                    "configuration or by invitation carry it)");
        out.name = std::move(*name);
    }

    void read_tenant(const yaml_field& f, source_settings& out) {
        auto tenant = read_non_empty_string(sink_, f);
        if (!tenant) return;
        bool known = false;
        std::string declared;
        for (const auto& t : context_.tenants) {
            if (t.id == *tenant) {
                known = true;
                if (t.provisioning == provisioning_setting::invite)
                    sink_.error(f.mark, "source tenant '" + *tenant +
                                            "' has provisioning: invite (its users arrive by invitation); a "
                                            "source needs a tenant with provisioning: idp");
            }
            if (!t.id.empty()) declared += (declared.empty() ? "" : ", ") + t.id;
        }
        if (!known)
            sink_.error(f.mark, "source tenant " + describe(f.value) +
                                    " is not a declared tenant (declared: " +
                                    (declared.empty() ? "none" : declared) + ")");
        out.tenant = std::move(*tenant);
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

    located_text located(const yaml_field& field, std::string text) const {
        return located_text{std::move(text), locate_scalar(context_.yaml_text, field.value)};
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
                if (auto f = entry_map.optional("when")) entry.when = kind_->read_condition(*f);
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
        users.anchor = kind_->default_anchor();
        users.disabled_when = kind_->default_disabled_when();
        map_reader map(sink_, field);
        kind_->read_users(map);
        if (auto f = map.optional("anchor")) assign(users.anchor, kind_->read_anchor(*f));
        users.anchor_form = kind_->anchor_form_of(users.anchor);
        if (auto f = map.optional("disabled_when"))
            assign(users.disabled_when, kind_->read_disabled_when(*f));
        if (auto f = map.required("map")) users.map = read_map(*f, users.map_location);
    }

    void read_groups(const yaml_field& field, source_settings& out) {
        group_rules groups;
        groups.anchor = kind_->default_anchor();
        kind_->default_group_rules(groups);
        map_reader map(sink_, field);
        if (!map.is_map()) return;
        kind_->read_groups(map);
        if (auto f = map.optional("anchor")) assign(groups.anchor, kind_->read_anchor(*f));
        groups.anchor_form = kind_->anchor_form_of(groups.anchor);
        std::optional<YAML::Mark> member_attribute_at;
        if (auto f = map.optional("member_attribute")) {
            assign(groups.member_attribute, kind_->read_attribute_name(*f));
            member_attribute_at = f->mark;
        }
        std::optional<member_value_kind> values;
        if (auto f = map.optional("member_values"))
            values = read_choice<member_value_kind>(
                sink_, *f, {{"dn", member_value_kind::dn}, {"name", member_value_kind::name}});
        std::optional<YAML::Mark> name_attribute_at;
        if (auto f = map.optional("member_name_attribute")) {
            assign(groups.member_name_attribute, kind_->read_attribute_name(*f));
            name_attribute_at = f->mark;
        }
        // What the member attribute's values are must be known: read as DNs, names would come out as no
        // members at all.
        const auto known = known_member_values(groups.member_attribute);
        if (values)
            groups.member_values = *values;
        else if (known)
            groups.member_values = *known;
        else if (member_attribute_at)
            sink_.error(*member_attribute_at,
                        "groups.member_attribute '" + groups.member_attribute +
                            "' is not one whose values dirsyncd knows (member and uniqueMember hold DNs, "
                            "memberUid holds names): set groups.member_values to dn or name");
        if (name_attribute_at && groups.member_values != member_value_kind::name)
            sink_.error(*name_attribute_at,
                        "groups.member_name_attribute applies only when the members are names "
                        "(member_values: name, or member_attribute: memberUid)");
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
                    if (!common::is_lowercase_name(*role))
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
                sink_.error(item.mark, "expected exactly one of when_member_of (" +
                                           std::string(kind_->group_reference_form()) + ") or when (" +
                                           std::string(kind_->condition_language()) + ") in " + item.name);
                continue;
            }
            if (member_of) rule.when_member_of = kind_->read_group_reference(*member_of);
            if (when) rule.when = kind_->read_condition(*when);
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
    std::unique_ptr<source_kind_reader> kind_;  ///< the item's kind, chosen by `type:`
};

}  // namespace

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
