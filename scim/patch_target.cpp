#include "scim/patch_target.hpp"

#include <utility>

namespace dirsync::scim {

namespace {

error invalid_path(const std::string& path, const std::string& why) {
    return error(400, "invalidPath", "invalid path '" + path + "': " + why);
}

}  // namespace

std::string patch_target::to_string() const {
    std::string out = container;
    if (attribute.empty()) return out;
    if (!out.empty()) out += ':';
    out += attribute;
    if (value_filter) {
        out += '[';
        out += scim::to_string(*value_filter);
        out += ']';
    }
    if (!sub_attribute.empty()) {
        out += '.';
        out += sub_attribute;
    }
    return out;
}

boost::system::result<patch_target, error> resolve_patch_path(patch_path path,
                                                              const resource::resource_schema& schemas) {
    attribute_path& ap = path.attribute;
    patch_target out;

    if (!ap.schema_urn.empty() && ap.sub_attribute.empty() && !path.value_filter) {
        // `urn:...:enterprise:2.0:User` parses as URN `urn:...:2.0` plus attribute `User`.
        const std::string whole = ap.schema_urn + ":" + ap.attribute;
        if (const resource::schema* s = schemas.find_schema(whole)) {
            out.owner = s;
            if (!schemas.is_core(s)) out.container = s->id;
            return out;
        }
    }

    const resource::attribute* top = nullptr;
    if (ap.schema_urn.empty()) {
        const resource::attribute_lookup found = schemas.find({}, ap.attribute);
        top = found.top;
        out.owner = found.owner;
        if (found.owner != nullptr && !schemas.is_core(found.owner)) out.container = found.owner->id;
    } else if (const resource::schema* s = schemas.find_schema(ap.schema_urn)) {
        out.owner = s;
        if (!schemas.is_core(s)) out.container = s->id;
        top = s->find_attribute(ap.attribute);
    } else {
        out.container = std::move(ap.schema_urn);
    }
    out.definition = top;
    out.attribute = top != nullptr ? top->name : std::move(ap.attribute);
    out.value_filter = std::move(path.value_filter);

    if (top != nullptr && out.value_filter && !top->multi_valued)
        return invalid_path(out.to_string(), "'" + out.attribute +
                                                 "' is single-valued; a value filter needs a multi-valued "
                                                 "attribute");
    if (!ap.sub_attribute.empty()) {
        if (top != nullptr && top->type != resource::attribute_type::complex)
            return invalid_path(out.to_string() + "." + ap.sub_attribute,
                                "'" + out.attribute + "' is not complex and has no sub-attributes");
        out.sub_definition = top != nullptr ? top->find_sub_attribute(ap.sub_attribute) : nullptr;
        out.sub_attribute =
            out.sub_definition != nullptr ? out.sub_definition->name : std::move(ap.sub_attribute);
    }
    return out;
}

}  // namespace dirsync::scim
