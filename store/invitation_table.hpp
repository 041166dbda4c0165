#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::invitation_table {

/// An invitation into a tenant. Its id is the invitee's user id (the `pending_invite` record).
struct invitation_row {
    std::int64_t seq = 0;
    std::string tenant_id;
    std::string id;
    std::string email;
    std::string email_key;
    std::string roles_json = "[]";
    std::string inviter;
    std::string state = "pending";  ///< pending, accepted, revoked ("expired" is pending past expires_ms)
    std::int64_t created_ms = 0;
    std::int64_t sent_ms = 0;
    std::int64_t expires_ms = 0;
    std::int64_t sends = 1;
    std::optional<std::int64_t> ended_ms{};
};

/// A code an invitation was sent with, found by its hash.
struct code_row {
    std::string tenant_id;
    std::string invitation_id;
    std::int64_t issued_ms = 0;
    std::optional<std::int64_t> replaced_ms{};
};

/// Which invitations a list returns.
enum class list_filter { open, pending, expired, accepted, revoked, all };

void insert(connection& db, const invitation_row& row);
std::optional<invitation_row> find(connection& db, std::string_view tenant, std::string_view id);
/// The tenant's pending invitation (expired or not) to the folded address, if any.
std::optional<invitation_row> find_pending_by_email(connection& db, std::string_view tenant,
                                                    std::string_view email_key);
/// At most `limit` invitations of the tenant passing `filter` (expiry judged at `now_ms`) after `after_seq`,
/// in creation order.
std::vector<invitation_row> list(connection& db, std::string_view tenant, list_filter filter,
                                 std::int64_t now_ms, std::int64_t after_seq, std::int64_t limit);
/// A new send: sent_ms, expires_ms, sends + 1.
void record_resend(connection& db, std::string_view tenant, std::string_view id, std::int64_t sent_ms,
                   std::int64_t expires_ms);
/// Ends a pending invitation as "accepted" or "revoked"; false when it was not pending.
bool end(connection& db, std::string_view tenant, std::string_view id, std::string_view state,
         std::int64_t ended_ms);
/// Sets the roles of the tenant's pending invitations holding `role` without it; returns their ids.
std::vector<std::string> drop_role(connection& db, std::string_view tenant, std::string_view role);

/// Records a code's hash for the invitation, marking its earlier codes replaced at `issued_ms`.
void add_code(connection& db, std::string_view code_hash, std::string_view tenant, std::string_view id,
              std::int64_t issued_ms);
std::optional<code_row> find_code(connection& db, std::string_view code_hash);

/// Sends by `inviter` in the tenant at or after `since_ms`, and the oldest of them (0 when none).
struct send_window {
    std::int64_t count = 0;
    std::int64_t oldest_ms = 0;
};
send_window sends_since(connection& db, std::string_view tenant, std::string_view inviter,
                        std::int64_t since_ms);
/// Counts one send; drops the inviter's sends older than `forget_before_ms` (outside any window).
void add_send(connection& db, std::string_view tenant, std::string_view inviter, std::int64_t sent_ms,
              std::int64_t forget_before_ms);

}  // namespace dirsync::store::invitation_table
