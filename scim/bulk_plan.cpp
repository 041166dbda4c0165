#include "scim/bulk_plan.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

constexpr std::string_view reference_prefix = "bulkId:";

/// Visits every string value of `root` (not keys) in document order, without recursion, so a deeply nested
/// body cannot exhaust the stack.
template <class Json, class Visit>
void for_each_string(Json& root, Visit&& visit) {
    std::vector<Json*> pending{&root};
    while (!pending.empty()) {
        Json* node = pending.back();
        pending.pop_back();
        if (node->is_string())
            visit(*node);
        else if (node->is_structured())
            for (auto child = node->rbegin(); child != node->rend(); ++child) pending.push_back(&*child);
    }
}

}  // namespace

std::optional<std::string_view> bulk_id_reference(std::string_view value) noexcept {
    if (value.size() <= reference_prefix.size() ||
        value.substr(0, reference_prefix.size()) != reference_prefix)
        return std::nullopt;
    return value.substr(reference_prefix.size());
}

std::vector<std::string> referenced_bulk_ids(const bulk_operation& op) {
    std::vector<std::string> out;
    std::set<std::string_view> seen;  // views into `op`, which outlives this call
    auto add_once = [&](std::string_view ref) {
        if (seen.insert(ref).second) out.emplace_back(ref);
    };
    if (auto ref = bulk_id_reference(op.id)) add_once(*ref);
    for_each_string(op.data, [&](const json& s) {
        if (auto ref = bulk_id_reference(s.get_ref<const std::string&>())) add_once(*ref);
    });
    return out;
}

std::vector<bulk_step> plan_bulk(const std::vector<bulk_operation>& operations) {
    const std::size_t n = operations.size();
    bulk_id_table table(operations);

    // Edges: operation -> the POSTs whose bulkIds it references. Unknown bulkIds add no edge; they fail
    // when the operation runs.
    std::vector<std::vector<std::size_t>> depends(n);
    std::vector<bool> self_reference(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        if (operations[i].failure) continue;
        for (const auto& ref : referenced_bulk_ids(operations[i])) {
            auto post = table.defined_by(ref);
            if (!post) continue;
            if (*post == i)
                self_reference[i] = true;
            else
                depends[i].push_back(*post);
        }
    }

    // Tarjan's strongly connected components, iteratively. A component is complete only after every
    // component it depends on, so emitting components as they complete gives dependencies first; roots are
    // taken in request order, so independent operations keep that order.
    constexpr std::size_t unvisited = static_cast<std::size_t>(-1);
    std::vector<std::size_t> index(n, unvisited), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> component_stack;
    std::vector<std::pair<std::size_t, std::size_t>> calls;  // (operation, next edge to follow)
    std::vector<bulk_step> plan;
    plan.reserve(n);
    std::size_t next_index = 0;

    auto enter = [&](std::size_t v) {
        index[v] = low[v] = next_index++;
        component_stack.push_back(v);
        on_stack[v] = true;
        calls.emplace_back(v, 0);
    };

    for (std::size_t root = 0; root < n; ++root) {
        if (index[root] != unvisited) continue;
        enter(root);
        while (!calls.empty()) {
            const std::size_t v = calls.back().first;
            const std::size_t edge = calls.back().second;
            if (edge < depends[v].size()) {
                ++calls.back().second;
                const std::size_t w = depends[v][edge];
                if (index[w] == unvisited)
                    enter(w);
                else if (on_stack[w])
                    low[v] = std::min(low[v], index[w]);
                continue;
            }
            calls.pop_back();
            if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[v]);
            if (low[v] != index[v]) continue;
            auto first = std::find(component_stack.begin(), component_stack.end(), v);
            std::vector<std::size_t> component(first, component_stack.end());
            component_stack.erase(first, component_stack.end());
            std::sort(component.begin(), component.end());
            const bool cycle = component.size() > 1 || self_reference[v];
            for (auto member : component) {
                on_stack[member] = false;
                plan.push_back({member, cycle});
            }
        }
    }
    return plan;
}

bulk_id_table::bulk_id_table(const std::vector<bulk_operation>& operations) {
    for (std::size_t i = 0; i < operations.size(); ++i) {
        const auto& op = operations[i];
        if (op.failure || op.verb != bulk_method::post || !op.bulk_id) continue;
        entries_.try_emplace(*op.bulk_id, entry{i, std::nullopt});
    }
}

std::optional<std::size_t> bulk_id_table::defined_by(std::string_view bulk_id) const {
    auto it = entries_.find(bulk_id);
    if (it == entries_.end()) return std::nullopt;
    return it->second.operation;
}

void bulk_id_table::created(std::string_view bulk_id, std::string id) {
    if (auto it = entries_.find(bulk_id); it != entries_.end()) it->second.id = std::move(id);
}

boost::system::result<std::string, error> bulk_id_table::resolve(std::string_view bulk_id) const {
    auto it = entries_.find(bulk_id);
    if (it == entries_.end())
        return error(
            409, "invalidValue",
            "bulkId \"" + std::string(bulk_id) + "\" is not the bulkId of any valid POST in this request");
    if (!it->second.id)
        return error(409, "invalidValue",
                     "bulkId \"" + std::string(bulk_id) + "\" cannot be resolved: its POST (Operations[" +
                         std::to_string(it->second.operation) + "]) did not create a resource");
    return *it->second.id;
}

boost::system::result<void, error> bulk_id_table::resolve_references(bulk_operation& op) const {
    if (auto ref = bulk_id_reference(op.id)) {
        auto id = resolve(*ref);
        if (!id) return id.error();
        op.id = std::move(*id);
    }
    std::optional<error> failure;
    for_each_string(op.data, [&](json& s) {
        if (failure) return;
        auto ref = bulk_id_reference(s.get_ref<const std::string&>());
        if (!ref) return;
        auto id = resolve(*ref);
        if (!id)
            failure = id.error();
        else
            s = std::move(*id);
    });
    if (failure) return *failure;
    return {};
}

}  // namespace dirsync::scim
