#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/connection.hpp"
#include "store/user_row.hpp"

namespace dirsync::store::user_table {

/// Every query takes the tenant id: a row of another tenant is never returned, updated or deleted.
/// Reads return rows without `email_keys`. Writes throw database_error; a uniqueness violation has
/// `is_constraint()` true and leaves the transaction usable for rollback.

std::optional<user_row> find_by_id(connection& db, std::string_view tenant, std::string_view id);
std::optional<user_row> find_by_user_name_key(connection& db, std::string_view tenant, std::string_view key);
std::optional<user_row> find_by_anchor(connection& db, std::string_view tenant, std::string_view source,
                                       std::string_view anchor);
/// Rows whose external_id equals `external_id` exactly (caseExact), in list order.
std::vector<user_row> find_by_external_id(connection& db, std::string_view tenant,
                                          std::string_view external_id);
/// Rows having an e-mail whose case-folded value equals `email_key`, in list order.
std::vector<user_row> find_by_email_key(connection& db, std::string_view tenant, std::string_view email_key);

std::int64_t count(connection& db, std::string_view tenant);

/// How many users of the tenant are in each status (statuses without users are absent), from the status
/// index.
std::vector<std::pair<std::string, std::int64_t>> count_by_status(connection& db, std::string_view tenant);
/// The `requested` user that has waited longest (earliest status_since_ms, then list order), if any.
std::optional<user_row> longest_waiting(connection& db, std::string_view tenant);

/// Rows in list order, skipping `offset` and returning at most `limit`.
std::vector<user_row> page(connection& db, std::string_view tenant, std::int64_t offset, std::int64_t limit);

/// Calls `visit` for each row of the tenant in list order until it returns false.
void scan(connection& db, std::string_view tenant, const std::function<bool(user_row&&)>& visit);

/// Calls `visit` for each row of the tenant whose source is `source`, in list order, until it returns false.
/// Answered from the (tenant, source) index, so its cost follows the source's records, not the tenant's.
void scan_by_source(connection& db, std::string_view tenant, std::string_view source,
                    const std::function<bool(user_row&&)>& visit);

/// The stored resource text of each of the tenant's users whose id is in `ids`, as (id, resource) pairs in
/// no particular order; ids of no user of the tenant are left out. One statement for the whole list.
std::vector<std::pair<std::string, std::string>> resources_by_ids(connection& db, std::string_view tenant,
                                                                  std::span<const std::string> ids);

/// How many rows of the tenant have `source` (from the (tenant, source) index).
std::int64_t count_by_source(connection& db, std::string_view tenant, std::string_view source);

/// Inserts `row` (seq is assigned and written back) and its e-mail keys.
/// Which users `query` returns; every given condition must hold.
struct user_filter {
    std::int64_t after_seq = 0;          ///< only users created after this one (the page cursor)
    std::optional<std::string> status;   ///< in this status
    std::optional<std::string> role;     ///< holding this role
    std::optional<std::string> id;       ///< with this id
    std::optional<std::string> subject;  ///< with this source anchor or externalId
    /// A folded key: users whose folded userName, displayName, givenName, familyName or e-mail starts
    /// with it (through their indexes), or, with `substring`, contains it (a scan of the tenant's rows
    /// from the cursor, ended by `limit`).
    std::optional<std::string> name_key;
    bool substring = false;
};

/// At most `limit` users matching `filter`, in list order (seq).
std::vector<user_row> query(connection& db, std::string_view tenant, const user_filter& filter,
                            std::int64_t limit);

void insert(connection& db, user_row& row);
/// Replaces the row with the same (tenant, id), and its e-mail keys; false when there is none.
bool update(connection& db, const user_row& row);
/// Deletes the row with (tenant, id) and its e-mail keys; false when there is none.
bool remove(connection& db, std::string_view tenant, std::string_view id);

}  // namespace dirsync::store::user_table
