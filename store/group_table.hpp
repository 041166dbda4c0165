#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "store/connection.hpp"
#include "store/group_row.hpp"

namespace dirsync::store::group_table {

/// Groups without their members (see group_member_table). Every query takes the tenant id: a row of another
/// tenant is never returned, updated or deleted. Writes throw database_error.

std::optional<group_row> find_by_id(connection& db, std::string_view tenant, std::string_view id);
/// Rows whose case-folded displayName equals `key`, in list order (displayName is not unique).
std::vector<group_row> find_by_display_name_key(connection& db, std::string_view tenant,
                                                std::string_view key);
/// Rows whose external_id equals `external_id` exactly (caseExact), in list order.
std::vector<group_row> find_by_external_id(connection& db, std::string_view tenant,
                                           std::string_view external_id);
/// The group a source names by `anchor`.
std::optional<group_row> find_by_anchor(connection& db, std::string_view tenant, std::string_view source,
                                        std::string_view anchor);

std::int64_t count(connection& db, std::string_view tenant);
/// Rows in list order, skipping `offset` and returning at most `limit`.
std::vector<group_row> page(connection& db, std::string_view tenant, std::int64_t offset, std::int64_t limit);
/// Calls `visit` for each row of the tenant in list order until it returns false. The visitor may use the
/// connection's cached statements.
void scan(connection& db, std::string_view tenant, const std::function<bool(group_row&&)>& visit);

/// Calls `visit` for each group of the tenant that `source` anchored, in list order, until it returns false.
/// The visitor may use the connection's cached statements.
void scan_by_source(connection& db, std::string_view tenant, std::string_view source,
                    const std::function<bool(group_row&&)>& visit);

/// Inserts `row`; its seq is assigned and written back.
void insert(connection& db, group_row& row);
/// Replaces the row with the same (tenant, id); false when there is none.
bool update(connection& db, const group_row& row);
/// Deletes the row with (tenant, id); its member rows go with it (ON DELETE CASCADE). False when none.
bool remove(connection& db, std::string_view tenant, std::string_view id);

}  // namespace dirsync::store::group_table
