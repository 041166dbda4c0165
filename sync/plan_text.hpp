#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>

namespace dirsync::sync {

/// Writes `plan` (the JSON of sync::to_json, possibly with its lists cut) to `out` for a person: one line
/// per create, update (with each attribute's before -> after), orphan, disable, delete, group change and
/// skipped entry, "would ..." for a dry run, and for a cut list how many there are in all. Reads only the
/// JSON, so dirsyncctl (which gets the plan from the admin API) prints it as `dirsyncd sync` does.
void print_plan(std::FILE* out, const nlohmann::json& plan, bool dry_run);

}  // namespace dirsync::sync
