#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"

namespace dirsync::store::tenant_table {

struct tenant_row {
    std::string id;
    std::string name;
    std::optional<std::int64_t> seats;
    std::int64_t created_ms = 0;
};

/// Inserts the tenant or updates its name and seats; created_ms is kept for an existing tenant.
void upsert(connection& db, const tenant_row& row);
std::optional<tenant_row> find(connection& db, std::string_view id);
std::vector<tenant_row> all(connection& db);

}  // namespace dirsync::store::tenant_table
