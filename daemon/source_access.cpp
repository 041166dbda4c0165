#include "daemon/source_access.hpp"

#include <variant>

#include "ldap/directory_reader.hpp"
#include "scim_source/scim_reader.hpp"

namespace dirsync::daemon {

namespace {

sync::source_access access_for_kind(const config::source_settings& source, const config::ldap_source& ldap,
                                    const sync::source_mapper& mapper) {
    ldap::mapped_attributes attributes;
    attributes.users = mapper.user_attributes();
    if (mapper.has_groups()) attributes.groups = mapper.group_attributes();
    return ldap::directory_access(source, ldap, std::move(attributes));
}

sync::source_access access_for_kind(const config::source_settings& source, const config::scim_source& scim,
                                    const sync::source_mapper&) {
    return scim_source::scim_access(source, scim);
}

}  // namespace

sync::source_access access_for(const config::source_settings& source, const sync::source_mapper& mapper) {
    return std::visit([&](const auto& kind) { return access_for_kind(source, kind, mapper); }, source.kind);
}

}  // namespace dirsync::daemon
