#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"

namespace dirsync::store::audit_table {

struct audit_row {
    std::int64_t seq = 0;
    std::string tenant_id;
    std::int64_t time_ms = 0;
    std::string actor;
    std::string action;
    std::string resource_type;
    std::string resource_id;
    std::string summary_json;
};

/// Appends an event; call inside the same write transaction as the change it records.
void append(connection& db, const audit_row& row);

/// The newest `limit` events of a tenant, newest first.
std::vector<audit_row> latest(connection& db, std::string_view tenant, std::int64_t limit);

}  // namespace dirsync::store::audit_table
