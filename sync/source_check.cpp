#include "sync/source_check.hpp"

namespace dirsync::sync {

namespace {

resource::attribute_type to_scim(config::attribute_type_setting t) {
    switch (t) {
        case config::attribute_type_setting::string:
            return resource::attribute_type::string;
        case config::attribute_type_setting::boolean:
            return resource::attribute_type::boolean;
        case config::attribute_type_setting::decimal:
            return resource::attribute_type::decimal;
        case config::attribute_type_setting::integer:
            return resource::attribute_type::integer;
        case config::attribute_type_setting::date_time:
            return resource::attribute_type::date_time;
        case config::attribute_type_setting::reference:
            return resource::attribute_type::reference;
        case config::attribute_type_setting::binary:
            return resource::attribute_type::binary;
        case config::attribute_type_setting::complex:
            return resource::attribute_type::complex;
    }
    return resource::attribute_type::string;
}

resource::attribute to_scim(const config::schema_attribute_settings& a) {
    resource::attribute out;
    out.name = a.name;
    out.type = to_scim(a.type);
    out.multi_valued = a.multi_valued;
    out.mutability = a.mutability == config::mutability_setting::read_only ? resource::mutability::read_only
                     : a.mutability == config::mutability_setting::immutable
                         ? resource::mutability::immutable
                         : resource::mutability::read_write;
    for (const auto& sub : a.sub_attributes) out.sub_attributes.push_back(to_scim(sub));
    return out;
}

resource::schema to_scim(const config::schema_settings& s) {
    resource::schema out;
    out.id = s.id;
    out.name = s.name;
    for (const auto& a : s.attributes) out.attributes.push_back(to_scim(a));
    return out;
}

}  // namespace

source_schemas schemas_for(const config::settings& s) {
    std::vector<resource::schema> user_extensions{resource::enterprise_user_schema()};
    std::vector<resource::schema> group_extensions;
    for (const auto& schema : s.schemas) {
        if (schema.id.empty()) continue;
        (schema.resource == config::schema_resource_setting::user ? user_extensions : group_extensions)
            .push_back(to_scim(schema));
    }
    return source_schemas{
        resource::resource_schema(resource::core_user_schema(), std::move(user_extensions)),
        resource::resource_schema(resource::core_group_schema(), std::move(group_extensions))};
}

void check_sources(const config::settings& s, std::vector<config::diagnostic>& out) {
    if (s.sources.empty()) return;
    auto schemas = schemas_for(s);
    for (const auto& source : s.sources)
        source_mapper::compile(source, schemas.users, schemas.groups, s.source_file, out);
}

std::optional<source_mapper> compile_source(const config::settings& s, const config::source_settings& source,
                                            std::vector<config::diagnostic>& out) {
    auto schemas = schemas_for(s);
    return source_mapper::compile(source, schemas.users, schemas.groups, s.source_file, out);
}

}  // namespace dirsync::sync
