#include "resource/service_schemas.hpp"

#include <algorithm>
#include <utility>

#include "common/ascii.hpp"

namespace dirsync::resource {

namespace {

std::vector<schema> with_enterprise(std::vector<schema> extensions) {
    extensions.insert(extensions.begin(), {enterprise_user_schema(), directory_user_schema()});
    return extensions;
}

}  // namespace

service_schemas::service_schemas() : service_schemas({}, {}) {}

service_schemas::service_schemas(std::vector<schema> user_extensions, std::vector<schema> group_extensions)
    : users_(core_user_schema(), with_enterprise(std::move(user_extensions))),
      groups_(core_group_schema(), std::move(group_extensions)),
      types_{resource_type{"User", "/Users", "User Account", &users_},
             resource_type{"Group", "/Groups", "Group", &groups_}} {}

const resource_type* service_schemas::find_resource_type(std::string_view name) const noexcept {
    for (const auto& t : types_)
        if (common::iequals_ascii(t.name, name)) return &t;
    return nullptr;
}

std::vector<const schema*> service_schemas::served() const {
    std::vector<const schema*> out;
    const auto add = [&](const schema& s) {
        if (std::none_of(out.begin(), out.end(),
                         [&](const schema* x) { return common::iequals_ascii(x->id, s.id); }))
            out.push_back(&s);
    };
    for (const auto& t : types_) add(t.schema->core());
    for (const auto& t : types_)
        for (const auto& e : t.schema->extensions()) add(e);
    return out;
}

const schema* service_schemas::find_served(std::string_view urn) const {
    for (const schema* s : served())
        if (common::iequals_ascii(s->id, urn)) return s;
    return nullptr;
}

bool service_schemas::is_core(const schema& s) const noexcept {
    return std::any_of(types_.begin(), types_.end(), [&](const resource_type& t) {
        return common::iequals_ascii(t.schema->core().id, s.id);
    });
}

const std::shared_ptr<const service_schemas>& default_service_schemas() {
    static const std::shared_ptr<const service_schemas> built_in = std::make_shared<const service_schemas>();
    return built_in;
}

}  // namespace dirsync::resource
