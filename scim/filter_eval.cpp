#include <compare>
#include <cstdint>
#include <optional>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "common/clock.hpp"
#include "resource/json_lookup.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

namespace {

using nlohmann::json;

enum class outcome { match, no_match, incomparable };

outcome to_outcome(bool b) noexcept { return b ? outcome::match : outcome::no_match; }

bool is_ordering(compare_op op) noexcept {
    return op == compare_op::gt || op == compare_op::ge || op == compare_op::lt || op == compare_op::le;
}

bool is_substring(compare_op op) noexcept {
    return op == compare_op::co || op == compare_op::sw || op == compare_op::ew;
}

template <class Ordering>
outcome apply_ordering(compare_op op, Ordering c) noexcept {
    switch (op) {
        case compare_op::eq:
            return to_outcome(c == 0);
        case compare_op::ne:
            return to_outcome(c != 0);
        case compare_op::gt:
            return to_outcome(c > 0);
        case compare_op::ge:
            return to_outcome(c >= 0);
        case compare_op::lt:
            return to_outcome(c < 0);
        case compare_op::le:
            return to_outcome(c <= 0);
        default:
            return outcome::incomparable;
    }
}

outcome compare_strings(const json& x, const json& v, compare_op op, bool case_exact) {
    if (!x.is_string() || !v.is_string()) return outcome::incomparable;
    const auto& a = x.get_ref<const std::string&>();
    const auto& b = v.get_ref<const std::string&>();
    std::string fa, fb;
    std::string_view sa = a, sb = b;
    if (!case_exact) {
        fa = common::fold_case(a);
        fb = common::fold_case(b);
        sa = fa;
        sb = fb;
    }
    switch (op) {
        case compare_op::co:
            return to_outcome(sa.find(sb) != std::string_view::npos);
        case compare_op::sw:
            return to_outcome(sa.starts_with(sb));
        case compare_op::ew:
            return to_outcome(sa.ends_with(sb));
        default:
            return apply_ordering(op, sa.compare(sb));
    }
}

std::optional<std::partial_ordering> compare_numbers(const json& x, const json& v) noexcept {
    if (!x.is_number() || !v.is_number()) return std::nullopt;
    if (x.is_number_integer() && v.is_number_integer()) {
        const bool xu = x.is_number_unsigned(), vu = v.is_number_unsigned();
        if (xu && vu) return x.get<std::uint64_t>() <=> v.get<std::uint64_t>();
        if (!xu && !vu) return x.get<std::int64_t>() <=> v.get<std::int64_t>();
        if (xu) {  // x unsigned, v signed
            const auto s = v.get<std::int64_t>();
            if (s < 0) return std::partial_ordering::greater;
            return x.get<std::uint64_t>() <=> static_cast<std::uint64_t>(s);
        }
        const auto s = x.get<std::int64_t>();
        if (s < 0) return std::partial_ordering::less;
        return static_cast<std::uint64_t>(s) <=> v.get<std::uint64_t>();
    }
    return x.get<double>() <=> v.get<double>();
}

/// Compares one attribute value `x` (never an object or null) with the filter value `v` by the attribute's
/// type; `ne` is never passed here.
outcome compare_scalar(const json& x, const resource::attribute* def, compare_op op, const json& v) {
    resource::attribute_type type;
    bool case_exact = false;
    if (def != nullptr) {
        type = def->type;
        case_exact = def->case_exact;
    } else if (v.is_boolean()) {
        type = resource::attribute_type::boolean;
    } else if (x.is_string()) {
        type = resource::attribute_type::string;
    } else if (x.is_number()) {
        type = resource::attribute_type::decimal;
    } else if (x.is_boolean()) {
        type = resource::attribute_type::boolean;
    } else {
        return outcome::incomparable;
    }
    switch (type) {
        case resource::attribute_type::string:
        case resource::attribute_type::reference:
            return compare_strings(x, v, op, case_exact);
        case resource::attribute_type::binary:
            if (is_ordering(op)) return outcome::incomparable;
            return compare_strings(x, v, op, true);
        case resource::attribute_type::boolean: {
            if (op != compare_op::eq) return outcome::incomparable;
            const auto bx = resource::json_boolean(x);
            const auto bv = resource::json_boolean(v);
            if (!bx || !bv) return outcome::incomparable;
            return to_outcome(*bx == *bv);
        }
        case resource::attribute_type::integer:
        case resource::attribute_type::decimal: {
            if (is_substring(op)) return outcome::incomparable;
            const auto c = compare_numbers(x, v);
            if (!c) return outcome::incomparable;
            return apply_ordering(op, *c);
        }
        case resource::attribute_type::date_time: {
            if (!x.is_string() || !v.is_string()) return outcome::incomparable;
            if (is_substring(op)) return compare_strings(x, v, op, false);
            const auto tx = common::parse_rfc3339(x.get_ref<const std::string&>());
            const auto tv = common::parse_rfc3339(v.get_ref<const std::string&>());
            if (!tx || !tv) return outcome::incomparable;
            return apply_ordering(op, *tx <=> *tv);
        }
        case resource::attribute_type::complex:
            return outcome::incomparable;
    }
    return outcome::incomparable;
}

/// Where an attribute path points inside the current context.
struct located {
    const json* value = nullptr;  ///< the attribute's JSON value; nullptr when absent or hidden
    const resource::attribute* top =
        nullptr;  ///< definition of the named (top-level or value-scope) attribute
    const resource::attribute* leaf = nullptr;  ///< definition of what the whole path names
};

/// The object a (sub-)filter is evaluated against.
struct context {
    const json* object = nullptr;                 ///< the resource, or one value of a multi-valued attribute
    const resource::attribute* parent = nullptr;  ///< in value scope: the multi-valued attribute
    bool value_scope = false;
};

/// Calls fn(x) for each value the path reaches (arrays flattened one level, sub-attributes collected from
/// every element) until fn returns true; returns whether it did.
template <class F>
bool for_each_value(const json* v, std::string_view sub, F&& fn) {
    if (v == nullptr) return false;
    const auto flat = [&fn](const json& x) {
        if (!x.is_array()) return fn(x);
        for (const auto& e : x)
            if (fn(e)) return true;
        return false;
    };
    if (sub.empty()) return flat(*v);
    const auto item = [&](const json& x) {
        const json* s = x.is_object() ? resource::json_member(x, sub) : nullptr;
        return s != nullptr && flat(*s);
    };
    if (!v->is_array()) return item(*v);
    for (const auto& e : *v)
        if (item(e)) return true;
    return false;
}

bool non_empty(const json& x) noexcept {
    if (x.is_null()) return false;
    if (x.is_string()) return !x.get_ref<const std::string&>().empty();
    if (x.is_array() || x.is_object()) return !x.empty();
    return true;
}

class evaluator {
  public:
    evaluator(const filter& f, const resource::resource_schema* schema) : f_(f), schema_(schema) {}

    bool eval(node_index i, const context& ctx) const {
        const filter_node& n = f_.node(i);
        if (const auto* c = std::get_if<comparison_node>(&n)) return compare(*c, ctx);
        if (const auto* p = std::get_if<presence_node>(&n)) return present(p->path, ctx);
        if (const auto* neg = std::get_if<negation_node>(&n)) return !eval(neg->child, ctx);
        if (const auto* vp = std::get_if<value_path_node>(&n)) return value_path(*vp, ctx);
        // A left-deep chain of one operator is walked iteratively; only a change of operator (which needs
        // parentheses or precedence, both depth-limited by the parser) recurses.
        const logical_op op = std::get<logical_node>(n).op;
        node_index cur = i;
        while (true) {
            const auto* l = std::get_if<logical_node>(&f_.node(cur));
            if (l == nullptr || l->op != op) return eval(cur, ctx);
            const bool r = eval(l->rhs, ctx);
            if (op == logical_op::and_ && !r) return false;
            if (op == logical_op::or_ && r) return true;
            cur = l->lhs;
        }
    }

  private:
    located locate(const attribute_path& p, const context& ctx) const {
        located out;
        const json* container = nullptr;
        if (ctx.value_scope) {
            container = ctx.object;
            if (ctx.parent != nullptr) out.top = ctx.parent->find_sub_attribute(p.attribute);
            if (p.sub_attribute.empty())
                out.leaf = out.top;
            else if (out.top != nullptr)
                out.leaf = out.top->find_sub_attribute(p.sub_attribute);
            if (!container->is_object()) {
                // A simple multi-valued attribute: the value itself answers to "value".
                if (common::iequals_ascii(p.attribute, "value") && p.sub_attribute.empty())
                    out.value = container;
                return out;
            }
        } else {
            const resource::attribute_lookup found =
                schema_->find(p.schema_urn, p.attribute, p.sub_attribute);
            out.top = found.top;
            out.leaf = found.leaf;
            const resource::schema* owner = found.owner;
            if (owner == nullptr && !p.schema_urn.empty()) owner = schema_->find_schema(p.schema_urn);
            if (owner != nullptr)
                container =
                    schema_->is_core(owner) ? ctx.object : resource::json_member(*ctx.object, owner->id);
            else if (p.schema_urn.empty())
                container = ctx.object;
            else
                container = resource::json_member(*ctx.object, p.schema_urn);
        }
        if ((out.top != nullptr && out.top->returned == resource::returned::never) ||
            (out.leaf != nullptr && out.leaf->returned == resource::returned::never))
            return out;  // never returned, never filterable: looks absent
        if (container != nullptr) out.value = resource::json_member(*container, p.attribute);
        return out;
    }

    bool present(const attribute_path& p, const context& ctx) const {
        const located loc = locate(p, ctx);
        return for_each_value(loc.value, p.sub_attribute, [](const json& x) { return non_empty(x); });
    }

    bool compare(const comparison_node& c, const context& ctx) const {
        if (c.value.is_null()) {
            if (c.op == compare_op::eq) return !present(c.path, ctx);
            if (c.op == compare_op::ne) return present(c.path, ctx);
            return false;
        }
        const located loc = locate(c.path, ctx);
        const compare_op op = c.op == compare_op::ne ? compare_op::eq : c.op;
        bool any_value = false, any_equal = false, any_unequal = false;
        const bool stopped = for_each_value(loc.value, c.path.sub_attribute, [&](const json& x) {
            const json* y = &x;
            const resource::attribute* def = loc.leaf;
            if (x.is_object()) {  // complex value without a sub-attribute: compare its "value"
                y = resource::json_member(x, "value");
                def = def != nullptr ? def->find_sub_attribute("value") : nullptr;
                if (y == nullptr) return false;
            }
            if (y->is_null()) return false;
            any_value = true;
            switch (compare_scalar(*y, def, op, c.value)) {
                case outcome::match:
                    any_equal = true;
                    return true;
                case outcome::no_match:
                    any_unequal = true;
                    return false;
                case outcome::incomparable:
                    return false;
            }
            return false;
        });
        if (c.op != compare_op::ne) return stopped;
        return !any_equal && (any_unequal || !any_value);
    }

    bool value_path(const value_path_node& vp, const context& ctx) const {
        const located loc = locate(vp.path, ctx);
        if (loc.value == nullptr) return false;
        const auto check = [&](const json& element) {
            const context inner{&element, loc.top, true};
            if (!eval(vp.inner, inner)) return false;
            if (vp.tail) return eval(*vp.tail, inner);
            if (!vp.sub_attribute.empty()) return present(attribute_path{{}, vp.sub_attribute, {}}, inner);
            return true;
        };
        if (!loc.value->is_array()) return check(*loc.value);
        for (const auto& e : *loc.value)
            if (check(e)) return true;
        return false;
    }

    const filter& f_;
    const resource::resource_schema* schema_;
};

}  // namespace

bool matches(const filter& f, const nlohmann::json& resource, const resource::resource_schema& schema) {
    if (f.empty()) return true;
    if (!resource.is_object()) return false;
    return evaluator{f, &schema}.eval(f.root(), context{&resource, nullptr, false});
}

bool matches_value(const filter& value_filter, const nlohmann::json& value,
                   const resource::attribute* multi_valued_attribute) {
    if (value_filter.empty()) return true;
    return evaluator{value_filter, nullptr}.eval(value_filter.root(),
                                                 context{&value, multi_valued_attribute, true});
}

}  // namespace dirsync::scim
