#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::relocation_table {

/// A request to move a person's record from one tenant to another.
struct relocation_row {
    std::int64_t seq = 0;
    std::string user_id;
    std::string from_tenant;
    std::string to_tenant;
    std::string reason;
    std::string roles_json = "[]";
    std::string requested_by;
    std::optional<std::string> requester_user{};
    std::string state = "requested";  ///< requested, completed, cancelled
    std::optional<std::string> cancel_reason{};
    std::int64_t attempts = 1;
    std::int64_t created_ms = 0;
    std::int64_t asked_ms = 0;
    std::int64_t expires_ms = 0;
    std::optional<std::int64_t> ended_ms{};
    std::optional<std::string> decided_by{};
};

/// Inserts and returns the new request's id.
std::int64_t insert(connection& db, const relocation_row& row);
std::optional<relocation_row> find(connection& db, std::int64_t seq);
/// The open (requested, not expired at `now_ms`) request for this user of this tenant, if any.
std::optional<relocation_row> find_open(connection& db, std::string_view from_tenant,
                                        std::string_view user_id, std::int64_t now_ms);
/// Requests in `state` (all when empty) involving `tenant` (as source or destination; all when empty), newest
/// first, older than `before_seq` (0: from the newest).
std::vector<relocation_row> list(connection& db, std::string_view tenant, std::string_view state,
                                 std::int64_t before_seq, std::int64_t limit);
/// Another authorisation request sent.
void record_attempt(connection& db, std::int64_t seq, std::int64_t asked_ms);
/// Ends a requested relocation: "completed" or "cancelled" (with `cancel_reason`); false when it was not
/// requested.
bool end(connection& db, std::int64_t seq, std::string_view state,
         std::optional<std::string_view> cancel_reason, std::optional<std::string_view> decided_by,
         std::int64_t ended_ms);

}  // namespace dirsync::store::relocation_table
