#include "scim/group_collection.hpp"

#include <array>
#include <variant>

#include "common/ascii.hpp"
#include "resource/schema.hpp"
#include "scim/group_resource.hpp"

namespace dirsync::scim {

const resource::resource_schema& group_collection::schema() const { return schema_; }

std::int64_t group_collection::count() const { return dir_.count_groups(tenant_); }

void group_collection::list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const {
    if (limit <= 0) return;
    for (const auto& g : dir_.list_groups(tenant_, offset, limit, with_members_))
        if (!visit(render_group(g, groups_url_))) return;
}

void group_collection::scan(const filter& f, const resource_visitor& visit) const {
    static constexpr std::array<std::string_view, 3> indexed = {"id", "displayName", "externalId"};
    if (auto key = f.empty() ? std::nullopt : find_index_equality(f, indexed)) {
        const directory::group_index index = key->attribute == "id" ? directory::group_index::id
                                             : key->attribute == "displayName"
                                                 ? directory::group_index::display_name
                                                 : directory::group_index::external_id;
        for (const auto& g : dir_.find_groups(tenant_, index, key->value, with_members_))
            if (!visit(render_group(g, groups_url_))) return;
        return;
    }
    dir_.scan_groups(
        tenant_, [&](directory::group&& g) { return visit(render_group(g, groups_url_)); }, with_members_);
}

std::optional<nlohmann::json> group_collection::find(std::string_view id) const {
    auto g = dir_.get_group(tenant_, id, with_members_);
    if (!g) return std::nullopt;
    return render_group(*g, groups_url_);
}

bool filter_mentions_members(const filter& f) {
    for (std::size_t i = 0; i < f.size(); ++i) {
        const attribute_path* p = nullptr;
        const filter_node& n = f.node(static_cast<node_index>(i));
        if (const auto* c = std::get_if<comparison_node>(&n)) p = &c->path;
        if (const auto* pr = std::get_if<presence_node>(&n)) p = &pr->path;
        if (const auto* vp = std::get_if<value_path_node>(&n)) p = &vp->path;
        if (p != nullptr && common::iequals_ascii(p->attribute, "members")) return true;
    }
    return false;
}

search_target group_search_target(const directory::tenant_directory& dir, std::string tenant,
                                  std::string groups_url, const resource::resource_schema& schema) {
    search_target t;
    t.schema = &schema;
    t.open = [&dir, &schema, tenant = std::move(tenant),
              groups_url = std::move(groups_url)](const search_needs& needs) {
        const bool with_members =
            is_returned(needs.shape, "members") ||
            (needs.match != nullptr && filter_mentions_members(*needs.match)) ||
            (needs.sort != nullptr && common::iequals_ascii(needs.sort->path.attribute, "members"));
        return std::make_unique<group_collection>(dir, tenant, groups_url, with_members, schema);
    };
    return t;
}

}  // namespace dirsync::scim
