#include "daemon/schema_conversion.hpp"

#include <utility>

namespace dirsync::daemon {

namespace {

resource::attribute_type type_of(config::attribute_type_setting t) {
    using in = config::attribute_type_setting;
    using out = resource::attribute_type;
    switch (t) {
        case in::string:
            return out::string;
        case in::boolean:
            return out::boolean;
        case in::decimal:
            return out::decimal;
        case in::integer:
            return out::integer;
        case in::date_time:
            return out::date_time;
        case in::reference:
            return out::reference;
        case in::binary:
            return out::binary;
        case in::complex:
            return out::complex;
    }
    return out::string;
}

resource::mutability mutability_of(config::mutability_setting m) {
    switch (m) {
        case config::mutability_setting::read_only:
            return resource::mutability::read_only;
        case config::mutability_setting::read_write:
            return resource::mutability::read_write;
        case config::mutability_setting::immutable:
            return resource::mutability::immutable;
    }
    return resource::mutability::read_write;
}

resource::returned returned_of(config::returned_setting r) {
    switch (r) {
        case config::returned_setting::always:
            return resource::returned::always;
        case config::returned_setting::default_:
            return resource::returned::default_;
        case config::returned_setting::request:
            return resource::returned::request;
    }
    return resource::returned::default_;
}

resource::attribute to_scim_attribute(const config::schema_attribute_settings& in) {
    resource::attribute a;
    a.name = in.name;
    a.type = type_of(in.type);
    a.multi_valued = in.multi_valued;
    a.description = in.description;
    a.required = in.required;
    a.case_exact = in.case_exact;
    a.mutability = mutability_of(in.mutability);
    a.returned = returned_of(in.returned);
    a.uniqueness = resource::uniqueness::none;
    a.canonical_values = in.canonical_values;
    a.reference_types = in.reference_types;
    if (a.type == resource::attribute_type::reference && a.reference_types.empty())
        a.reference_types = {"external"};
    for (const auto& sub : in.sub_attributes) a.sub_attributes.push_back(to_scim_attribute(sub));
    return a;
}

}  // namespace

resource::schema to_scim_schema(const config::schema_settings& configured) {
    resource::schema s;
    s.id = configured.id;
    s.name = configured.name;
    s.description = configured.description;
    for (const auto& a : configured.attributes) s.attributes.push_back(to_scim_attribute(a));
    return s;
}

std::shared_ptr<const resource::service_schemas> served_schemas(
    const std::vector<config::schema_settings>& configured) {
    std::vector<resource::schema> users;
    std::vector<resource::schema> groups;
    for (const auto& c : configured)
        (c.resource == config::schema_resource_setting::user ? users : groups).push_back(to_scim_schema(c));
    return std::make_shared<const resource::service_schemas>(std::move(users), std::move(groups));
}

std::map<std::string, scim::tenant_options, std::less<>> tenant_options(
    const std::vector<config::tenant_settings>& tenants) {
    std::map<std::string, scim::tenant_options, std::less<>> out;
    for (const auto& t : tenants) out[t.id].strict_schema = t.strict_schema;
    return out;
}

}  // namespace dirsync::daemon
