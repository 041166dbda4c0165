#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include "directory/error.hpp"
#include "resource/schema.hpp"

namespace dirsync::directory {

/// Replaces `resource` by its canonical form under `schema` (resource::canonicalize, with no type
/// conversions: writers hand the directory canonical types), so that what the directory stores meets the
/// schema the service serves whoever wrote it. `id` and `meta` are dropped (the record holds them itself). A
/// resource without `schemas` is taken to be of the schema's core type. invalid_value, with the
/// canonicaliser's message naming the attribute, when the schema refuses it; `resource` is then left
/// unspecified (it was consumed; the writers discard it with the error).
boost::system::result<void, error> make_canonical(nlohmann::json& resource,
                                                  const resource::resource_schema& schema);

}  // namespace dirsync::directory
