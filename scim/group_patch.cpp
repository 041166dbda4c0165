#include "scim/group_patch.hpp"

#include <charconv>
#include <string>
#include <variant>

#include "common/ascii.hpp"
#include "resource/json_lookup.hpp"
#include "resource/schema.hpp"
#include "scim/filter.hpp"
#include "scim/group_resource.hpp"
#include "scim/patch_path.hpp"
#include "scim/patch_request.hpp"
#include "scim/patch_target.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;
using status = boost::system::result<void, error>;
using directory::member_step;

using op_kind = patch_op;

bool is_members(const patch_target& t, const resource::resource_schema& schema) {
    return t.owner != nullptr && schema.is_core(t.owner) && common::iequals_ascii(t.attribute, "members");
}

bool is_members_key(std::string_view key) {
    if (common::iequals_ascii(key, "members")) return true;
    const std::string_view suffix = ":members";
    return key.size() == resource::core_group_urn.size() + suffix.size() &&
           common::iequals_ascii(key.substr(0, resource::core_group_urn.size()), resource::core_group_urn) &&
           common::iequals_ascii(key.substr(resource::core_group_urn.size()), suffix);
}

/// The ids of a value filter that is `value eq "id"` or an `or` of such; nullopt for any other filter.
std::optional<std::vector<std::string>> value_equalities(const filter& f, node_index i) {
    const filter_node& n = f.node(i);
    if (const auto* c = std::get_if<comparison_node>(&n)) {
        if (c->op != compare_op::eq || !c->value.is_string() || !c->path.schema_urn.empty() ||
            !c->path.sub_attribute.empty() || !common::iequals_ascii(c->path.attribute, "value"))
            return std::nullopt;
        return std::vector<std::string>{c->value.get<std::string>()};
    }
    const auto* l = std::get_if<logical_node>(&n);
    if (l == nullptr || l->op != logical_op::or_) return std::nullopt;
    auto lhs = value_equalities(f, l->lhs);
    auto rhs = value_equalities(f, l->rhs);
    if (!lhs || !rhs) return std::nullopt;
    for (auto& id : *rhs) lhs->push_back(std::move(id));
    return lhs;
}

std::vector<directory::member_ref> refs_of(std::vector<std::string> ids) {
    std::vector<directory::member_ref> out;
    out.reserve(ids.size());
    for (auto& id : ids) out.push_back(directory::member_ref{std::move(id), std::nullopt, std::nullopt});
    return out;
}

class planner {
  public:
    planner(group_patch_plan& plan, const resource::resource_schema& schema) : plan_(plan), schema_(schema) {}

    status operation(std::size_t index, const json& op) {
        auto shape = read_patch_operation(op);
        if (!shape) return shape.error();
        const auto kind = &shape->op;
        const json* path_text = shape->path;
        const json* value = shape->value;
        if (path_text == nullptr) {
            if (*kind == op_kind::remove) return keep(index, op);  // apply_patch answers noTarget
            return without_path(index, op, *kind, *value);
        }
        auto path = parse_patch_path(path_text->get_ref<const std::string&>());
        if (!path) return path.error();
        auto target = resolve_patch_path(std::move(*path), schema_);
        if (!target) return target.error();
        if (target->names_schema() && target->owner != nullptr && schema_.is_core(target->owner) &&
            *kind != op_kind::remove)
            return without_path(index, op, *kind, *value);
        if (!is_members(*target, schema_)) return keep(index, op);
        return members_operation(*kind, *target, value);
    }

  private:
    /// An operation for apply_patch.
    status keep(std::size_t index, json op) {
        if (!plan_.resource_patch)
            plan_.resource_patch =
                json{{"schemas", json::array({std::string(patch_op_urn)})}, {"Operations", json::array()}};
        (*plan_.resource_patch)["Operations"].push_back(std::move(op));
        plan_.resource_operations.push_back(index);
        return {};
    }

    /// A path-less add/replace: the members in the value become member steps, the rest an operation for
    /// apply_patch.
    status without_path(std::size_t index, const json& op, op_kind kind, const json& value) {
        if (!value.is_object() && !value.is_array()) return keep(index, op);
        json rest = value.is_array() ? json::array() : json::object();
        bool members_found = false;
        std::vector<directory::member_ref> refs;
        auto split = [&](const json& object, json& out) -> status {
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (is_members_key(it.key())) {
                    members_found = true;
                    auto r = parse_member_refs(it.value(), "members");
                    if (!r) return r.error();
                    for (auto& m : *r) refs.push_back(std::move(m));
                } else if (common::iequals_ascii(it.key(), resource::core_group_urn) &&
                           it.value().is_object()) {
                    json inner = json::object();
                    for (auto c = it.value().begin(); c != it.value().end(); ++c) {
                        if (common::iequals_ascii(c.key(), "members")) {
                            members_found = true;
                            auto r = parse_member_refs(c.value(), "members");
                            if (!r) return r.error();
                            for (auto& m : *r) refs.push_back(std::move(m));
                        } else {
                            inner[c.key()] = c.value();
                        }
                    }
                    if (!inner.empty()) out[it.key()] = std::move(inner);
                } else {
                    out[it.key()] = it.value();
                }
            }
            return {};
        };
        if (value.is_object()) {
            if (auto r = split(value, rest); !r) return r;
        } else {
            for (const auto& v : value) {
                if (!v.is_object()) return keep(index, op);  // apply_patch explains what is wrong
                json part = json::object();
                if (auto r = split(v, part); !r) return r;
                if (!part.empty()) rest.push_back(std::move(part));
            }
        }
        if (!members_found) return keep(index, op);
        if (kind == op_kind::replace) plan_.member_steps.push_back(member_step::remove_all());
        if (!refs.empty()) plan_.member_steps.push_back(member_step::add(std::move(refs)));
        if (rest.empty()) return {};
        json reduced = op;
        for (auto it = reduced.begin(); it != reduced.end(); ++it)
            if (common::iequals_ascii(it.key(), "value")) it.value() = std::move(rest);
        return keep(index, std::move(reduced));
    }

    status members_operation(op_kind kind, const patch_target& t, const json* value) {
        if (!t.sub_attribute.empty())
            return mutability_error(
                "'" + t.to_string() +
                "' cannot be modified: a member's value, type and $ref are immutable and its "
                "display is readOnly; add or remove the member instead");
        if (t.value_filter) return filtered(kind, t, value);
        switch (kind) {
            case op_kind::add: {
                auto refs = parse_member_refs(*value, "members");
                if (!refs) return refs.error();
                if (!refs->empty()) plan_.member_steps.push_back(member_step::add(std::move(*refs)));
                return {};
            }
            case op_kind::replace: {
                auto refs = parse_member_refs(*value, "members");
                if (!refs) return refs.error();
                plan_.member_steps.push_back(member_step::remove_all());
                if (!refs->empty()) plan_.member_steps.push_back(member_step::add(std::move(*refs)));
                return {};
            }
            case op_kind::remove: {
                if (value == nullptr || value->is_null()) {
                    plan_.member_steps.push_back(member_step::remove_all());
                    return {};
                }
                auto refs = parse_member_refs(*value, "members");
                if (!refs) return refs.error();
                if (!refs->empty()) plan_.member_steps.push_back(member_step::remove(std::move(*refs)));
                return {};
            }
        }
        return {};
    }

    status filtered(op_kind kind, const patch_target& t, const json* value) {
        const filter& f = *t.value_filter;
        auto ids = value_equalities(f, f.root());
        if (kind == op_kind::remove) {
            if (ids) {
                plan_.member_steps.push_back(member_step::remove(refs_of(std::move(*ids))));
                return {};
            }
            const resource::attribute* def = t.definition;
            plan_.member_steps.push_back(
                member_step::remove_matching([f, def](const directory::group_member& m) {
                    json v{{"value", m.id}, {"type", std::string(directory::to_string(m.type))}};
                    if (m.display) v["display"] = *m.display;
                    return matches_value(f, v, def);
                }));
            return {};
        }
        if (!ids || ids->size() != 1)
            return no_target("'" + t.to_string() +
                             "' must select one member by 'value eq \"<id>\"' to add it");
        const std::string& id = ids->front();
        json body = *value;
        if (body.is_array()) {
            if (body.size() > 1)
                return invalid_value("'" + t.to_string() + "' selects one member, got " +
                                     std::to_string(body.size()) + " values");
            body = body.empty() ? json::object() : json(body[0]);
        }
        if (body.is_null()) body = json::object();
        if (!body.is_object())
            return invalid_value("the value for '" + t.to_string() + "' must be a member object");
        if (const json* v = resource::json_member(body, "value"); v == nullptr || v->is_null())
            body["value"] = id;
        auto refs = parse_member_refs(body, "members");
        if (!refs) return refs.error();
        if (refs->size() != 1 || refs->front().id != id)
            return mutability_error("'members.value' is immutable: the value does not match '" +
                                    t.to_string() + "'");
        if (kind == op_kind::replace) plan_.member_steps.push_back(member_step::remove(refs_of({id})));
        plan_.member_steps.push_back(member_step::add(std::move(*refs)));
        return {};
    }

    group_patch_plan& plan_;
    const resource::resource_schema& schema_;
};

/// apply_patch's "Operations[j]: ..." with j its index in the original request.
error renumbered(error e, const std::vector<std::size_t>& original) {
    constexpr std::string_view prefix = "Operations[";
    if (e.detail.compare(0, prefix.size(), prefix) != 0) return e;
    auto close = e.detail.find(']', prefix.size());
    if (close == std::string::npos) return e;
    std::size_t j = 0;
    auto [end, ec] = std::from_chars(e.detail.data() + prefix.size(), e.detail.data() + close, j);
    if (ec != std::errc() || end != e.detail.data() + close || j >= original.size()) return e;
    e.detail = std::string(prefix) + std::to_string(original[j]) + e.detail.substr(close);
    return e;
}

}  // namespace

boost::system::result<group_patch_plan, error> plan_group_patch(const json& patch_request,
                                                                const patch_limits& limits,
                                                                const resource::resource_schema& schema) {
    auto operations = read_patch_operations(patch_request, limits);
    if (!operations) return operations.error();
    const json* ops = *operations;
    group_patch_plan plan;
    planner p(plan, schema);
    for (std::size_t i = 0; i < ops->size(); ++i)
        if (auto r = p.operation(i, (*ops)[i]); !r) return in_operation(i, r.error());
    return plan;
}

boost::system::result<json, error> apply_group_resource_patch(const group_patch_plan& plan,
                                                              const json& rendered,
                                                              const patch_limits& limits,
                                                              const resource::resource_schema& schema) {
    json patched = rendered;
    if (plan.resource_patch) {
        auto r = apply_patch(rendered, *plan.resource_patch, schema, limits);
        if (!r) return renumbered(r.error(), plan.resource_operations);
        patched = std::move(*r);
    }
    auto canonical = canonicalize_group(patched, schema);
    if (!canonical) return canonical.error();
    return std::move(canonical->resource);
}

}  // namespace dirsync::scim
