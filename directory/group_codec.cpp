#include "directory/group_codec.hpp"

#include "common/casefold.hpp"
#include "directory/canonical_resource.hpp"
#include "directory/name_text.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_display_name_bytes = 1024;

}  // namespace

boost::system::result<void, error> derive_group_projections(group& g,
                                                            const resource::resource_schema& schema) {
    if (g.resource.is_object() && g.resource.contains("members"))
        return error(error_code::invalid_value,
                     "members are written as member lists, not inside the resource");
    if (auto canonical = make_canonical(g.resource, schema); !canonical) return canonical.error();

    auto dn = g.resource.find("displayName");
    if (dn == g.resource.end() || dn->is_null() ||
        (dn->is_string() && dn->get_ref<const std::string&>().empty()))
        return error(error_code::invalid_value, "displayName is required and must not be empty");
    if (!dn->is_string()) return error(error_code::invalid_value, "displayName must be a string");
    if (dn->get_ref<const std::string&>().size() > max_display_name_bytes)
        return error(error_code::invalid_value, "displayName is longer than 1024 bytes");
    if (auto checked = check_name_text(dn->get_ref<const std::string&>(), "displayName"); !checked)
        return checked.error();
    g.display_name = dn->get<std::string>();

    g.external_id.reset();
    if (auto ext = g.resource.find("externalId"); ext != g.resource.end() && !ext->is_null()) {
        if (!ext->is_string()) return error(error_code::invalid_value, "externalId must be a string");
        g.external_id = ext->get<std::string>();
    }
    return {};
}

store::group_row to_row(const group& g) {
    store::group_row row;
    row.tenant_id = g.tenant_id;
    row.id = g.id;
    row.display_name = g.display_name;
    row.display_name_key = common::fold_case(g.display_name);
    row.external_id = g.external_id;
    row.created_ms = common::to_epoch_ms(g.created);
    row.modified_ms = common::to_epoch_ms(g.last_modified);
    row.version = g.version;
    row.resource_json = g.resource.dump();
    row.source = g.source;
    row.source_anchor = g.source_anchor;
    return row;
}

group from_row(store::group_row&& row) {
    group g;
    g.tenant_id = std::move(row.tenant_id);
    g.id = std::move(row.id);
    g.resource = json::parse(row.resource_json);
    g.display_name = std::move(row.display_name);
    g.external_id = std::move(row.external_id);
    g.created = common::from_epoch_ms(row.created_ms);
    g.last_modified = common::from_epoch_ms(row.modified_ms);
    g.version = row.version;
    g.source = std::move(row.source);
    g.source_anchor = std::move(row.source_anchor);
    return g;
}

store::member_row to_member_row(const group_member& m) {
    return store::member_row{m.id, std::string(to_string(m.type)), m.display};
}

group_member from_member_row(store::member_row&& row) {
    return group_member{std::move(row.member_id),
                        parse_member_type(row.member_type).value_or(member_type::user),
                        std::move(row.display)};
}

}  // namespace dirsync::directory
