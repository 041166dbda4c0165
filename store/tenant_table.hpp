#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::tenant_table {

struct tenant_row {
    std::string id;
    std::string name;
    std::optional<std::int64_t> seats;
    std::int64_t created_ms = 0;
    /// Users holding a seat (active, provisioned, orphan): a running count the directory keeps with every
    /// write (table tenant_seats), so admitting a user never counts the tenant's users.
    std::int64_t seats_used = 0;
    /// How users arrive: "idp" or "invite" (as last configured; `upsert` leaves it, see set_provisioning).
    std::string provisioning = "idp";
    /// False from a switch from invite to idp until the identity provider first writes.
    bool idp_active = true;
};

/// Inserts the tenant or updates its name and seats; created_ms and seats_used are kept for an existing
/// tenant.
void upsert(connection& db, const tenant_row& row);
/// Adds `delta` (negative: seats freed) to the tenant's seats_used.
void add_seats_used(connection& db, std::string_view id, std::int64_t delta);
/// Records the configured provisioning mode: a move from "invite" to "idp" leaves idp_active false until
/// mark_idp_active; "invite" sets it false; staying in "idp" keeps it. True when the stored mode changed.
bool set_provisioning(connection& db, std::string_view id, std::string_view mode);
/// Sets idp_active; true when it was false.
bool mark_idp_active(connection& db, std::string_view id);
std::optional<tenant_row> find(connection& db, std::string_view id);
std::vector<tenant_row> all(connection& db);

}  // namespace dirsync::store::tenant_table
