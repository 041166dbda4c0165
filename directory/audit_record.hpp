#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/clock.hpp"
#include "directory/actor.hpp"

namespace dirsync::store {
class connection;
}

namespace dirsync::directory {

/// Appends one audit event (who did `action` to which resource, when, with a JSON summary). Call inside the
/// write transaction of the change it records, so both commit or neither does.
void record_audit(store::connection& db, const actor& who, std::string_view tenant,
                  std::string_view resource_type, std::string_view resource_id, common::timestamp time,
                  std::string_view action, const nlohmann::json& summary);

/// The top-level attribute names whose values differ between two resources (added, changed or removed), for
/// audit summaries: names only, never values.
nlohmann::json changed_attributes(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace dirsync::directory
