#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace dirsync::store::outbox_table {

/// A message to deliver: an e-mail (recipient, subject, body = text) or a webhook event (body = JSON).
struct message_row {
    std::int64_t seq = 0;
    std::string tenant_id;
    std::string event;    ///< "invitation.sent", "invitation.accepted", ...
    std::string channel;  ///< "email" or "webhook"
    std::optional<std::string> recipient{};
    std::optional<std::string> subject{};
    std::string body;
    bool holds_code = false;  ///< body carries an invite code: emptied once delivered
    std::string idempotency_key;
    std::string state = "pending";  ///< pending, delivered, failed
    std::int64_t attempts = 0;
    std::int64_t next_attempt_ms = 0;
    std::optional<std::string> last_error{};
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> done_ms{};
};

void insert(connection& db, const message_row& row);
std::optional<message_row> find(connection& db, std::int64_t seq);
/// Claims at most `limit` pending messages due at `now_ms` (the oldest due first) for one delivery attempt
/// and returns them in queue order: each falls due again only at `now_ms + lease_ms`, so no other worker (of
/// this process or another sharing the store) attempts it meanwhile, and should this one die before marking
/// it, another attempts it once the lease ran out. Run in a write.
std::vector<message_row> claim_due(connection& db, std::int64_t now_ms, std::int64_t limit,
                                   std::int64_t lease_ms);
/// A claimed message not attempted after all (the worker stops) is due again at `now_ms`.
void release_claim(connection& db, std::int64_t seq, std::int64_t now_ms);
/// When the next pending message falls due; nullopt when none is pending.
std::optional<std::int64_t> next_due_ms(connection& db);
/// The message was delivered: state delivered, a code-holding body emptied.
void mark_delivered(connection& db, std::int64_t seq, std::int64_t attempts, std::int64_t now_ms);
/// An attempt failed: retry at `next_attempt_ms`, or (nullopt) the message is failed (its body kept, so
/// that an administrator can retry it).
void mark_attempt_failed(connection& db, std::int64_t seq, std::int64_t attempts, std::string_view error,
                         std::optional<std::int64_t> next_attempt_ms, std::int64_t now_ms);
/// A failed message of the tenant (any tenant when empty) pending again now, attempts reset; false when
/// there is no such failed message.
bool retry(connection& db, std::string_view tenant, std::int64_t seq, std::int64_t now_ms);
/// The messages in `state` (all states when empty), of one tenant (all when empty), newest first, older
/// than `before_seq` (0: from the newest).
std::vector<message_row> list(connection& db, std::string_view tenant, std::string_view state,
                              std::int64_t before_seq, std::int64_t limit);
/// Messages per state, for counts in listings and readiness: {pending, delivered, failed}.
struct state_counts {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t failed = 0;
};
state_counts counts(connection& db, std::string_view tenant);

}  // namespace dirsync::store::outbox_table
