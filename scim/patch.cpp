#include "scim/patch.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"
#include "scim/filter.hpp"
#include "scim/patch_path.hpp"
#include "scim/patch_request.hpp"
#include "scim/patch_target.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;
using status = boost::system::result<void, error>;

/// Sub-attributes that describe the resource a reference value points at (RFC 7643 §4.1.2 groups, §4.2
/// members, §4.3 manager: "$ref", "display", "displayName"): stale once "value" changes, so a write that
/// changes "value" without them drops them.
constexpr std::string_view derived_sub_attributes[] = {"$ref", "display", "displayName"};

using op_kind = patch_op;

bool same_name(std::string_view a, std::string_view b) { return common::equal_folded(a, b); }

// -----------------------------------------------------------------------------------------------------------
// JSON members, found case-insensitively (a stored resource or a client may spell "UserName")
// -----------------------------------------------------------------------------------------------------------

/// The member `key` of `object`: the exact key, else the first equal ignoring case; nullptr when none.
json* member(json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto& members = object.get_ref<json::object_t&>();
    if (const auto it = members.find(key); it != members.end()) return &it->second;
    for (auto& [name, value] : members)
        if (same_name(name, key)) return &value;
    return nullptr;
}

/// Erases every member of `object` whose key equals `key` ignoring case. True when one was erased.
bool erase_member(json& object, std::string_view key) {
    if (!object.is_object()) return false;
    auto& members = object.get_ref<json::object_t&>();
    bool erased = false;
    for (auto it = members.begin(); it != members.end();) {
        if (same_name(it->first, key)) {
            it = members.erase(it);
            erased = true;
        } else {
            ++it;
        }
    }
    return erased;
}

/// The member to write for `name` (created as null when absent). With `canonical`, `name` is the schema's
/// spelling: a member spelt otherwise is renamed to it (and other spellings dropped). Without, an existing
/// member keeps its spelling. Precondition: `object` is an object.
json& write_member(json& object, std::string_view name, bool canonical) {
    auto& members = object.get_ref<json::object_t&>();
    if (const auto it = members.find(name); it != members.end() && !canonical) return it->second;
    json kept;
    bool found = false;
    for (auto it = members.begin(); it != members.end();) {
        if (!same_name(it->first, name)) {
            ++it;
            continue;
        }
        if (!canonical) return it->second;
        // Prefer the exactly spelt member; otherwise the first one met.
        if (!found || it->first == name) kept = std::move(it->second);
        found = true;
        it = members.erase(it);
    }
    return members[std::string(name)] = std::move(kept);
}

// -----------------------------------------------------------------------------------------------------------
// Values
// -----------------------------------------------------------------------------------------------------------

/// RFC 7643 §2.5: null, [] and {} are "unassigned"; for complex attributes "" too (Entra clears manager so).
bool is_unassigned(const json& v, bool complex) {
    if (v.is_null()) return true;
    if ((v.is_array() || v.is_object()) && v.empty()) return true;
    return complex && v.is_string() && v.get_ref<const std::string&>().empty();
}

bool is_complex(const resource::attribute* def) {
    return def != nullptr && def->type == resource::attribute_type::complex;
}

bool has_value_sub_attribute(const resource::attribute* def) {
    return is_complex(def) && def->find_sub_attribute("value") != nullptr;
}

/// An object's members with sub-attribute names in the schema's spelling ("Value" -> "value"); null members
/// are kept (they mean "unassign this sub-attribute") unless `drop_nulls`.
json canonical_members(const json& object, const resource::attribute* def, bool drop_nulls) {
    json out = json::object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (drop_nulls && it.value().is_null()) continue;
        const resource::attribute* sub = def != nullptr ? def->find_sub_attribute(it.key()) : nullptr;
        if (sub == nullptr) {
            write_member(out, it.key(), false) = it.value();
        } else {
            write_member(out, sub->name, true) = it.value();
        }
    }
    return out;
}

/// One value of multi-valued `def` as it will be stored: objects with canonical sub-attribute names and no
/// null members; a bare scalar for a complex attribute with a "value" sub-attribute becomes {"value":
/// scalar}.
json canonical_element(const json& v, const resource::attribute* def) {
    if (v.is_object()) return canonical_members(v, def, true);
    if (!v.is_null() && !v.is_array() && has_value_sub_attribute(def)) return json{{"value", v}};
    return v;
}

/// Renames the sub-attributes of each element of `array` in place (see canonical_element).
void canonicalize_elements(json& array, const resource::attribute* def) {
    if (!is_complex(def)) return;
    const bool has_value = def->find_sub_attribute("value") != nullptr;
    for (auto& e : array) {
        if (!e.is_object()) {
            if (has_value && !e.is_null() && !e.is_array()) e = json{{"value", std::move(e)}};
            continue;
        }
        bool needs = false;
        for (auto it = e.begin(); it != e.end() && !needs; ++it) {
            const resource::attribute* sub = def->find_sub_attribute(it.key());
            needs = (sub != nullptr && sub->name != it.key()) || it.value().is_null();
        }
        if (needs) e = canonical_members(e, def, true);
    }
}

bool is_primary(const json& element) {
    const json* p = element.is_object() ? resource::json_member(element, "primary") : nullptr;
    return p != nullptr && resource::json_boolean(*p).value_or(false);
}

/// The value elements of an operation's "value" for a multi-valued attribute: an array as is, a single value
/// as one element, null as none.
std::vector<json> elements_of(const json& value, const resource::attribute* def) {
    std::vector<json> out;
    if (value.is_array()) {
        out.reserve(value.size());
        for (const auto& e : value)
            if (!e.is_null()) out.push_back(canonical_element(e, def));
    } else if (!value.is_null()) {
        out.push_back(canonical_element(value, def));
    }
    return out;
}

/// Hash key identifying a stored element for duplicate detection: its "value" when it has one ("v" prefix),
/// otherwise the whole element ("e" prefix).
std::string value_key(const json& element) {
    if (element.is_object()) {
        if (const json* v = resource::json_member(element, "value"); v != nullptr && !v->is_null())
            return "v" + v->dump();
    }
    return "e" + element.dump();
}

/// True when two elements with the same "value" may be the same value: their "type"s agree (ignoring case) or
/// one has none.
bool compatible_types(const json& a, const json& b) {
    const json* ta = resource::json_member(a, "type");
    const json* tb = resource::json_member(b, "type");
    if (ta == nullptr || tb == nullptr || ta->is_null() || tb->is_null()) return true;
    if (ta->is_string() && tb->is_string())
        return same_name(ta->get_ref<const std::string&>(), tb->get_ref<const std::string&>());
    return *ta == *tb;
}

// -----------------------------------------------------------------------------------------------------------
// The patcher: applies operations to its own copy of the resource
// -----------------------------------------------------------------------------------------------------------

class patcher {
  public:
    patcher(json resource, const resource::resource_schema& schema)
        : resource_(std::move(resource)), schema_(schema) {}

    json take() && { return std::move(resource_); }

    /// One operation. `target` is nullptr for a path-less operation; `value` nullptr when absent (only for
    /// remove).
    status apply(op_kind kind, const patch_target* target, const json* value) {
        if (target == nullptr) {
            if (kind == op_kind::remove) return no_target("remove needs a path");
            return apply_without_path(kind, *value);
        }
        return apply_target(kind, reinterpret(*target, value), value, false);
    }

  private:
    // --- path-less operations ------------------------------------------------------------------------------

    status apply_without_path(op_kind kind, const json& value) {
        if (value.is_array()) {  // some clients wrap the attribute object in an array
            for (const auto& v : value) {
                if (!v.is_object())
                    return invalid_value(std::string(to_string(kind)) +
                                         " without a path needs an object of attributes as value");
                if (auto r = apply_object(kind, v, nullptr); !r) return r;
            }
            return {};
        }
        if (!value.is_object())
            return invalid_value(std::string(to_string(kind)) +
                                 " without a path needs an object of attributes as value");
        return apply_object(kind, value, nullptr);
    }

    /// Applies each member of `object` as an operation on the attribute it names: top-level names (and dotted
    /// or URN-qualified paths), or, with `within`, names inside that schema's object. ReadOnly attributes and
    /// an unchanged id are skipped (RFC 7644 §3.5.2: a client may send what it read).
    status apply_object(op_kind kind, const json& object, const patch_target* within) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string& key = it.key();
            auto target = member_target(key, within);
            if (!target) return target.error();
            const patch_target resolved = within == nullptr ? reinterpret(*target, &it.value()) : *target;
            if (auto r = apply_target(kind, resolved, &it.value(), true); !r) return r;
        }
        return {};
    }

    /// The target named by a member key of a path-less value (or of a schema object, `within`).
    boost::system::result<patch_target, error> member_target(const std::string& key,
                                                             const patch_target* within) {
        if (within == nullptr) {
            if (const resource::schema* s = schema_.find_schema(key)) {
                patch_target t;
                t.owner = s;
                if (!schema_.is_core(s)) t.container = s->id;
                return t;
            }
        }
        auto path = parse_patch_path(key);
        if (!path) return invalid_value("a member of the value is not an attribute: " + path.error().detail);
        if (within != nullptr && path->attribute.schema_urn.empty())
            path->attribute.schema_urn = within->owner != nullptr ? within->owner->id : within->container;
        return resolve_patch_path(std::move(*path), schema_);
    }

    /// An unknown URN followed by one name is ambiguous: `urn:acme:ext:1.0:User` may be attribute "User" of
    /// schema "urn:acme:ext:1.0" or the whole schema "urn:acme:ext:1.0:User". It names the schema when the
    /// resource holds an object under the whole URN, or when the value is an object, the last segment starts
    /// with a capital letter (resource type names do, attribute names do not) and no such attribute exists.
    patch_target reinterpret(const patch_target& t, const json* value) const {
        if (t.owner != nullptr || t.container.empty() || t.names_schema() || t.value_filter ||
            !t.sub_attribute.empty())
            return t;
        const std::string whole = t.container + ":" + t.attribute;
        const json* existing = resource::json_member(resource_, whole);
        bool names_schema = existing != nullptr && existing->is_object();
        if (!names_schema && value != nullptr && value->is_object() && !t.attribute.empty() &&
            t.attribute.front() >= 'A' && t.attribute.front() <= 'Z') {
            const json* container = resource::json_member(resource_, t.container);
            names_schema = container == nullptr || resource::json_member(*container, t.attribute) == nullptr;
        }
        if (!names_schema) return t;
        patch_target out;
        out.container = whole;
        return out;
    }

    // --- dispatch ------------------------------------------------------------------------------------------

    status apply_target(op_kind kind, const patch_target& t, const json* value, bool from_value) {
        if (t.names_schema()) return apply_schema(kind, t, value);

        const bool top_level = t.container.empty() && (t.owner == nullptr || schema_.is_core(t.owner));
        if (top_level && (same_name(t.attribute, "id") || same_name(t.attribute, "meta") ||
                          same_name(t.attribute, "schemas"))) {
            if (!from_value) return mutability_error("'" + t.to_string() + "' cannot be modified");
            if (same_name(t.attribute, "id") && t.sub_attribute.empty()) {
                const json* current = resource::json_member(resource_, "id");
                if (value == nullptr || current == nullptr || *value != *current)
                    return mutability_error("'id' is readOnly and cannot be changed");
            }
            return {};  // meta, schemas and an unchanged id in a path-less value: ignored
        }
        const bool read_only =
            (t.definition != nullptr && t.definition->mutability == resource::mutability::read_only) ||
            (t.sub_definition != nullptr && t.sub_definition->mutability == resource::mutability::read_only);
        if (read_only) {
            if (from_value) return {};
            return mutability_error("'" + t.to_string() + "' is readOnly");
        }

        if (t.value_filter) return apply_values(kind, t, value, &*t.value_filter);
        if (!t.sub_attribute.empty()) {
            if (t.definition != nullptr && t.definition->multi_valued)  // `emails.value`: every value
                return apply_values(kind, t, value, nullptr);
            const json* current = current_attribute(t);
            if (t.definition == nullptr && current != nullptr && current->is_array())
                return apply_values(kind, t, value, nullptr);
            return apply_sub_attribute(kind, t, value);
        }
        return apply_attribute(kind, t, value);
    }

    // --- whole schema (extension object) -------------------------------------------------------------------

    status apply_schema(op_kind kind, const patch_target& t, const json* value) {
        if (kind == op_kind::remove) {
            if (t.container.empty()) return no_target("remove needs an attribute, not the whole resource");
            if (erase_member(resource_, t.container)) drop_schema_urn(t.container);
            return {};
        }
        if (value->is_null()) {  // unassigns the extension, in add as in replace (a set, not an append)
            if (!t.container.empty() && erase_member(resource_, t.container)) drop_schema_urn(t.container);
            return {};
        }
        if (!value->is_object())
            return invalid_value("the value for '" + display_name(t) + "' must be an object of attributes");
        if (t.container.empty()) return apply_object(kind, *value, nullptr);
        return apply_object(kind, *value, &t);
    }

    static std::string display_name(const patch_target& t) {
        return t.container.empty() ? "the resource" : t.container;
    }

    // --- attribute without filter or sub-attribute ---------------------------------------------------------

    status apply_attribute(op_kind kind, const patch_target& t, const json* value) {
        const resource::attribute* def = t.definition;
        json* current = current_attribute(t);
        const bool assigned = current != nullptr && !current->is_null();
        const bool multi = def != nullptr ? def->multi_valued : (current != nullptr && current->is_array());

        if (kind == op_kind::remove) {
            if (!assigned) return {};
            if (multi && value != nullptr && !value->is_null()) return remove_listed(t, *current, *value);
            if (auto r = check_immutable(def, t, current, nullptr); !r) return r;
            erase_attribute(t);
            return {};
        }

        if (multi) {
            std::vector<json> elements = elements_of(*value, def);
            if (kind == op_kind::replace) {
                if (elements.empty()) {
                    if (auto r = check_immutable(def, t, current, nullptr); !r) return r;
                    if (assigned) erase_attribute(t);
                    return {};
                }
                json next(json::value_t::array);
                for (auto& e : elements) next.push_back(std::move(e));
                if (auto r = check_immutable(def, t, current, &next); !r) return r;
                json& slot = write_attribute(t);
                slot = std::move(next);
                std::vector<std::size_t> touched(slot.size());
                for (std::size_t i = 0; i < touched.size(); ++i) touched[i] = i;
                return settle_primary(t, slot, touched);
            }
            if (elements.empty()) return {};
            return append_values(t, std::move(elements));
        }

        if (is_complex(def) ||
            (def == nullptr && value->is_object() && current != nullptr && current->is_object())) {
            if (kind == op_kind::add && value->is_object() && value->empty()) return {};  // nothing to add
            auto next = complex_value(t, def, *value);
            if (!next) return next.error();
            const bool nothing =
                std::all_of(next->begin(), next->end(), [](const json& v) { return v.is_null(); });
            if (next->is_null() || (nothing && !assigned)) {
                if (auto r = check_immutable(def, t, current, nullptr); !r) return r;
                if (assigned) erase_attribute(t);
                return {};
            }
            json& slot = write_attribute(t);
            if (auto r = merge_complex(t, def, slot, *next); !r) return r;
            if (slot.empty()) erase_attribute(t);
            return {};
        }

        json next = *value;
        if (def != nullptr && next.is_array()) {  // a one-element array for a single-valued attribute
            if (next.size() > 1)
                return invalid_value("'" + t.to_string() + "' is single-valued, got " +
                                     std::to_string(next.size()) + " values");
            next = next.empty() ? json() : json(next[0]);
        }
        if (def == nullptr && next.is_object()) next = canonical_members(next, nullptr, true);
        if (is_unassigned(next, false)) {
            if (auto r = check_immutable(def, t, current, nullptr); !r) return r;
            if (assigned) erase_attribute(t);
            return {};
        }
        if (auto r = check_immutable(def, t, current, &next); !r) return r;
        write_attribute(t) = std::move(next);
        return {};
    }

    /// The value for a single-valued complex attribute, as an object of canonical sub-attributes, or null for
    /// "unassign it": a one-element array gives its element, a scalar its {"value": scalar}.
    boost::system::result<json, error> complex_value(const patch_target& t, const resource::attribute* def,
                                                     const json& value) const {
        const json* v = &value;
        if (v->is_array()) {
            if (v->size() > 1)
                return invalid_value("'" + t.to_string() + "' is single-valued, got " +
                                     std::to_string(v->size()) + " values");
            if (v->empty()) return json();
            v = &(*v)[0];
        }
        if (is_unassigned(*v, true)) return json();
        if (v->is_object()) return canonical_members(*v, def, false);
        if (has_value_sub_attribute(def)) return json{{"value", *v}};
        return invalid_value("the value for '" + t.to_string() + "' must be an object of sub-attributes");
    }

    /// Merges `next` (canonical sub-attribute names; null members unassign) into `slot` (RFC 7644 §3.5.2.3:
    /// sub-attributes not given stay). When the "value" of a reference (an attribute with "$ref") changes,
    /// the derived sub-attributes not given are dropped.
    status merge_complex(const patch_target& t, const resource::attribute* def, json& slot,
                         const json& next) {
        if (!slot.is_object()) {
            json old = std::move(slot);
            slot = json::object();
            if (!old.is_null() && !old.is_array() && !old.is_object() && has_value_sub_attribute(def))
                slot["value"] = std::move(old);
        }
        const bool reference = def != nullptr ? def->find_sub_attribute("$ref") != nullptr
                                              : resource::json_member(slot, "$ref") != nullptr;
        if (const json* nv = resource::json_member(next, "value");
            reference && nv != nullptr && !nv->is_null()) {
            const json* ov = member(slot, "value");
            if (ov != nullptr && *ov != *nv) {
                for (std::string_view d : derived_sub_attributes)
                    if (resource::json_member(next, d) == nullptr) erase_member(slot, d);
            }
        }
        for (auto it = next.begin(); it != next.end(); ++it) {
            const resource::attribute* sub = def != nullptr ? def->find_sub_attribute(it.key()) : nullptr;
            json* old = member(slot, it.key());
            const json* incoming = it.value().is_null() ? nullptr : &it.value();
            if (sub != nullptr) {
                if (auto r = check_immutable(sub, t, old, incoming, it.key()); !r) return r;
            }
            if (incoming == nullptr) {
                erase_member(slot, it.key());
            } else {
                write_member(slot, it.key(), sub != nullptr) = *incoming;
            }
        }
        return {};
    }

    // --- sub-attribute of a single-valued complex attribute ------------------------------------------------

    status apply_sub_attribute(op_kind kind, const patch_target& t, const json* value) {
        json* current = current_attribute(t);
        json* old = current != nullptr ? member(*current, t.sub_attribute) : nullptr;
        const bool unassign = kind == op_kind::remove || is_unassigned(*value, false);
        if (unassign) {
            if (old == nullptr) return {};
            if (auto r = check_immutable(t.sub_definition, t, old, nullptr); !r) return r;
            erase_member(*current, t.sub_attribute);
            if (current->empty()) erase_attribute(t);
            return {};
        }
        json next = *value;
        if (t.sub_definition != nullptr && next.is_array() && next.size() == 1) next = json(next[0]);
        if (auto r = check_immutable(t.sub_definition, t, old, &next); !r) return r;
        json patch = json::object();
        patch[t.sub_attribute] = std::move(next);
        json& slot = write_attribute(t);
        return merge_complex(t, t.definition, slot, patch);
    }

    // --- values of a multi-valued attribute ----------------------------------------------------------------

    /// Operations on the values `selector` selects (all values when nullptr), or on their sub-attribute.
    status apply_values(op_kind kind, const patch_target& t, const json* value, const filter* selector) {
        const resource::attribute* def = t.definition;
        json* current = current_attribute(t);
        const bool assigned = current != nullptr && !current->is_null();

        if (kind == op_kind::remove) {
            if (!assigned) return {};
            if (!current->is_array()) *current = json::array({std::move(*current)});
            canonicalize_elements(*current, def);
            const std::vector<std::size_t> hits = select(*current, def, selector);
            if (hits.empty()) return {};
            if (t.sub_attribute.empty()) {
                erase_indices(*current, hits);
            } else {
                for (std::size_t i : hits) {
                    json& e = (*current)[i];
                    json* old = member(e, t.sub_attribute);
                    if (old == nullptr) continue;
                    if (auto r = check_immutable(t.sub_definition, t, old, nullptr); !r) return r;
                    erase_member(e, t.sub_attribute);
                }
            }
            if (current->empty()) erase_attribute(t);
            return {};
        }

        // add / replace: update the selected values, or create one when none is selected.
        json next = *value;
        if (next.is_array()) {
            if (next.size() > 1)
                return invalid_value("'" + t.to_string() + "' selects values one at a time, got " +
                                     std::to_string(next.size()) + " values");
            next = next.empty() ? json() : json(next[0]);
        }
        const bool unassign = t.sub_attribute.empty() ? is_unassigned(next, is_complex(def)) : next.is_null();
        if (unassign && !assigned) return {};

        json& slot = write_attribute(t);
        if (!slot.is_array()) slot = slot.is_null() ? json::array() : json::array({std::move(slot)});
        canonicalize_elements(slot, def);
        std::vector<std::size_t> hits = select(slot, def, selector);

        if (unassign) {
            if (t.sub_attribute.empty()) {
                if (kind == op_kind::replace) erase_indices(slot, hits);
            } else {
                for (std::size_t i : hits) {
                    json* old = member(slot[i], t.sub_attribute);
                    if (old == nullptr) continue;
                    if (auto r = check_immutable(t.sub_definition, t, old, nullptr); !r) return r;
                    erase_member(slot[i], t.sub_attribute);
                }
            }
            if (slot.empty()) erase_attribute(t);
            return {};
        }

        if (hits.empty()) {
            auto created = element_from_filter(t, def, selector);
            if (!created) return created.error();
            slot.push_back(std::move(*created));
            hits.push_back(slot.size() - 1);
        }
        for (std::size_t i : hits) {
            if (auto r = update_element(t, def, slot[i], next); !r) return r;
        }
        return settle_primary(t, slot, hits);
    }

    /// Writes `next` into one selected value: its sub-attribute, or (no sub-attribute) the value itself,
    /// merged when both are objects.
    status update_element(const patch_target& t, const resource::attribute* def, json& element,
                          const json& next) {
        if (!t.sub_attribute.empty()) {
            if (!element.is_object()) {
                if (!element.is_null() && !is_complex(def))
                    return invalid_value("the values of '" + t.attribute + "' have no sub-attributes");
                element = element.is_null() ? json::object() : json{{"value", std::move(element)}};
            }
            json* old = member(element, t.sub_attribute);
            if (auto r = check_immutable(t.sub_definition, t, old, &next); !r) return r;
            json patch = json::object();
            patch[t.sub_attribute] = next;
            return merge_complex(t, def, element, patch);
        }
        json incoming = canonical_element(next, def);
        if (element.is_object() && incoming.is_object())  // merged; null members unassign
            return merge_complex(t, def, element,
                                 next.is_object() ? canonical_members(next, def, false) : incoming);
        if (is_complex(def) && !incoming.is_object())
            return invalid_value("the value for '" + t.to_string() + "' must be an object of sub-attributes");
        element = std::move(incoming);
        return {};
    }

    /// RFC 7644 §3.5.2.1/§3.5.2.3: when a value filter selects nothing, Entra and others expect the value
    /// to be created; it starts from the filter's equality terms (`type eq "work"` gives {"type": "work"}).
    /// Filters that are not an `and` of `eq` terms describe no value: 400 noTarget.
    boost::system::result<json, error> element_from_filter(const patch_target& t,
                                                           const resource::attribute* def,
                                                           const filter* selector) const {
        json out = json::object();
        if (selector != nullptr && !selector->empty()) {
            std::vector<node_index> pending{selector->root()};
            while (!pending.empty()) {
                const filter_node& n = selector->node(pending.back());
                pending.pop_back();
                if (const auto* l = std::get_if<logical_node>(&n);
                    l != nullptr && l->op == logical_op::and_) {
                    pending.push_back(l->rhs);
                    pending.push_back(l->lhs);
                    continue;
                }
                const auto* c = std::get_if<comparison_node>(&n);
                if (c == nullptr || c->op != compare_op::eq || c->value.is_null() ||
                    !c->path.schema_urn.empty() || !c->path.sub_attribute.empty())
                    return no_target("no value of '" + t.attribute + "' matches '" + t.to_string() +
                                     "', and the filter does not describe one to create (use 'eq' terms "
                                     "joined by 'and')");
                const resource::attribute* sub =
                    def != nullptr ? def->find_sub_attribute(c->path.attribute) : nullptr;
                write_member(out, sub != nullptr ? sub->name : c->path.attribute, sub != nullptr) = c->value;
            }
        }
        if (def != nullptr && !is_complex(def)) {  // simple multi-valued: the filter can only name "value"
            const json* v = resource::json_member(out, "value");
            if (out.size() != 1 || v == nullptr)
                return no_target("no value of '" + t.attribute + "' matches '" + t.to_string() + "'");
            return *v;
        }
        return out;
    }

    /// Add (RFC 7644 §3.5.2.1) of values to a multi-valued attribute. A value whose "value" equals a stored
    /// value's (and whose "type" agrees) is merged into it, a value without "value" equal to a stored one is
    /// skipped, so repeating an add changes nothing. Linear in the number of stored values.
    status append_values(const patch_target& t, std::vector<json> elements) {
        const resource::attribute* def = t.definition;
        json& slot = write_attribute(t);
        if (!slot.is_array()) slot = slot.is_null() ? json::array() : json::array({std::move(slot)});
        canonicalize_elements(slot, def);
        std::unordered_multimap<std::string, std::size_t> index;
        index.reserve(slot.size() + elements.size());
        for (std::size_t i = 0; i < slot.size(); ++i) index.emplace(value_key(slot[i]), i);

        std::vector<std::size_t> touched;
        for (auto& e : elements) {
            if (is_unassigned(e, is_complex(def))) continue;
            const std::string key = value_key(e);
            const bool by_value = key.front() == 'v';
            std::optional<std::size_t> same;
            const auto [first, last] = index.equal_range(key);
            for (auto it = first; it != last && !same; ++it)
                if (!by_value || compatible_types(slot[it->second], e)) same = it->second;
            if (!same) {
                slot.push_back(std::move(e));
                index.emplace(key, slot.size() - 1);
                touched.push_back(slot.size() - 1);
            } else if (by_value) {
                // The types agree ignoring case; the stored spelling stays (type may be immutable).
                if (resource::json_member(slot[*same], "type") != nullptr) erase_member(e, "type");
                if (auto r = merge_complex(t, def, slot[*same], e); !r) return r;
                touched.push_back(*same);
            }
        }
        return settle_primary(t, slot, touched);
    }

    /// Entra's `{"op":"Remove","path":"members","value":[{"value":"id"}]}`: removes only the listed values,
    /// matched on "value" (or as a whole for values without one).
    status remove_listed(const patch_target& t, json& current, const json& listed) {
        const resource::attribute* def = t.definition;
        if (!current.is_array()) current = json::array({std::move(current)});
        canonicalize_elements(current, def);
        std::unordered_set<std::string> wanted;
        bool whole_values = false;  // some listed value has no "value": compare stored values whole too
        for (const json& e : elements_of(listed, def)) {
            std::string key = value_key(e);
            whole_values = whole_values || key.front() == 'e';
            wanted.insert(std::move(key));
        }
        if (wanted.empty()) return {};
        std::vector<std::size_t> hits;
        for (std::size_t i = 0; i < current.size(); ++i) {
            const json& e = current[i];
            if (wanted.contains(value_key(e)) ||
                (whole_values && e.is_object() && wanted.contains("e" + e.dump())))
                hits.push_back(i);
        }
        erase_indices(current, hits);
        if (current.empty()) erase_attribute(t);
        return {};
    }

    /// Indices of the values `selector` matches (all when nullptr), ascending.
    static std::vector<std::size_t> select(const json& array, const resource::attribute* def,
                                           const filter* selector) {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < array.size(); ++i)
            if (selector == nullptr || matches_value(*selector, array[i], def)) out.push_back(i);
        return out;
    }

    /// Erases the elements at `indices` (ascending) in one pass.
    static void erase_indices(json& array, const std::vector<std::size_t>& indices) {
        if (indices.empty()) return;
        json kept(json::value_t::array);
        auto& src = array.get_ref<json::array_t&>();
        auto& dst = kept.get_ref<json::array_t&>();
        dst.reserve(src.size() - indices.size());
        std::size_t next = 0;
        for (std::size_t i = 0; i < src.size(); ++i) {
            if (next < indices.size() && indices[next] == i) {
                ++next;
                continue;
            }
            dst.push_back(std::move(src[i]));
        }
        array = std::move(kept);
    }

    /// RFC 7643 §2.4: at most one value is primary. When this operation wrote `primary: true` on one of the
    /// `touched` values, the others lose their primary flag; on more than one: 400 invalidValue.
    status settle_primary(const patch_target& t, json& array, const std::vector<std::size_t>& touched) {
        if (t.definition == nullptr || t.definition->find_sub_attribute("primary") == nullptr) return {};
        std::optional<std::size_t> winner;
        for (std::size_t i : touched) {
            if (!is_primary(array[i]) || winner == i) continue;
            if (winner)
                return invalid_value("more than one value of '" + t.attribute + "' is marked primary");
            winner = i;
        }
        if (!winner) return {};
        for (std::size_t i = 0; i < array.size(); ++i)
            if (i != *winner && is_primary(array[i])) erase_member(array[i], "primary");
        return {};
    }

    // --- mutability ----------------------------------------------------------------------------------------

    /// RFC 7643 §7 immutable: may be set where unassigned, never changed or removed afterwards.
    static status check_immutable(const resource::attribute* def, const patch_target& t, const json* current,
                                  const json* next, std::string_view sub_name = {}) {
        if (def == nullptr || def->mutability != resource::mutability::immutable) return {};
        if (current == nullptr || current->is_null()) return {};
        if (next != nullptr && *next == *current) return {};
        std::string name = t.to_string();
        if (!sub_name.empty()) {
            name = t.container.empty() ? t.attribute : t.container + ":" + t.attribute;
            name += "." + std::string(sub_name);
        }
        return mutability_error("'" + name + "' is immutable");
    }

    // --- resource access -----------------------------------------------------------------------------------

    json* container(const patch_target& t) {
        if (t.container.empty()) return &resource_;
        json* c = member(resource_, t.container);
        return c != nullptr && c->is_object() ? c : nullptr;
    }

    json* current_attribute(const patch_target& t) {
        json* c = container(t);
        return c != nullptr ? member(*c, t.attribute) : nullptr;
    }

    /// The container for writing: created (and its URN listed in "schemas") when absent.
    json& write_container(const patch_target& t) {
        if (t.container.empty()) return resource_;
        json* existing = member(resource_, t.container);
        if (existing != nullptr && existing->is_object()) return *existing;
        json& c = write_member(resource_, t.container, t.owner != nullptr);
        c = json::object();
        if (json* schemas = member(resource_, "schemas"); schemas != nullptr && schemas->is_array()) {
            bool listed = false;
            for (const auto& s : *schemas)
                listed = listed || (s.is_string() && same_name(s.get_ref<const std::string&>(), t.container));
            if (!listed) schemas->push_back(t.container);
        }
        return c;
    }

    json& write_attribute(const patch_target& t) {
        return write_member(write_container(t), t.attribute, t.definition != nullptr);
    }

    void erase_attribute(const patch_target& t) {
        if (json* c = container(t)) erase_member(*c, t.attribute);
    }

    void drop_schema_urn(std::string_view urn) {
        json* schemas = member(resource_, "schemas");
        if (schemas == nullptr || !schemas->is_array()) return;
        auto& a = schemas->get_ref<json::array_t&>();
        std::erase_if(a, [urn](const json& s) {
            return s.is_string() && same_name(s.get_ref<const std::string&>(), urn);
        });
    }

    json resource_;
    const resource::resource_schema& schema_;
};

// -----------------------------------------------------------------------------------------------------------
// Request validation
// -----------------------------------------------------------------------------------------------------------

/// Checks one operation's shape and applies it.
status apply_operation(patcher& p, const json& op, const resource::resource_schema& schema) {
    auto shape = read_patch_operation(op);
    if (!shape) return shape.error();
    const auto kind = &shape->op;
    const json* path_text = shape->path;
    const json* value = shape->value;
    if (path_text == nullptr) return p.apply(*kind, nullptr, value);
    auto path = parse_patch_path(path_text->get_ref<const std::string&>());
    if (!path) return path.error();
    auto target = resolve_patch_path(std::move(*path), schema);
    if (!target) return target.error();
    return p.apply(*kind, &*target, value);
}

}  // namespace

boost::system::result<nlohmann::json, error> apply_patch(const nlohmann::json& resource,
                                                         const nlohmann::json& patch_request,
                                                         const resource::resource_schema& schema,
                                                         const patch_limits& limits) {
    auto operations = read_patch_operations(patch_request, limits);
    if (!operations) return operations.error();
    const json* ops = *operations;
    if (!resource.is_object()) return invalid_syntax("the resource to patch is not a JSON object");

    patcher p{resource, schema};
    for (std::size_t i = 0; i < ops->size(); ++i)
        if (auto r = apply_operation(p, (*ops)[i], schema); !r) return in_operation(i, r.error());
    return std::move(p).take();
}

}  // namespace dirsync::scim
