#include "scim/filter.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace dirsync::scim {

std::string_view to_string(compare_op op) noexcept {
    switch (op) {
        case compare_op::eq:
            return "eq";
        case compare_op::ne:
            return "ne";
        case compare_op::co:
            return "co";
        case compare_op::sw:
            return "sw";
        case compare_op::ew:
            return "ew";
        case compare_op::gt:
            return "gt";
        case compare_op::ge:
            return "ge";
        case compare_op::lt:
            return "lt";
        case compare_op::le:
            return "le";
    }
    return "eq";
}

std::string_view to_string(logical_op op) noexcept { return op == logical_op::and_ ? "and" : "or"; }

namespace {

/// Calls fn(child) for each child index of `n`.
template <class F>
void for_each_child(const filter_node& n, F&& fn) {
    if (const auto* l = std::get_if<logical_node>(&n)) {
        fn(l->lhs);
        fn(l->rhs);
    } else if (const auto* neg = std::get_if<negation_node>(&n)) {
        fn(neg->child);
    } else if (const auto* vp = std::get_if<value_path_node>(&n)) {
        fn(vp->inner);
        if (vp->tail) fn(*vp->tail);
    }
}

/// Rewrites each child index of `n` through `map`.
template <class F>
void remap_children(filter_node& n, F&& map) {
    if (auto* l = std::get_if<logical_node>(&n)) {
        l->lhs = map(l->lhs);
        l->rhs = map(l->rhs);
    } else if (auto* neg = std::get_if<negation_node>(&n)) {
        neg->child = map(neg->child);
    } else if (auto* vp = std::get_if<value_path_node>(&n)) {
        vp->inner = map(vp->inner);
        if (vp->tail) vp->tail = map(*vp->tail);
    }
}

}  // namespace

node_index filter::add(filter_node n, std::size_t text_position) {
    const std::size_t next = nodes_.size();
    for_each_child(n, [next](node_index child) {
        if (child >= next)
            throw std::invalid_argument("scim::filter::add: child node does not precede its parent");
    });
    if (next >= std::numeric_limits<node_index>::max())
        throw std::length_error("scim::filter::add: too many nodes");
    nodes_.push_back(std::move(n));
    positions_.push_back(text_position);
    root_ = static_cast<node_index>(next);
    return root_;
}

void filter::set_root(node_index i) {
    if (i >= nodes_.size()) throw std::out_of_range("scim::filter::set_root: no such node");
    root_ = i;
}

filter filter::subtree(node_index i) const {
    filter out;
    if (i >= nodes_.size()) return out;
    std::vector<node_index> reachable;
    std::vector<node_index> stack{i};
    while (!stack.empty()) {
        const node_index k = stack.back();
        stack.pop_back();
        reachable.push_back(k);
        for_each_child(nodes_[k], [&stack](node_index c) { stack.push_back(c); });
    }
    std::sort(reachable.begin(), reachable.end());
    reachable.erase(std::unique(reachable.begin(), reachable.end()), reachable.end());
    std::unordered_map<node_index, node_index> renumber;
    for (const node_index k : reachable) {
        filter_node copy = nodes_[k];
        remap_children(copy, [&renumber](node_index old) { return renumber.at(old); });
        renumber[k] = out.add(std::move(copy), positions_[k]);
    }
    out.set_root(renumber.at(i));
    return out;
}

bool operator==(const filter& a, const filter& b) {
    if (a.empty() || b.empty()) return a.empty() == b.empty();
    std::vector<std::pair<node_index, node_index>> stack{{a.root_, b.root_}};
    while (!stack.empty()) {
        const auto [x, y] = stack.back();
        stack.pop_back();
        const filter_node& nx = a.nodes_[x];
        const filter_node& ny = b.nodes_[y];
        if (nx.index() != ny.index()) return false;
        if (const auto* cx = std::get_if<comparison_node>(&nx)) {
            if (!(*cx == std::get<comparison_node>(ny))) return false;
        } else if (const auto* px = std::get_if<presence_node>(&nx)) {
            if (!(*px == std::get<presence_node>(ny))) return false;
        } else if (const auto* lx = std::get_if<logical_node>(&nx)) {
            const auto& ly = std::get<logical_node>(ny);
            if (lx->op != ly.op) return false;
            stack.emplace_back(lx->lhs, ly.lhs);
            stack.emplace_back(lx->rhs, ly.rhs);
        } else if (const auto* gx = std::get_if<negation_node>(&nx)) {
            stack.emplace_back(gx->child, std::get<negation_node>(ny).child);
        } else {
            const auto& vx = std::get<value_path_node>(nx);
            const auto& vy = std::get<value_path_node>(ny);
            if (!(vx.path == vy.path) || vx.sub_attribute != vy.sub_attribute ||
                vx.tail.has_value() != vy.tail.has_value())
                return false;
            stack.emplace_back(vx.inner, vy.inner);
            if (vx.tail) stack.emplace_back(*vx.tail, *vy.tail);
        }
    }
    return true;
}

namespace {

std::string render_value(const nlohmann::json& v) {
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class renderer {
  public:
    explicit renderer(const filter& f) : f_(f) {}

    void node(node_index i, std::string& out) const {
        const filter_node& n = f_.node(i);
        if (const auto* c = std::get_if<comparison_node>(&n)) {
            out += c->path.to_string();
            comparison_tail(*c, out);
        } else if (const auto* p = std::get_if<presence_node>(&n)) {
            out += p->path.to_string();
            out += " pr";
        } else if (const auto* neg = std::get_if<negation_node>(&n)) {
            out += "not (";
            node(neg->child, out);
            out += ')';
        } else if (const auto* vp = std::get_if<value_path_node>(&n)) {
            out += vp->path.to_string();
            out += '[';
            node(vp->inner, out);
            out += ']';
            if (!vp->sub_attribute.empty()) {
                out += '.';
                out += vp->sub_attribute;
                if (vp->tail) {
                    const filter_node& t = f_.node(*vp->tail);
                    if (const auto* tc = std::get_if<comparison_node>(&t))
                        comparison_tail(*tc, out);
                    else if (std::holds_alternative<presence_node>(t))
                        out += " pr";
                }
            }
        } else {
            chain(i, std::get<logical_node>(n).op, out);
        }
    }

  private:
    static void comparison_tail(const comparison_node& c, std::string& out) {
        out += ' ';
        out += to_string(c.op);
        out += ' ';
        out += render_value(c.value);
    }

    /// Renders a left-deep chain of one logical operator without recursing along the chain.
    void chain(node_index i, logical_op op, std::string& out) const {
        std::vector<node_index> right_operands;
        node_index cur = i;
        while (true) {
            const auto* l = std::get_if<logical_node>(&f_.node(cur));
            if (l == nullptr || l->op != op) break;
            right_operands.push_back(l->rhs);
            cur = l->lhs;
        }
        operand(cur, op, true, out);
        for (auto it = right_operands.rbegin(); it != right_operands.rend(); ++it) {
            out += ' ';
            out += to_string(op);
            out += ' ';
            operand(*it, op, false, out);
        }
    }

    /// The leftmost operand needs parentheses only for an `or` under `and`; a right operand keeps its
    /// grouping unless it binds tighter (an `and` under `or`), so parsing the rendering rebuilds the same
    /// tree.
    void operand(node_index i, logical_op parent, bool leftmost, std::string& out) const {
        const auto* l = std::get_if<logical_node>(&f_.node(i));
        const bool parens =
            l != nullptr && (leftmost ? (parent == logical_op::and_ && l->op == logical_op::or_)
                                      : !(parent == logical_op::or_ && l->op == logical_op::and_));
        if (parens) out += '(';
        node(i, out);
        if (parens) out += ')';
    }

    const filter& f_;
};

}  // namespace

std::string to_string(const filter& f) {
    std::string out;
    if (!f.empty()) renderer{f}.node(f.root(), out);
    return out;
}

}  // namespace dirsync::scim
