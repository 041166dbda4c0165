#include "scim/attribute_projection.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "resource/json_lookup.hpp"
#include "scim/attribute_path.hpp"
#include "scim/patch_path.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

bool starts_with_urn(std::string_view key) {
    return key.size() > 4 && common::iequals_ascii(key.substr(0, 4), "urn:");
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Which sub-attributes of a returned attribute go with it.
enum class sub_kind {
    defaults,    ///< "default" and "always" ones
    everything,  ///< all but "never" ones (the attribute was named in `attributes`)
    only,        ///< the ones named, plus "always" ones
    except,      ///< "default" and "always" ones, minus the ones named
};

struct sub_rule {
    sub_kind kind = sub_kind::defaults;
    std::vector<std::string_view> names;
};

/// A value path of the selection on the attribute being decided: the values its filter matches are selected
/// (or excluded) whole, or only their sub-attribute `sub` when it is not empty.
struct value_rule {
    const filter* values = nullptr;
    std::string_view sub;
};

struct verdict {
    bool returned = false;
    sub_rule subs;
    /// Value paths on the attribute. In include mode `subs` is then `only` the plain sub-attributes named
    /// (applying to every value); in exclude mode it is the rule for values no value path matches.
    std::vector<value_rule> values = {};
    bool exclude_values = false;
};

bool named(const std::vector<std::string_view>& names, std::string_view name) {
    return std::any_of(names.begin(), names.end(),
                       [&](std::string_view n) { return common::iequals_ascii(n, name); });
}

bool sub_returned(const sub_rule& rule, std::string_view sub_name, const resource::attribute* sub_def) {
    const resource::returned r = sub_def != nullptr ? sub_def->returned : resource::returned::default_;
    if (r == resource::returned::never) return false;
    if (r == resource::returned::always) return true;
    switch (rule.kind) {
        case sub_kind::defaults:
            return r != resource::returned::request;
        case sub_kind::everything:
            return true;
        case sub_kind::only:
            return named(rule.names, sub_name);
        case sub_kind::except:
            return r != resource::returned::request && !named(rule.names, sub_name);
    }
    return false;
}

const resource::attribute* sub_attribute_of(const resource::attribute* def, std::string_view name) {
    return def != nullptr ? def->find_sub_attribute(name) : nullptr;
}

/// Drops the members of one value that `rule` leaves out; a value that is not an object answers to "value"
/// (as in filters). False when nothing is left.
bool filter_single(json& v, const resource::attribute* def, const sub_rule& rule) {
    if (v.is_object()) {
        auto& members = v.get_ref<json::object_t&>();
        for (auto it = members.begin(); it != members.end();) {
            if (sub_returned(rule, it->first, sub_attribute_of(def, it->first)))
                ++it;
            else
                it = members.erase(it);
        }
        return !members.empty();
    }
    if (rule.kind == sub_kind::only) return sub_returned(rule, "value", sub_attribute_of(def, "value"));
    return true;
}

/// Applies the verdict's value paths and sub-attribute rule to one value; false when nothing is left of it.
bool filter_item(json& item, const resource::attribute* def, const verdict& v) {
    if (v.values.empty()) return filter_single(item, def, v.subs);
    sub_rule rule = v.subs;
    bool whole = false;
    for (const auto& r : v.values) {
        if (!matches_value(*r.values, item, def)) continue;
        if (r.sub.empty())
            whole = true;
        else
            rule.names.push_back(r.sub);
    }
    if (v.exclude_values) {
        if (whole) return false;
        if (!rule.names.empty()) rule.kind = sub_kind::except;
        return filter_single(item, def, rule);
    }
    if (whole) return filter_single(item, def, sub_rule{sub_kind::everything, {}});
    if (rule.names.empty()) return false;  // neither a matching value path nor a plain sub-attribute path
    return filter_single(item, def, rule);
}

/// Applies the verdict to a value or to each value of an array; false when nothing is left.
bool filter_value(json& v, const resource::attribute* def, const verdict& verdict) {
    if (!v.is_array()) return filter_item(v, def, verdict);
    auto& items = v.get_ref<json::array_t&>();
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](json& item) { return !filter_item(item, def, verdict); }),
                items.end());
    return !items.empty();
}

}  // namespace

/// The decision procedure shared by projection::apply and is_returned.
struct projection_rules {
    const projection& p;

    /// What becomes of the attribute `name` (definition `def`, nullptr when unknown) in `container` ("" for
    /// the core level, else the extension key as it appears in the resource).
    verdict decide(std::string_view container, std::string_view name, const resource::attribute* def) const {
        const resource::returned r = def != nullptr ? def->returned : resource::returned::default_;
        if (r == resource::returned::never) return {};
        if (r == resource::returned::always) return {true, {}};
        if (p.mode_ == projection::mode::defaults) return {r != resource::returned::request, {}};

        bool whole_container = false;
        bool named_whole = false;
        std::vector<std::string_view> subs;
        std::vector<value_rule> values = {};
        for (const auto& s : p.paths_) {
            const bool same_container = common::iequals_ascii(s.container, container);
            if (same_container && s.attribute.empty()) {
                whole_container = true;
            } else if (same_container && common::iequals_ascii(s.attribute, name)) {
                if (s.value_filter)
                    values.push_back(value_rule{&*s.value_filter, s.sub_attribute});
                else if (s.sub_attribute.empty())
                    named_whole = true;
                else
                    subs.push_back(s.sub_attribute);
            } else if (container.empty() && s.sub_attribute.empty() && !s.container.empty() &&
                       name.size() == s.container.size() + 1 + s.attribute.size() &&
                       common::iequals_ascii(name.substr(0, s.container.size()), s.container) &&
                       name[s.container.size()] == ':' &&
                       common::iequals_ascii(name.substr(s.container.size() + 1), s.attribute)) {
                named_whole = true;  // a top-level member named by a full URN, e.g. an unknown extension
            }
        }

        if (p.mode_ == projection::mode::include) {
            if (named_whole) return {true, {sub_kind::everything, {}}, {}, false};
            if (whole_container && values.empty())
                return {r != resource::returned::request || !subs.empty(), {}, {}, false};
            if (!values.empty()) return {true, {sub_kind::only, std::move(subs)}, std::move(values), false};
            if (!subs.empty()) return {true, {sub_kind::only, std::move(subs)}, {}, false};
            return {};
        }
        if (named_whole || whole_container || r == resource::returned::request) return {};
        if (!subs.empty()) return {true, {sub_kind::except, std::move(subs)}, std::move(values), true};
        return {true, {}, std::move(values), true};
    }

    /// Filters the members of one container (the resource or an extension object); false when none is left.
    bool filter_container(json::object_t& members, std::string_view container,
                          const resource::schema* s) const {
        for (auto it = members.begin(); it != members.end();) {
            const std::string& key = it->first;
            bool keep = false;
            if (container.empty() && starts_with_urn(key) && it->second.is_object()) {
                const resource::schema* ext = p.schema_->find_schema(key);
                keep = filter_container(it->second.get_ref<json::object_t&>(), key, ext);
            } else {
                const resource::attribute* def = s != nullptr ? s->find_attribute(key) : nullptr;
                verdict v = decide(container, key, def);
                keep = v.returned && filter_value(it->second, def, v);
            }
            if (keep)
                ++it;
            else
                it = members.erase(it);
        }
        return !members.empty();
    }

    /// Resolves one path of the selection against the schemas.
    static boost::system::result<projection::selected, error> resolve(const resource::resource_schema& rs,
                                                                      std::string_view text) {
        projection::selected out;
        if (const resource::schema* s = rs.find_schema(text)) {
            if (!rs.is_core(s)) out.container = s->id;
            return out;
        }
        auto parsed = parse_path_syntax(text);  // the same grammar: attrPath / valuePath ["." subAttr]
        if (!parsed)
            return invalid_value("'" + std::string(text) + "' is not an attribute path: " + parsed.error());
        attribute_path* path = &parsed->attribute;
        out.attribute = std::move(path->attribute);
        out.sub_attribute = std::move(path->sub_attribute);
        out.value_filter = std::move(parsed->value_filter);
        if (path->schema_urn.empty()) {
            const resource::attribute_lookup found = rs.find("", out.attribute);
            if (found.owner != nullptr && !rs.is_core(found.owner)) out.container = found.owner->id;
        } else if (const resource::schema* s = rs.find_schema(path->schema_urn)) {
            if (!rs.is_core(s)) out.container = s->id;
        } else {
            out.container = std::move(path->schema_urn);
        }
        return out;
    }
};

boost::system::result<projection, error> projection::make(const resource::resource_schema& schema,
                                                          std::span<const std::string> attributes,
                                                          std::span<const std::string> excluded_attributes) {
    projection out(schema);
    const auto add_all = [&](std::span<const std::string> lists) -> boost::system::result<void, error> {
        for (const auto& list : lists) {
            std::string_view rest = list;
            while (true) {
                // A value path's filter may hold commas: `emails[value eq "a,b"]`.
                const auto end = path_end(rest, ",");
                const auto comma = end == rest.size() ? std::string_view::npos : end;
                const std::string_view item = trim(rest.substr(0, comma));
                if (!item.empty()) {
                    auto resolved = projection_rules::resolve(schema, item);
                    if (!resolved) return resolved.error();
                    out.paths_.push_back(std::move(*resolved));
                }
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
        }
        return {};
    };
    if (auto r = add_all(attributes); !r) return r.error();
    if (!out.paths_.empty()) out.mode_ = mode::include;
    const std::size_t included = out.paths_.size();
    if (auto r = add_all(excluded_attributes); !r) return r.error();
    if (out.paths_.size() > included) {
        if (included > 0)
            return invalid_value("attributes and excludedAttributes are mutually exclusive (RFC 7644 §3.9)");
        out.mode_ = mode::exclude;
    }
    return out;
}

boost::system::result<projection, error> projection::from_query(const resource::resource_schema& schema,
                                                                const http::query_params& params) {
    std::vector<std::string> attributes;
    std::vector<std::string> excluded;
    if (auto a = params.get("attributes")) attributes.emplace_back(*a);
    if (auto e = params.get("excludedAttributes")) excluded.emplace_back(*e);
    return make(schema, attributes, excluded);
}

nlohmann::json projection::apply(nlohmann::json resource) const {
    if (!resource.is_object()) return resource;
    projection_rules{*this}.filter_container(resource.get_ref<json::object_t&>(), "", &schema_->core());
    // `schemas` lists the extensions whose attributes are present (RFC 7643 §3): one the selection left out
    // goes from the list too. URNs this resource type does not serve are the client's and stay.
    if (auto it = resource.find("schemas"); it != resource.end() && it->is_array()) {
        auto& urns = *it;
        for (auto u = urns.begin(); u != urns.end();) {
            const resource::schema* s =
                u->is_string() ? schema_->find_schema(u->get_ref<const std::string&>()) : nullptr;
            const bool dropped =
                s != nullptr && !schema_->is_core(s) && resource::json_member(resource, s->id) == nullptr;
            u = dropped ? urns.erase(u) : u + 1;
        }
    }
    return resource;
}

bool is_returned(const projection& p, std::string_view attribute_path) {
    auto resolved = projection_rules::resolve(*p.schema_, trim(attribute_path));
    if (!resolved) return false;
    const projection::selected& x = *resolved;
    const resource::schema* owner =
        x.container.empty() ? &p.schema_->core() : p.schema_->find_schema(x.container);
    if (x.attribute.empty()) {  // a whole extension: returned when any of its attributes is
        if (p.mode_ == projection::mode::defaults) return true;
        const bool mentioned =
            std::any_of(p.paths_.begin(), p.paths_.end(), [&](const projection::selected& s) {
                return common::iequals_ascii(s.container, x.container) &&
                       (p.mode_ == projection::mode::include || s.attribute.empty());
            });
        return p.mode_ == projection::mode::include ? mentioned : !mentioned;
    }
    const resource::attribute* def = owner != nullptr ? owner->find_attribute(x.attribute) : nullptr;
    const verdict v = projection_rules{p}.decide(x.container, x.attribute, def);
    if (!v.returned) return false;
    if (x.sub_attribute.empty()) return true;
    if (!v.exclude_values)
        for (const auto& r : v.values)  // matching values carry the sub-attribute
            if (r.sub.empty() || common::iequals_ascii(r.sub, x.sub_attribute)) return true;
    return sub_returned(v.subs, x.sub_attribute, sub_attribute_of(def, x.sub_attribute));
}

}  // namespace dirsync::scim
