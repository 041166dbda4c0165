#include "resource/canonical.hpp"

#include <cmath>
#include <cstdint>

#include "common/ascii.hpp"
#include "common/clock.hpp"
#include "resource/json_lookup.hpp"

namespace dirsync::resource {

namespace {

invalid_resource malformed(std::string message) {
    return {invalid_resource::kind::syntax, std::move(message)};
}
invalid_resource refused(std::string message) { return {invalid_resource::kind::value, std::move(message)}; }

using json = nlohmann::json;

// Attribute names and schema URNs are ASCII (RFC 7643 §2.1, RFC 8141) and compare case-insensitively.
bool starts_with_urn(std::string_view key) {
    return key.size() > 4 && common::istarts_with_ascii(key, "urn:");
}

std::string describe(const json& v) {
    switch (v.type()) {
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "an integer";
        case json::value_t::number_float:
            return "a number";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        default:
            return "null";
    }
}

bool is_empty(const json& v) { return v.is_null() || ((v.is_array() || v.is_object()) && v.empty()); }

/// Where a value is ("name.givenName"): a chain of names on the stack, made text only for a message, so
/// that the values that are fine (nearly all) cost no string.
struct value_path {
    const value_path* parent = nullptr;
    std::string_view name;

    std::string text() const {
        std::string out = parent != nullptr ? parent->text() + "." : std::string();
        out += name;
        return out;
    }
};

// The functions below take the values they canonicalise by non-const reference and move from them: the
// input is consumed (canonicalize copies a const input once, up front).

/// Canonicalizes one (single) value of `attr`; returns an empty json (null) for "unassigned".
boost::system::result<json, invalid_resource> single_value(const attribute& attr, json& v,
                                                           const value_path& path,
                                                           const canonical_options& options);

boost::system::result<json, invalid_resource> complex_value(const attribute& attr, json& v,
                                                            const value_path& path,
                                                            const canonical_options& options) {
    if (!v.is_object()) return refused(path.text() + " must be an object, not " + describe(v));
    json out = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
        const attribute* sub = attr.find_sub_attribute(it.key());
        if (!sub) {
            if (!is_empty(it.value())) out[it.key()] = std::move(it.value());  // unknown: kept as sent
            continue;
        }
        if (sub->mutability == mutability::read_only && attr.mutability != mutability::read_only) continue;
        auto c = single_value(*sub, it.value(), value_path{&path, sub->name}, options);
        if (!c) return c.error();
        if (!c->is_null()) out[sub->name] = std::move(*c);
    }
    return out;
}

boost::system::result<json, invalid_resource> single_value(const attribute& attr, json& v,
                                                           const value_path& path,
                                                           const canonical_options& options) {
    if (v.is_null()) return json();
    switch (attr.type) {
        case attribute_type::complex: {
            auto c = complex_value(attr, v, path, options);
            if (!c) return c.error();
            return c->empty() ? json() : std::move(*c);
        }
        case attribute_type::boolean:
            if (v.is_boolean()) return std::move(v);
            if (v.is_string() && options.convert_types) {
                const auto& s = v.get_ref<const std::string&>();
                if (common::iequals_ascii(s, "true")) return json(true);
                if (common::iequals_ascii(s, "false")) return json(false);
            }
            return refused(path.text() + " must be a boolean, not " + describe(v));
        case attribute_type::integer:
            if (v.is_number_integer()) return std::move(v);
            if (v.is_number_float() && options.convert_types) {
                // 12.0 is an integer; anything outside int64 would be undefined behaviour to convert.
                const double d = v.get<double>();
                if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
                    return json(static_cast<std::int64_t>(d));
            }
            return refused(path.text() + " must be an integer, not " + describe(v));
        case attribute_type::decimal:
            if (v.is_number()) return std::move(v);
            return refused(path.text() + " must be a number, not " + describe(v));
        case attribute_type::date_time:
            if (!v.is_string())
                return refused(path.text() + " must be a dateTime string, not " + describe(v));
            if (!common::parse_rfc3339(v.get_ref<const std::string&>()))
                return refused(path.text() +
                               " is not a valid dateTime (RFC 3339, e.g. 2026-11-22T18:45:00Z)");
            return std::move(v);
        case attribute_type::string:
        case attribute_type::reference:
        case attribute_type::binary:
            if (v.is_string()) return v.get_ref<const std::string&>().empty() ? json() : std::move(v);
            if (v.is_number() && attr.type == attribute_type::string && options.convert_types)
                return json(v.dump());
            return refused(path.text() + " must be a string, not " + describe(v));
    }
    return std::move(v);
}

boost::system::result<json, invalid_resource> attribute_value(const attribute& attr, json& v,
                                                              const value_path& path,
                                                              const canonical_options& options) {
    if (attr.mutability == mutability::write_only || attr.returned == returned::never)
        return refused(path.text() +
                       " is not accepted in a stored resource: a password is taken out of the "
                       "request and kept only as a hash");
    if (!attr.multi_valued) return single_value(attr, v, path, options);
    if (!v.is_array() && !v.is_null() && !options.convert_types)
        return refused(path.text() + " must be an array, not " + describe(v));
    if (v.is_null()) return json();
    const bool drop_without_value = options.drop_elements_without_value &&
                                    attr.type == attribute_type::complex && attr.find_sub_attribute("value");
    json out = json::array();
    int primaries = 0;
    const auto add = [&](json& item) -> boost::system::result<void, invalid_resource> {
        auto c = single_value(attr, item, path, options);
        if (!c) return c.error();
        if (c->is_null()) return {};
        if (drop_without_value && !c->contains("value")) return {};
        if (c->is_object()) {
            auto p = c->find("primary");
            if (p != c->end() && p->is_boolean() && p->get<bool>()) ++primaries;
        }
        out.push_back(std::move(*c));
        return {};
    };
    if (v.is_array()) {
        for (auto& item : v)
            if (auto r = add(item); !r) return r.error();
    } else if (auto r = add(v); !r) {
        return r.error();
    }
    if (primaries > 1) return refused(path.text() + " has more than one value with \"primary\": true");
    if (out.empty()) return json();
    return out;
}

/// A `value` problem when a required attribute of extension `ext` is missing from `object` (its canonical
/// object; null when absent), or a present complex value lacks a required sub-attribute.
boost::system::result<void, invalid_resource> check_required(const schema& ext, const json* object) {
    for (const auto& a : ext.attributes) {
        const json* v = object != nullptr ? json_member(*object, a.name) : nullptr;
        if (v == nullptr || is_empty(*v)) {
            if (a.required) return refused("'" + ext.id + ":" + a.name + "' is required by that schema");
            continue;
        }
        if (a.type != attribute_type::complex) continue;
        for (const json& item : v->is_array() ? *v : json::array({*v})) {
            for (const auto& sub : a.sub_attributes) {
                const json* s = item.is_object() ? json_member(item, sub.name) : nullptr;
                if (sub.required && (s == nullptr || is_empty(*s)))
                    return refused("'" + ext.id + ":" + a.name + "." + sub.name +
                                   "' is required in each value of '" + a.name + "'");
            }
        }
    }
    return {};
}

/// Canonicalizes the attributes of one schema (core at the top level, or an extension's object) into `out`.
boost::system::result<void, invalid_resource> schema_object(const schema& s, json& in, json& out,
                                                            const canonical_options& options,
                                                            bool top_level) {
    for (auto it = in.begin(); it != in.end(); ++it) {
        const std::string& key = it.key();
        if (top_level && (common::iequals_ascii(key, "schemas") || starts_with_urn(key)))
            continue;  // handled by the caller
        const attribute* attr = s.find_attribute(key);
        if (!attr) {
            if (!is_empty(it.value())) out[key] = std::move(it.value());
            continue;
        }
        if (attr->mutability == mutability::read_only) continue;  // id, meta, groups: ignored on input
        auto c = attribute_value(*attr, it.value(), value_path{nullptr, attr->name}, options);
        if (!c) return c.error();
        if (c->is_null())
            out.erase(attr->name);
        else
            out[attr->name] = std::move(*c);
    }
    return {};
}

}  // namespace

boost::system::result<json, invalid_resource> canonicalize(const json& input, const resource_schema& rs,
                                                           const canonical_options& options) {
    return canonicalize(json(input), rs, options);
}

boost::system::result<json, invalid_resource> canonicalize(json&& input, const resource_schema& rs,
                                                           const canonical_options& options) {
    const std::string& core_urn = rs.core().id;
    if (!input.is_object()) return malformed("a " + rs.core().name + " must be a JSON object");

    std::vector<std::string> listed;
    if (const json* s = json_member(input, "schemas")) {  // key case-insensitive, like every attribute name
        if (!s->is_array()) return refused("schemas must be an array of schema URNs");
        for (const auto& urn : *s) {
            if (!urn.is_string()) return refused("schemas must be an array of schema URNs");
            listed.push_back(urn.get<std::string>());
        }
    }
    bool has_core = false;
    for (const auto& urn : listed) has_core |= common::iequals_ascii(urn, core_urn);
    if (!has_core) return refused("schemas must include \"" + core_urn + "\"");

    json out = json::object();
    if (auto r = schema_object(rs.core(), input, out, options, true); !r) return r.error();

    // Extension objects, unknown URN objects, and fully qualified attribute names used as keys.
    for (auto it = input.begin(); it != input.end(); ++it) {
        const std::string& key = it.key();
        if (!starts_with_urn(key)) continue;
        if (const schema* ext = rs.find_schema(key)) {
            if (it.value().is_null()) continue;
            if (!it.value().is_object()) return refused(key + " must be an object");
            json& target = rs.is_core(ext) ? out : out[ext->id];
            if (!target.is_object()) target = json::object();
            if (auto r = schema_object(*ext, it.value(), target, options, rs.is_core(ext)); !r)
                return r.error();
            if (target.empty()) out.erase(ext->id);
            continue;
        }
        auto colon = key.rfind(':');
        const schema* owner = colon == std::string::npos ? nullptr : rs.find_schema(key.substr(0, colon));
        if (owner) {
            json single = json::object();
            single[key.substr(colon + 1)] = std::move(it.value());
            json& target = rs.is_core(owner) ? out : out[owner->id];
            if (!target.is_object()) target = json::object();
            if (auto r = schema_object(*owner, single, target, options, false); !r) return r.error();
            if (target.empty()) out.erase(owner->id);
            continue;
        }
        if (!is_empty(it.value()))
            out[key] = std::move(it.value());  // an extension we don't know: kept as sent
    }

    json schemas = json::array({core_urn});
    for (const auto& ext : rs.extensions()) {
        const bool present = out.contains(ext.id);
        if (present) schemas.push_back(ext.id);
        bool listed_here = false;
        for (const auto& urn : listed) listed_here |= common::iequals_ascii(urn, ext.id);
        if (present || listed_here)
            if (auto r = check_required(ext, present ? &out[ext.id] : nullptr); !r) return r.error();
    }
    for (const auto& urn : listed) {
        bool known = false;
        for (const auto& s : schemas) known |= common::iequals_ascii(s.get<std::string>(), urn);
        if (!known && !rs.find_schema(urn)) schemas.push_back(urn);
    }
    out["schemas"] = std::move(schemas);
    return out;
}

}  // namespace dirsync::resource
