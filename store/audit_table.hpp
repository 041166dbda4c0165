#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::audit_table {

struct audit_row {
    std::int64_t seq = 0;
    std::string tenant_id;
    std::int64_t time_ms = 0;
    std::string actor;
    std::optional<std::string> acting_user;  ///< the person an admin token acted for, if it named one
    std::string action;
    std::string resource_type;
    std::string resource_id;
    std::string summary_json;
};

/// Appends an event; call inside the same write transaction as the change it records.
void append(connection& db, const audit_row& row);

/// The newest `limit` events of a tenant, newest first.
std::vector<audit_row> latest(connection& db, std::string_view tenant, std::int64_t limit);

/// Copies the events about `resource_id` in `from` into `to` (same times, actors and summaries; new seqs, in
/// order): a relocated record takes its history along. Returns how many were copied.
std::int64_t copy_history(connection& db, std::string_view from, std::string_view to,
                          std::string_view resource_id);

/// Which events `query` returns; every given condition must hold.
struct audit_filter {
    std::optional<std::string> resource_id;  ///< events about this resource
    std::optional<std::string> actor;        ///< made by this actor, or by an admin acting for this user id
    std::optional<std::string> action;       ///< exactly this action ("user.update"), or, ending in '.', any
                                             ///< action starting with it ("user.")
    std::optional<std::int64_t> since_ms;    ///< at or after
    std::optional<std::int64_t> until_ms;    ///< before
    std::optional<std::int64_t> before_seq;  ///< older than this event (the cursor of the next page)
};

/// At most `limit` events of a tenant matching `filter`, newest first. Served by the indexes on
/// (tenant, resource_id), (tenant, actor) and (tenant, acting_user) when those are filtered on.
std::vector<audit_row> query(connection& db, std::string_view tenant, const audit_filter& filter,
                             std::int64_t limit);

}  // namespace dirsync::store::audit_table
