#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/source_settings.hpp"
#include "sync/source_reader.hpp"

namespace dirsync::ldap {

/// What the mapping of a source reads: the attributes its user and group searches must request (their
/// lowercase descriptions), and whether groups are read at all.
struct mapped_attributes {
    std::vector<std::string> users;
    std::optional<std::vector<std::string>> groups;  ///< nullopt: the source reads no groups
};

/// The LDAP source `source`, whose kind settings are `ldap`, as a sync run uses it (the LDAP kind of
/// sync::source_access; both must outlive it). Its reader connects and binds with the source's settings, the
/// bind password read now from its file, variable or credential (so a rotated password is used by the next
/// run). Reads are paged with the source's timeouts; a read of changes uses the source's `incremental` method
/// (syncrepl cookies, Active Directory uSNChanged, or modifyTimestamp). Role filters are evaluated in memory
/// by the mapper, so none are sent. Errors are one line, never the secret. A stored state can be continued
/// from when it is one of the source's `incremental` method with its cookie, domain-controller high-water
/// marks or timestamp.
sync::source_access directory_access(const config::source_settings& source, const config::ldap_source& ldap,
                                     mapped_attributes attributes);

}  // namespace dirsync::ldap
