#include "daemon/source_access.hpp"

#include "ldap/directory_reader.hpp"

namespace dirsync::daemon {

sync::source_access access_for(const config::source_settings& source, const sync::source_mapper& mapper) {
    ldap::mapped_attributes attributes;
    attributes.users = mapper.user_attributes();
    if (mapper.has_groups()) attributes.groups = mapper.group_attributes();
    return ldap::directory_access(source, std::move(attributes));
}

}  // namespace dirsync::daemon
