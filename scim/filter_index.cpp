#include <algorithm>
#include <vector>

#include "common/ascii.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

namespace {

/// Values one indexed attribute must take for a match; rank is the attribute's place in the caller's list.
struct candidate {
    std::size_t rank = 0;
    std::vector<std::string> values;
};

bool is_core_urn(std::string_view urn) noexcept {
    return common::iequals_ascii(urn, resource::core_user_urn) ||
           common::iequals_ascii(urn, resource::core_group_urn);
}

bool same_schema(std::string_view a, std::string_view b) noexcept {
    return common::iequals_ascii(a, b) || (a.empty() && is_core_urn(b)) || (b.empty() && is_core_urn(a));
}

/// The better of two necessary conditions of one conjunction: fewer values, then the attribute listed first.
std::optional<candidate> better(std::optional<candidate> a, std::optional<candidate> b) {
    if (!a) return b;
    if (!b) return a;
    if (b->values.size() < a->values.size() || (b->values.size() == a->values.size() && b->rank < a->rank))
        return b;
    return a;
}

class finder {
  public:
    finder(const filter& f, std::span<const std::string_view> indexed, bool allow_or)
        : f_(f), allow_or_(allow_or) {
        for (const auto name : indexed) {
            auto p = parse_attribute_path(name);
            indexed_.push_back(p ? std::optional<attribute_path>(std::move(*p)) : std::nullopt);
        }
    }

    /// A condition necessary for node i to match. `parent` is the enclosing value path's attribute.
    std::optional<candidate> necessary(node_index i, const attribute_path* parent) const {
        const filter_node& n = f_.node(i);
        if (const auto* c = std::get_if<comparison_node>(&n)) return equality(*c, parent);
        if (const auto* vp = std::get_if<value_path_node>(&n)) {
            if (parent != nullptr) return std::nullopt;
            auto inner = necessary(vp->inner, &vp->path);
            if (vp->tail) inner = better(std::move(inner), necessary(*vp->tail, &vp->path));
            return inner;
        }
        const auto* l = std::get_if<logical_node>(&n);
        if (l == nullptr) return std::nullopt;  // presence, negation
        // Collect the operands of this operator's chain without recursing along it.
        std::vector<node_index> operands;
        std::vector<node_index> pending{i};
        while (!pending.empty()) {
            const node_index k = pending.back();
            pending.pop_back();
            const auto* kl = std::get_if<logical_node>(&f_.node(k));
            if (kl != nullptr && kl->op == l->op) {
                pending.push_back(kl->rhs);
                pending.push_back(kl->lhs);
            } else {
                operands.push_back(k);
            }
        }
        if (l->op == logical_op::and_) {
            std::optional<candidate> best;
            for (const node_index k : operands) best = better(std::move(best), necessary(k, parent));
            return best;
        }
        if (!allow_or_) return std::nullopt;
        std::optional<candidate> all;
        for (const node_index k : operands) {
            auto c = necessary(k, parent);
            if (!c || (all && c->rank != all->rank)) return std::nullopt;
            if (!all) {
                all = std::move(c);
                continue;
            }
            for (auto& v : c->values)
                if (std::find(all->values.begin(), all->values.end(), v) == all->values.end())
                    all->values.push_back(std::move(v));
        }
        return all;
    }

  private:
    std::optional<candidate> equality(const comparison_node& c, const attribute_path* parent) const {
        if (c.op != compare_op::eq || !c.value.is_string()) return std::nullopt;
        attribute_path path = c.path;
        if (parent != nullptr) {
            if (!c.path.schema_urn.empty() || !c.path.sub_attribute.empty()) return std::nullopt;
            path = attribute_path{parent->schema_urn, parent->attribute, c.path.attribute};
        }
        for (std::size_t k = 0; k < indexed_.size(); ++k) {
            const auto& want = indexed_[k];
            if (want && common::iequals_ascii(path.attribute, want->attribute) &&
                common::iequals_ascii(path.sub_attribute, want->sub_attribute) &&
                same_schema(path.schema_urn, want->schema_urn))
                return candidate{k, {c.value.get<std::string>()}};
        }
        return std::nullopt;
    }

    const filter& f_;
    bool allow_or_;
    std::vector<std::optional<attribute_path>> indexed_;
};

}  // namespace

std::optional<index_equality> find_index_equality(const filter& f,
                                                  std::span<const std::string_view> indexed_attributes) {
    if (f.empty()) return std::nullopt;
    auto c = finder{f, indexed_attributes, false}.necessary(f.root(), nullptr);
    if (!c || c->values.size() != 1) return std::nullopt;
    return index_equality{std::string(indexed_attributes[c->rank]), std::move(c->values.front())};
}

std::optional<index_alternatives> find_index_alternatives(
    const filter& f, std::span<const std::string_view> indexed_attributes) {
    if (f.empty()) return std::nullopt;
    auto c = finder{f, indexed_attributes, true}.necessary(f.root(), nullptr);
    if (!c) return std::nullopt;
    return index_alternatives{std::string(indexed_attributes[c->rank]), std::move(c->values)};
}

}  // namespace dirsync::scim
