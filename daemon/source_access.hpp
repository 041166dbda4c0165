#pragma once

#include "config/source_settings.hpp"
#include "sync/entry_mapper.hpp"
#include "sync/source_reader.hpp"

namespace dirsync::daemon {

/// How a sync run reads the configured `source`, by its kind (LDAP: ldap::directory_access), asking for the
/// attributes `mapper` reads. `source` must outlive the result. Adding a source kind adds its
/// access_for_kind overload in source_access.cpp.
sync::source_access access_for(const config::source_settings& source, const sync::source_mapper& mapper);

}  // namespace dirsync::daemon
