#include "config/schema_section.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/casefold.hpp"
#include "config/value_readers.hpp"
#include "resource/schema.hpp"

namespace dirsync::config {

namespace {

/// Ids a configured schema may not take: the built-in schemas, and the RFC 7643/7644 core and message
/// namespaces (prefixes).
constexpr std::array<std::string_view, 3> builtin_schema_ids = {
    resource::core_user_urn,
    resource::core_group_urn,
    resource::enterprise_user_urn,
};
constexpr std::array<std::string_view, 2> reserved_prefixes = {"urn:ietf:params:scim:schemas:core:",
                                                               "urn:ietf:params:scim:api:"};

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with_folded(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && common::equal_folded(text.substr(0, prefix.size()), prefix);
}

/// Why `id` is not usable as a configured schema id; empty when it is. The characters are those an attribute
/// path's schema prefix may hold (scim/attribute_path.cpp), so `<id>:<attribute>` always parses.
std::string bad_schema_id(std::string_view id) {
    if (!starts_with_folded(id, "urn:"))
        return "a schema id is a URN starting with 'urn:', e.g. urn:example:params:scim:schemas:extension:"
               "acme:2.0:User";
    for (char c : id)
        if (!is_alpha(c) && !is_digit(c) && c != ':' && c != '.' && c != '-' && c != '_')
            return "a schema id may hold only letters, digits and . - _ :";
    std::size_t segments = 1;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (id[i] != ':') continue;
        if (i + 1 == id.size() || id[i + 1] == ':') return "a schema id has no empty ':'-separated segment";
        ++segments;
    }
    if (segments < 3) return "a schema id needs a namespace and a name after 'urn:' (urn:<nid>:<nss>)";
    for (auto builtin : builtin_schema_ids)
        if (common::equal_folded(id, builtin))
            return "it is a built-in schema; give your extension its own URN";
    for (auto prefix : reserved_prefixes)
        if (starts_with_folded(id, prefix))
            return "ids under '" + std::string(prefix) + "' are reserved by RFC 7643/7644";
    return {};
}

std::vector<std::string> read_string_list(diagnostics_sink& sink, const yaml_field& field) {
    std::vector<std::string> out;
    auto items = read_list(sink, field);
    if (!items) return out;
    for (const auto& item : *items)
        if (auto s = read_non_empty_string(sink, item)) out.push_back(std::move(*s));
    return out;
}

/// Reports attribute names used twice (ASCII case-insensitively) among the items of one list.
class name_registry {
  public:
    /// False (and reported) when `name` was seen before in this list.
    bool add(diagnostics_sink& sink, const std::string& name, const yaml_field& field,
             std::string_view list) {
        auto [it, inserted] = first_line_.try_emplace(common::fold_case(name), field.mark.line + 1);
        if (inserted) return true;
        sink.error(field.mark, "duplicate attribute name '" + name + "' in " + std::string(list) +
                                   " (first at line " + std::to_string(it->second) +
                                   "; names are case-insensitive)");
        return false;
    }

  private:
    std::map<std::string, int> first_line_;
};

constexpr std::array<std::string_view, 8> type_names = {"string",   "boolean",   "decimal", "integer",
                                                        "dateTime", "reference", "binary",  "complex"};
constexpr std::array<resource::attribute_type, 8> type_values = {
    resource::attribute_type::string,    resource::attribute_type::boolean,
    resource::attribute_type::decimal,   resource::attribute_type::integer,
    resource::attribute_type::date_time, resource::attribute_type::reference,
    resource::attribute_type::binary,    resource::attribute_type::complex};

std::optional<resource::mutability> read_mutability(diagnostics_sink& sink, const yaml_field& field) {
    if (field.value.IsScalar() && field.value.Scalar() == "writeOnly") {
        sink.error(field.mark,
                   "mutability writeOnly is not supported for configured attributes: dirsyncd stores "
                   "them as sent, and keeps only the core password (hashed)");
        return std::nullopt;
    }
    constexpr std::array<std::string_view, 3> names = {"readOnly", "readWrite", "immutable"};
    auto i = read_choice_index(sink, field, names);
    if (!i) return std::nullopt;
    constexpr std::array<resource::mutability, 3> values = {
        resource::mutability::read_only, resource::mutability::read_write, resource::mutability::immutable};
    return values[*i];
}

std::optional<resource::returned> read_returned(diagnostics_sink& sink, const yaml_field& field) {
    if (field.value.IsScalar() && field.value.Scalar() == "never") {
        sink.error(field.mark,
                   "returned never is not supported for configured attributes: dirsyncd stores them "
                   "as sent, and keeps only the core password (hashed)");
        return std::nullopt;
    }
    constexpr std::array<std::string_view, 3> names = {"always", "default", "request"};
    auto i = read_choice_index(sink, field, names);
    if (!i) return std::nullopt;
    constexpr std::array<resource::returned, 3> values = {
        resource::returned::always, resource::returned::default_, resource::returned::request};
    return values[*i];
}

void check_uniqueness(diagnostics_sink& sink, const yaml_field& field) {
    auto text = read_string(sink, field);
    if (!text || *text == "none") return;
    if (*text == "server" || *text == "global")
        sink.error(field.mark,
                   "uniqueness " + *text + " is not enforced for configured attributes; use none");
    else
        sink.error(field.mark, "invalid uniqueness " + describe(field.value) + " (allowed: none)");
}

/// One attribute, or (with `sub`) one sub-attribute of a complex attribute. nullopt when it has a problem.
std::optional<resource::attribute> read_attribute(diagnostics_sink& sink, const yaml_field& field, bool sub);

std::vector<resource::attribute> read_attribute_list(diagnostics_sink& sink, const yaml_field& field,
                                                     bool sub, bool& ok) {
    std::vector<resource::attribute> out;
    auto items = read_list(sink, field);
    if (!items) {
        ok = false;
        return out;
    }
    if (items->empty()) {
        sink.error(field.mark, field.name + " must list at least one attribute");
        ok = false;
    }
    name_registry names;
    for (const auto& item : *items) {
        auto a = read_attribute(sink, item, sub);
        if (!a) {
            ok = false;
            continue;
        }
        const yaml_field name_field{"name", item.path + ".name", item.value["name"],
                                    item.value["name"].Mark()};
        if (!names.add(sink, a->name, name_field, field.path)) {
            ok = false;
            continue;
        }
        out.push_back(std::move(*a));
    }
    return out;
}

std::optional<resource::attribute> read_attribute(diagnostics_sink& sink, const yaml_field& field, bool sub) {
    map_reader map(sink, field);
    if (!map.is_map()) return std::nullopt;
    resource::attribute a;
    bool ok = true;
    const auto take = [&ok](auto& out, auto&& value) {
        if (value)
            out = std::move(*value);
        else
            ok = false;
    };

    if (auto f = map.required("name")) {
        if (auto name = read_string(sink, *f)) {
            if (!resource::is_attribute_name(*name)) {
                sink.error(f->mark, "invalid attribute name " + describe(f->value) +
                                        ": a letter, then letters, digits, '-' or '_' (RFC 7643 ATTRNAME)");
                ok = false;
            }
            a.name = std::move(*name);
        } else {
            ok = false;
        }
    } else {
        ok = false;
    }
    std::optional<yaml_field> type_field = map.optional("type");
    if (type_field) {
        if (auto i = read_choice_index(sink, *type_field, type_names))
            a.type = type_values[*i];
        else
            ok = false;
    }
    if (auto f = map.optional("description")) take(a.description, read_string(sink, *f));
    if (auto f = map.optional("required")) take(a.required, read_bool(sink, *f));
    if (auto f = map.optional("case_exact")) take(a.case_exact, read_bool(sink, *f));
    if (auto f = map.optional("multi_valued")) take(a.multi_valued, read_bool(sink, *f));
    std::optional<yaml_field> mutability_field = map.optional("mutability");
    if (mutability_field) take(a.mutability, read_mutability(sink, *mutability_field));
    if (auto f = map.optional("returned")) take(a.returned, read_returned(sink, *f));
    if (auto f = map.optional("uniqueness")) {
        const std::size_t before = sink.size();
        check_uniqueness(sink, *f);
        ok = ok && sink.size() == before;
    }
    if (auto f = map.optional("canonical_values")) {
        const std::size_t before = sink.size();
        a.canonical_values = read_string_list(sink, *f);
        ok = ok && sink.size() == before;
    }
    if (auto f = map.optional("reference_types")) {
        const std::size_t before = sink.size();
        a.reference_types = read_string_list(sink, *f);
        ok = ok && sink.size() == before;
        if (ok && a.type != resource::attribute_type::reference) {
            sink.error(f->mark, "reference_types are only allowed for type reference");
            ok = false;
        }
    }
    std::optional<yaml_field> subs = map.optional("sub_attributes");
    map.finish();

    const bool complex = a.type == resource::attribute_type::complex;
    if (complex && sub) {
        sink.error(type_field->mark,
                   "a sub-attribute cannot be complex: RFC 7643 §2.3.8 allows one level "
                   "of sub-attributes");
        ok = false;
    } else if (subs && !complex) {
        sink.error(subs->mark, "sub_attributes are only allowed for type complex");
        ok = false;
    } else if (complex && !subs) {
        sink.error(type_field->mark, "a complex attribute needs sub_attributes");
        ok = false;
    } else if (subs) {
        a.sub_attributes = read_attribute_list(sink, *subs, true, ok);
    }
    if (a.type == resource::attribute_type::reference && a.reference_types.empty())
        a.reference_types = {"external"};
    if (a.required && a.mutability == resource::mutability::read_only && mutability_field) {
        sink.error(mutability_field->mark, "a readOnly attribute cannot be required: clients cannot set it");
        ok = false;
    }
    if (!ok) return std::nullopt;
    return a;
}

}  // namespace

void read_schemas(diagnostics_sink& sink, const yaml_field& field, std::vector<schema_settings>& out) {
    auto items = read_list(sink, field);
    if (!items) return;
    std::map<std::string, int> first_line_of_id;  // folded id -> line
    for (const auto& item : *items) {
        map_reader map(sink, item);
        if (!map.is_map()) continue;
        schema_settings s;
        bool ok = true;
        if (auto f = map.required("id")) {
            if (auto id = read_string(sink, *f)) {
                if (auto why = bad_schema_id(*id); !why.empty()) {
                    sink.error(f->mark, "invalid schema id " + describe(f->value) + ": " + why);
                    ok = false;
                } else if (auto [it, inserted] =
                               first_line_of_id.try_emplace(common::fold_case(*id), f->mark.line + 1);
                           !inserted) {
                    sink.error(f->mark, "duplicate schema id '" + *id + "' (first defined at line " +
                                            std::to_string(it->second) + "; ids are case-insensitive)");
                    ok = false;
                }
                s.schema.id = std::move(*id);
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        if (auto f = map.required("name")) {
            if (auto name = read_non_empty_string(sink, *f))
                s.schema.name = std::move(*name);
            else
                ok = false;
        } else {
            ok = false;
        }
        if (auto f = map.optional("description")) {
            if (auto d = read_string(sink, *f))
                s.schema.description = std::move(*d);
            else
                ok = false;
        }
        if (auto f = map.required("resource")) {
            constexpr std::array<std::string_view, 2> names = {"User", "Group"};
            if (auto i = read_choice_index(sink, *f, names))
                s.extends = *i == 0 ? schema_resource_setting::user : schema_resource_setting::group;
            else
                ok = false;
        } else {
            ok = false;
        }
        if (auto f = map.required("attributes"))
            s.schema.attributes = read_attribute_list(sink, *f, false, ok);
        else
            ok = false;
        map.finish();
        if (ok) out.push_back(std::move(s));
    }
}

std::shared_ptr<const resource::service_schemas> served_schemas(
    const std::vector<schema_settings>& configured) {
    std::vector<resource::schema> users;
    std::vector<resource::schema> groups;
    for (const auto& c : configured)
        (c.extends == schema_resource_setting::user ? users : groups).push_back(c.schema);
    return std::make_shared<const resource::service_schemas>(std::move(users), std::move(groups));
}

}  // namespace dirsync::config
